import type { INodeProperties, INodePropertyOptions, PreSendAction } from 'n8n-workflow';

import { bulkRecord, buildWriteBody, checkUrlId } from './hooks';
import { keepWholeBody } from './paging';
import type { ResourceSpec } from './specs';

/**
 * Operation selectors. Every option sets `send.paginate: true` so that the node's single
 * request path (shared/requestPath.ts, wired as requestOperations.pagination) handles paging,
 * pacing, retries and errors; the routing here only says method, path and body shape.
 */
export type OperationName = 'create' | 'delete' | 'get' | 'getAll' | 'update';

const labels: Record<OperationName, { name: string; verb: string }> = {
	create: { name: 'Create', verb: 'Create' },
	delete: { name: 'Delete', verb: 'Delete' },
	get: { name: 'Get', verb: 'Get' },
	getAll: { name: 'Get Many', verb: 'Get many' },
	update: { name: 'Update', verb: 'Update' },
};

const methods: Record<OperationName, 'GET' | 'POST' | 'DELETE'> = {
	create: 'POST',
	delete: 'DELETE',
	get: 'GET',
	getAll: 'GET',
	update: 'POST',
};

function defaultPreSend(spec: ResourceSpec, operation: OperationName): PreSendAction[] {
	if (operation === 'create' || operation === 'update') return [buildWriteBody(spec)];
	if (operation === 'get' || operation === 'delete') return [checkUrlId(spec)];
	return [];
}

export function article(word: string): string {
	return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function operationOption(
	spec: ResourceSpec,
	operation: OperationName,
	preSend: PreSendAction[] = defaultPreSend(spec, operation),
): INodePropertyOptions {
	const { name, verb } = labels[operation];
	const noun = operation === 'getAll' ? spec.plural.toLowerCase() : spec.label.toLowerCase();
	const action = operation === 'getAll' ? `${verb} ${noun}` : `${verb} ${article(noun)} ${noun}`;
	return {
		name,
		value: operation,
		action,
		description: `${action.charAt(0).toUpperCase()}${action.slice(1)} in HaloPSA (${methods[operation]} ${spec.path}${operation === 'get' || operation === 'delete' ? '/{ID}' : ''})`,
		routing: {
			request: { method: methods[operation], url: spec.path },
			send: { paginate: true, preSend },
			...(operation === 'getAll' ? { output: { postReceive: [keepWholeBody] } } : {}),
		},
	};
}

/** The Operation parameter of one resource, options sorted by name. */
export function operationSelector(
	spec: ResourceSpec,
	options: INodePropertyOptions[],
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [spec.value] } },
		options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
}

/**
 * An operation beyond Create/Get/Get Many/Update/Delete, declared in a resource definition's
 * `extraOperations` slot: its option, whether it acts on one record (the ID locator is then
 * shown), and its own parameters.
 */
export interface ExtraOperation {
	option: INodePropertyOptions;
	/** acts on the record chosen in the resource's ID locator */
	needsId?: boolean;
	properties?: INodeProperties[];
}

/**
 * A verb on one record, `POST <path>/<id>/<suffix>` (e.g. Invoice Void): the id is checked and
 * put in the URL by the same hook Get and Delete use.
 */
export function recordAction(
	spec: ResourceSpec,
	action: { value: string; name: string; suffix: string; description: string },
): ExtraOperation {
	const noun = spec.label.toLowerCase();
	return {
		needsId: true,
		option: {
			name: action.name,
			value: action.value,
			action: `${action.name} ${article(noun)} ${noun}`,
			description: `${action.description} (POST ${spec.path}/{ID}/${action.suffix})`,
			routing: {
				request: { method: 'POST', url: spec.path },
				send: { paginate: true, preSend: [checkUrlId(spec, action.suffix)] },
			},
		},
	};
}

/**
 * A write to another path of the same resource, with Halo's array body (e.g. Quotation
 * Approve: POST /Quotation/Approval). The operation's own parameters fill the body.
 */
export function pathWrite(
	spec: ResourceSpec,
	write: { value: string; name: string; action: string; path: string; description: string },
): INodePropertyOptions {
	return {
		name: write.name,
		value: write.value,
		action: write.action,
		description: `${write.description} (POST ${write.path})`,
		routing: {
			request: { method: 'POST', url: write.path },
			send: { paginate: true, preSend: [buildWriteBody(spec)] },
		},
	};
}

/**
 * Create or Update Many: each input item is one record (an object of Halo field names; with an
 * id it updates that record), sent in chunks through Halo's POST of an array
 * (shared/bulk.ts), so 500 records cost 5 requests.
 */
export function bulkOperation(spec: ResourceSpec): ExtraOperation {
	const plural = spec.plural.toLowerCase();
	return {
		option: {
			name: 'Create or Update Many',
			value: 'upsertMany',
			action: `Create or update many ${plural}`,
			description: `Write the records of many items in a few requests, as an array (POST ${spec.path})`,
			routing: {
				request: { method: 'POST', url: spec.path },
				send: { paginate: true, preSend: [bulkRecord(spec)] },
			},
		},
	};
}

/**
 * The parameters of Create or Update Many, one set shared by every resource (resources/index.ts
 * shows them for each resource that has the operation): n8n evaluates every top-level parameter
 * for every item, so one shared property costs one evaluation where one per resource cost 22.
 */
export function bulkProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Record From',
			name: 'recordFrom',
			type: 'options',
			options: [
				{
					name: 'Input Item',
					value: 'item',
					description:
						"Each item's JSON is the record as it is (Halo field names; with ID it updates that record). After a Get, that is every field read: use Fields to Send to write only some.",
				},
				{
					name: 'Record (JSON)',
					value: 'json',
					description: 'Build each record with an expression',
				},
			],
			default: 'item',
		},
		{
			displayName: 'Record (JSON)',
			name: 'record',
			type: 'json',
			default: '={{ $json }}',
			description:
				'The record this item writes: an object of Halo field names. With "ID" it updates that record, without it creates one.',
			displayOptions: { show: { recordFrom: ['json'] } },
		},
		{
			displayName: 'Fields to Send',
			name: 'fieldsToSend',
			type: 'string',
			default: '',
			placeholder: 'e.g. name, phonenumber',
			description:
				'Only these fields of each record are sent (Halo field names, separated by commas; the ID is always kept). Empty sends the whole record, which after a Get writes back every field it read.',
		},
		{
			displayName: 'Records per Request',
			name: 'chunkSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 100,
			description:
				'How many records go in one request. A request that fails reports on each item it carried; the others still go.',
		},
	];
}
