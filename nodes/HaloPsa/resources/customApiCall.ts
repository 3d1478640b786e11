import type { IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import type { HaloResource } from '../shared/resource';
import type { ResourceSpec } from '../shared/specs';
import { checkCustomCall } from '../shared/hooks';
import { keepWholeBody } from '../shared/paging';
import { withoutSecretFields } from '../secretFields';

const spec: ResourceSpec = {
	value: 'customApiCall',
	label: 'Custom API Call',
	plural: 'Custom API Calls',
	path: '',
	paged: true,
	area: 'any',
};

const forCall = { show: { resource: ['customApiCall'], operation: ['call'] } };

/**
 * Halo's answer, kept whole for the request path, without the secrets of other integrations it
 * may hold (GET /Webhook answers every webhook's Basic password): the node never outputs them.
 */
export async function keepWholeBodyWithoutSecrets(
	this: unknown,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return await keepWholeBody.call(this, items, { ...response, body: withoutSecretFields(response.body) });
}

/**
 * Any Halo endpoint, through the same paced, retried, error-mapped request path as every other
 * operation. The path is relative to the Resource Server; hooks.checkCustomCall refuses anything
 * that could send the token elsewhere.
 */
export const customApiCall: HaloResource = {
	spec,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['customApiCall'] } },
			options: [
				{
					name: 'Call',
					value: 'call',
					action: 'Call any endpoint',
					description:
						'Send a request to any path of the HaloPSA API with the credential, pacing and retries of this node',
					routing: {
						request: { method: '={{ $parameter.method }}' as 'GET', url: '={{ $parameter.path }}' },
						send: { paginate: true, preSend: [checkCustomCall] },
						output: { postReceive: [keepWholeBodyWithoutSecrets] },
					},
				},
			],
			default: 'call',
		},
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: [
				{ name: 'DELETE', value: 'DELETE' },
				{ name: 'GET', value: 'GET' },
				{ name: 'POST', value: 'POST', description: 'Create or update: Halo takes an array of records' },
			],
			default: 'GET',
			displayOptions: forCall,
		},
		{
			displayName: 'Path',
			name: 'path',
			type: 'string',
			required: true,
			default: '',
			placeholder: '/Tickets',
			description:
				'Path under the Resource Server URL, e.g. /Tickets/123 or /Invoice. Full URLs, other hosts and ".." are refused so the token never leaves Halo.',
			displayOptions: forCall,
		},
		{
			displayName: 'Query Parameters',
			name: 'queryParameters',
			type: 'fixedCollection',
			placeholder: 'Add Parameter',
			typeOptions: { multipleValues: true },
			default: {},
			displayOptions: forCall,
			options: [
				{
					displayName: 'Parameter',
					name: 'parameter',
					values: [
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							description: 'Halo parameter name, e.g. client_id',
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Body (JSON)',
			name: 'jsonBody',
			type: 'json',
			default: '[]',
			description:
				'JSON sent as the body. Halo writes take an array of records, e.g. [{"ID": 5, "inactive": true}] with Halo\'s lower-case key names.',
			displayOptions: { show: { ...forCall.show, method: ['POST'] } },
		},
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			hint: 'On: pages through the list (pageinate, page_size, page_no) and returns one item per row. Off: the answer as Halo sent it.',
			displayOptions: { show: { ...forCall.show, method: ['GET'] } },
		},
	],
};
