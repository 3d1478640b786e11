/**
 * Every field and query parameter name the node sends must exist in Halo's OpenAPI document
 * for that path and method. Reads the subset in test/fixtures (extracted by
 * scripts/extract-openapi.js) and, when ../shared/halo-api/openapi.json is present, checks
 * that the subset is still what the document says.
 */
import { existsSync } from 'fs';
import { resolve } from 'path';
import type { INodeProperties } from 'n8n-workflow';

import subset from '../fixtures/halo-openapi-subset.json';
import { specFor } from '../../nodes/HaloPsa/resources';
import { lookupLists } from '../../nodes/HaloPsa/resources/lookup';
import { operationsOf, visibleFor } from './walk';

type Sent = { type: 'body' | 'query'; key: string; from: string };
type PathEntry = Record<string, { query: string[]; body?: string[] }>;
const paths = subset.paths as unknown as Record<string, PathEntry>;

/** Keys a routing.send property may produce (expressions listing quoted alternatives included). */
function keysOf(property: string): string[] {
	if (!property.startsWith('=')) return [property];
	return [...property.matchAll(/"([a-z_0-9]+)"/g)].map((m) => m[1]).filter((k) => k !== 'html');
}

function sentBy(properties: INodeProperties[]): Sent[] {
	const sent: Sent[] = [];
	for (const property of properties) {
		const send = property.routing?.send;
		if (send?.property && (send.type === 'body' || send.type === 'query')) {
			for (const key of keysOf(send.property)) sent.push({ type: send.type, key, from: property.name });
		}
		if (property.type === 'collection') sent.push(...sentBy(property.options as INodeProperties[]));
	}
	return sent;
}

/** Keys added in code by shared/hooks.ts and shared/runner.ts. */
function addedByHooks(resource: string, operation: string, paged: boolean): Sent[] {
	const added: Sent[] = [];
	if (operation === 'update') added.push({ type: 'body', key: 'id', from: 'buildWriteBody' });
	if (resource === 'ticketAction') added.push({ type: operation === 'create' ? 'body' : 'query', key: 'ticket_id', from: 'checkActionIds' });
	if (operation === 'getAll' && paged) {
		for (const key of ['pageinate', 'page_size', 'page_no']) added.push({ type: 'query', key, from: 'runner' });
	}
	return added;
}

function target(resource: string, operation: string, lookupType?: string): { path: string; method: string } {
	if (resource === 'agent' && operation === 'getCurrent') return { path: '/Agent/me', method: 'GET' };
	const spec = specFor(lookupType ?? resource);
	switch (operation) {
		case 'create':
		case 'update':
			return { path: spec.path, method: 'POST' };
		case 'getAll':
			return { path: spec.path, method: 'GET' };
		default:
			return { path: `${spec.path}/{id}`, method: operation === 'delete' ? 'DELETE' : 'GET' };
	}
}

/**
 * Names Halo needs that its OpenAPI document omits, each with its evidence. Nothing else may be
 * sent outside the document.
 */
const documentedExceptions = [
	// action ids are a sequence within a ticket; HaloAPI-PS Remove-HaloAction sends it (shared/halo-api/README.md §3.5)
	{ path: '/Actions/{id}', method: 'DELETE', key: 'ticket_id' },
];

const cases: Array<{ resource: string; operation: string; lookup?: string }> = operationsOf().flatMap(({ resource, operation }): Array<{ resource: string; operation: string; lookup?: string }> =>
	resource === 'lookup' ? lookupLists.map(({ spec }) => ({ resource, operation, lookup: spec.value })) : [{ resource, operation, lookup: undefined }],
);

test.each(cases)('$resource $operation $lookup sends only names from openapi.json', ({ resource, operation, lookup }) => {
	const { path, method } = target(resource, operation, lookup);
	const entry = paths[path]?.[method];
	expect(entry).toBeDefined();
	const spec = specFor(lookup ?? resource);
	const sent = [...sentBy(visibleFor(resource, operation)), ...addedByHooks(resource, operation, spec.paged)];
	const unknown = sent
		.filter((s) => !(s.type === 'body' ? entry.body ?? [] : entry.query).includes(s.key))
		.filter((s) => !documentedExceptions.some((e) => e.path === path && e.method === method && e.key === s.key));
	expect(unknown).toEqual([]);
	if (method === 'POST') expect(sent.some((s) => s.type === 'body')).toBe(true);
});

test('custom fields and asset-type fields exist on the write schemas', () => {
	for (const p of ['/Tickets', '/Client', '/Site', '/Users', '/Asset']) expect(paths[p].POST.body).toContain('customfields');
	expect(paths['/Asset'].POST.body).toContain('fields');
});

const source = resolve(__dirname, '..', '..', '..', 'shared', 'halo-api', 'openapi.json');
(existsSync(source) ? test : test.skip)('the subset matches the full OpenAPI document', () => {
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const { extract } = require('../../scripts/extract-openapi.js');
	expect(extract(source)).toEqual(subset);
});
