#!/usr/bin/env node
/**
 * Extracts, from Halo's OpenAPI document (../shared/halo-api/openapi.json), the parts the
 * contract test needs: for each path the node uses, the query parameter names per method and
 * the property names of the POST body schema. Writes test/fixtures/halo-openapi-subset.json.
 * Usage: node scripts/extract-openapi.js [path/to/openapi.json]
 */
const fs = require('fs');
const path = require('path');

const PATHS = [
	'/Tickets', '/Tickets/{id}', '/Actions', '/Actions/{id}', '/Client', '/Client/{id}', '/Site', '/Site/{id}',
	'/Users', '/Users/{id}', '/Asset', '/Asset/{id}', '/Agent', '/Agent/{id}', '/Agent/me', '/Webhook', '/Webhook/{id}',
	'/TicketType', '/Status', '/Priority', '/Team', '/Category', '/AssetType', '/Outcome', '/Notification',
];

function extract(source) {
	const doc = JSON.parse(fs.readFileSync(source, 'utf8'));
	const out = { source: 'Halo API v2 OpenAPI document (shared/halo-api/openapi.json)', paths: {} };
	for (const p of PATHS) {
		const entry = doc.paths[p];
		if (!entry) throw new Error(`missing path ${p}`);
		out.paths[p] = {};
		for (const [method, op] of Object.entries(entry)) {
			const record = { query: (op.parameters || []).filter((x) => x.in === 'query').map((x) => x.name).sort() };
			const schema = op.requestBody && op.requestBody.content['application/json'] && op.requestBody.content['application/json'].schema;
			const ref = schema && (schema.items ? schema.items.$ref : schema.$ref);
			if (ref) {
				const name = ref.split('/').pop();
				record.bodySchema = name;
				record.body = Object.keys(doc.components.schemas[name].properties || {}).sort();
			}
			out.paths[p][method.toUpperCase()] = record;
		}
	}
	return out;
}

module.exports = { extract };

if (require.main === module) {
	const source = process.argv[2] || path.resolve(__dirname, '..', '..', 'shared', 'halo-api', 'openapi.json');
	const target = path.resolve(__dirname, '..', 'test', 'fixtures', 'halo-openapi-subset.json');
	fs.writeFileSync(target, JSON.stringify(extract(source), null, 1) + '\n');
	console.log(`wrote ${target}`);
}
