import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { HALO_CREDENTIAL_TYPE, haloApiBaseUrlExpression } from '../../credentials/HaloPsaToken';
import { listSearch } from './methods/listSearch';
import { HALO_SENSITIVE_OUTPUT_FIELDS } from './secretFields';
import { loadOptions } from './methods/loadOptions';
import { resourceProperties, resourceSelector } from './resources';
import { haloRequestPath } from './shared/requestPath';
import { requestOptionsProperty, routeItems } from './shared/router';

const description: INodeTypeDescription = {
	// "Community" tells it apart from n8n's built-in HaloPSA node in the node panel
	displayName: 'HaloPSA (Community)',
	name: 'haloPsa',
	icon: { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description:
		'Manage HaloPSA tickets, clients, assets, contracts, invoices, quotes, orders, CRM, projects, time and more',
	defaults: { name: 'HaloPSA' },
	usableAsTool: true,
	// n8n redacts these in the execution data it shows, behind the node's own withoutSecretFields
	sensitiveOutputFields: HALO_SENSITIVE_OUTPUT_FIELDS,
	inputs: ['main'],
	outputs: ['main'],
	credentials: [{ name: HALO_CREDENTIAL_TYPE, required: true }],
	requestDefaults: {
		baseURL: haloApiBaseUrlExpression,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		json: true,
	},
	// every operation sets send.paginate, so every request goes through this one path (see its comment)
	requestOperations: { pagination: haloRequestPath },
	// what n8n adds to a declarative node (Batching, Ignore SSL Issues, Proxy, Timeout), since this one routes itself
	properties: [resourceSelector, ...resourceProperties, requestOptionsProperty],
};

/**
 * A declarative node that runs its own routing (shared/router.ts): the description says what each
 * parameter sends, as for n8n's declarative engine, and `execute` sends it, evaluating each
 * parameter once per item instead of the engine's four times.
 */
export class HaloPsa implements INodeType {
	description = description;

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems(this, description);
	}
}
