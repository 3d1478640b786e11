import type { INodeProperties, INodePropertyOptions, PreSendAction } from 'n8n-workflow';

import { buildWriteBody, checkUrlId } from './hooks';
import type { ResourceSpec } from './specs';

/**
 * Operation selectors. Every option sets `send.paginate: true` so that the node's single
 * request path (shared/runner.ts, wired as requestOperations.pagination) handles paging,
 * retries and errors; the routing here only says method, path and body shape.
 */
export type OperationName = 'create' | 'delete' | 'get' | 'getAll' | 'update';

const labels: Record<OperationName, { name: string; verb: string }> = {
	create: { name: 'Create', verb: 'Create' },
	delete: { name: 'Delete', verb: 'Delete' },
	get: { name: 'Get', verb: 'Get' },
	getAll: { name: 'Get Many', verb: 'Get many' },
	update: { name: 'Update', verb: 'Update' },
};

const methods: Record<OperationName, string> = {
	create: 'POST',
	delete: 'DELETE',
	get: 'GET',
	getAll: 'GET',
	update: 'POST',
};

const defaultPreSend: Record<OperationName, PreSendAction[]> = {
	create: [buildWriteBody],
	update: [buildWriteBody],
	get: [checkUrlId],
	delete: [checkUrlId],
	getAll: [],
};

function article(word: string): string {
	return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function operationOption(
	spec: ResourceSpec,
	operation: OperationName,
	preSend: PreSendAction[] = defaultPreSend[operation],
): INodePropertyOptions {
	const { name, verb } = labels[operation];
	const noun = operation === 'getAll' ? spec.plural.toLowerCase() : spec.label.toLowerCase();
	const action = operation === 'getAll' ? `${verb} ${noun}` : `${verb} ${article(noun)} ${noun}`;
	return {
		name,
		value: operation,
		action,
		description: `${action.charAt(0).toUpperCase()}${action.slice(1)} in HaloPSA (${methods[operation]} ${spec.path})`,
		routing: {
			request: { method: methods[operation] as 'GET', url: spec.path },
			send: { paginate: true, preSend },
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

/** Shorthand: the standard CRUD operations of a resource. */
export function crudSelector(spec: ResourceSpec, operations: OperationName[], defaultOperation: OperationName = 'get') {
	return operationSelector(
		spec,
		operations.map((operation) => operationOption(spec, operation)),
		defaultOperation,
	);
}
