/**
 * Every field and query parameter name the node sends must exist in Halo's OpenAPI document
 * (../shared/halo-api/openapi.json) for that path and method; so must the fields of document
 * lines. The path and method of each operation are read from its description ("(POST /Invoice)").
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { specFor } from '../../nodes/HaloPsa/resources';
import { lookupLists } from '../../nodes/HaloPsa/resources/lookup';
import { namesFor } from '../openapi';
import { operationsOf, visibleFor } from './walk';

type Sent = { type: 'body' | 'query' | 'line'; key: string; from: string };

/** Keys a routing.send property may produce (expressions listing quoted alternatives included). */
function keysOf(property: string): string[] {
	if (!property.startsWith('=')) return [property];
	return [...property.matchAll(/"([a-z_0-9]+)"/g)].map((m) => m[1]).filter((k) => k !== 'html');
}

/** Names of the fixed collections that buildWriteBody turns into Halo arrays, and the Halo key each becomes. */
const rowCollections: Record<string, string> = {
	customFieldsUi: 'customfields',
	assetFieldsUi: 'fields',
	linesUi: 'lines',
};

function sentBy(properties: INodeProperties[]): Sent[] {
	const sent: Sent[] = [];
	for (const property of properties) {
		const send = property.routing?.send;
		if (send?.property && (send.type === 'body' || send.type === 'query')) {
			for (const key of keysOf(send.property)) sent.push({ type: send.type, key, from: property.name });
		}
		if (property.type === 'collection') sent.push(...sentBy(property.options as INodeProperties[]));
		if (rowCollections[property.name]) {
			sent.push({ type: 'body', key: rowCollections[property.name], from: property.name });
			if (property.name === 'linesUi') {
				for (const group of property.options as INodePropertyCollection[]) {
					for (const value of group.values) sent.push({ type: 'line', key: value.name, from: property.name });
				}
			}
		}
	}
	return sent;
}

/** Keys added in code by shared/hooks.ts and the request path. */
function addedByHooks(resource: string, operation: string, paged: boolean): Sent[] {
	const added: Sent[] = [];
	if (operation === 'update') added.push({ type: 'body', key: 'id', from: 'buildWriteBody' });
	if (resource === 'ticketAction' && operation !== 'upsertMany')
		added.push({ type: operation === 'create' ? 'body' : 'query', key: 'ticket_id', from: 'checkActionIds' });
	if (resource === 'report' && operation === 'run') added.push({ type: 'query', key: 'loadreport', from: 'routing' });
	if (resource === 'report' && operation === 'runSql')
		for (const key of ['_loadreportonly', 'sql']) added.push({ type: 'body', key, from: 'sqlReportBody' });
	if (resource === 'attachment' && operation === 'getAll')
		added.push({ type: 'query', key: 'ticket_id', from: 'checkActionIds' });
	if (resource === 'attachment' && operation === 'upload')
		for (const key of ['ticket_id', 'action_id', 'filename', 'content_type', 'data_base64'])
			added.push({ type: 'body', key, from: 'attachmentUploadBody' });
	if (operation === 'getAll' && paged) {
		for (const key of ['pageinate', 'page_size', 'page_no']) added.push({ type: 'query', key, from: 'requestPath' });
	}
	return added;
}

/** The method and OpenAPI path an operation calls, from its description ("... (GET /Tickets/{ID})"). */
function target(option: INodePropertyOptions, lookupPath?: string): { path: string; method: string } {
	if (lookupPath) return { path: lookupPath, method: 'GET' };
	const match = /\((GET|POST|DELETE) (\/[^)\s]*)\)$/.exec(option.description ?? '');
	if (!match) throw new Error(`operation "${option.name}" does not say its method and path`);
	return { method: match[1], path: match[2].replace('{ID}', '{id}') };
}

/**
 * Names Halo needs that its OpenAPI document omits, each with its evidence. Nothing else may be
 * sent outside the document.
 */
const documentedExceptions = [
	// action ids are a sequence within a ticket; HaloAPI-PS Remove-HaloAction sends it (shared/halo-api/README.md §3.5)
	{ path: '/Actions/{id}', method: 'DELETE', key: 'ticket_id' },
];

// the Custom API Call sends only what the user names; its path rules are unit-tested (test/unit/customCall.test.ts)
const cases = operationsOf()
	.filter(({ resource }) => resource !== 'customApiCall')
	.flatMap(({ resource, operation, option }) =>
		resource === 'lookup'
			? lookupLists.map(({ spec }) => ({ resource, operation, option, lookup: spec.value as string | undefined }))
			: [{ resource, operation, option, lookup: undefined as string | undefined }],
	);

test.each(cases)(
	'$resource $operation $lookup sends only names from openapi.json',
	({ resource, operation, option, lookup }) => {
		const spec = specFor(lookup ?? resource);
		const { path, method } = target(option, lookup ? spec.path : undefined);
		const entry = namesFor(path, method);
		expect({ path, method, documented: !!entry }).toEqual({ path, method, documented: true });
		const sent = [...sentBy(visibleFor(resource, operation)), ...addedByHooks(resource, operation, spec.paged)];
		const allowed = (s: Sent) =>
			(s.type === 'body' ? entry?.body : s.type === 'line' ? entry?.lines : entry?.query) ?? [];
		const unknown = sent
			.filter((s) => !allowed(s).includes(s.key))
			.filter((s) => !documentedExceptions.some((e) => e.path === path && e.method === method && e.key === s.key));
		expect(unknown).toEqual([]);
		// Void has no body; Create or Update Many sends the records the user maps (Halo field names, as they are)
		if (method === 'POST' && operation !== 'void' && operation !== 'upsertMany')
			expect(sent.some((s) => s.type === 'body')).toBe(true);
	},
);

test('custom fields, asset-type fields and lines exist on the write schemas', () => {
	for (const p of ['/Tickets', '/Client', '/Site', '/Users', '/Asset', '/Invoice', '/Quotation', '/ClientContract']) {
		expect(namesFor(p, 'POST')?.body).toContain(p === '/ClientContract' ? 'client_id' : 'customfields');
	}
	expect(namesFor('/Asset', 'POST')?.body).toContain('fields');
	for (const p of ['/Invoice', '/RecurringInvoice', '/Quotation', '/SalesOrder', '/PurchaseOrder'])
		expect(namesFor(p, 'POST')?.lines?.length).toBeGreaterThan(5);
});
