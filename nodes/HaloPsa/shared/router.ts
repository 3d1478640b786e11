import { parse as parseUrl } from 'url';

import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError, NodeHelpers, NodeOperationError, sleep } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { HALO_CREDENTIAL_TYPE, haloApiBaseUrlExpression, resourceServerUrl } from '../../../credentials/HaloPsaToken';

/**
 * The node's routing, run by the node itself (its `execute`) instead of n8n's declarative engine.
 *
 * Why: n8n's engine (n8n-core RoutingNode) visits every top-level property of the description for
 * every item, twice (once more to find the base URL), and evaluates each parameter value it meets
 * there, then evaluates the routed ones again when it reads them, and the base URL expression in
 * both passes. On n8n 2.x every evaluation goes through the isolated expression sandbox, so one
 * `={{ $json.name }}` cost four sandbox calls and the base URL two more: 7 per item where n8n's own
 * HaloPSA node makes 1. At 2000 items that was most of the run (profile in README, Benchmark).
 *
 * What stays the same: the description (its routing says, as before, what each parameter sends),
 * the hooks (preSend, postReceive, the request path as `requestOperations.pagination`), the
 * credential's authentication, all items sent at once (Options > Batching as n8n does it), and
 * n8n's output and error handling. This file does what RoutingNode does, for the routing this
 * node uses; a unit test checks that the description uses nothing else.
 *
 * What changes: which properties are shown, which option of an Operation is selected and which
 * collection options are set depend on the workflow, not on the item, so they are worked out once
 * per run; each routed parameter is evaluated once per item; the base URL is worked out from the
 * credential once (`resourceServerUrl`, the rule its expression states).
 */

type RequestData = DeclarativeRestApiSettings.ResultOptions;
type Routing = NonNullable<INodeProperties['routing']>;
type PostReceive = RequestData['postReceive'][number];

/** `$value` (the parameter's value) and `$parameter` (another parameter of the item) of a routing expression. */
type RoutedExpression = (value: unknown, parameter: (name: string) => unknown) => unknown;

/**
 * The expressions the description's routing uses, each with what it computes, so no item pays
 * the expression sandbox for them. A unit test checks the list against the description and each
 * function against its expression's own JavaScript.
 */
export const ROUTED_EXPRESSIONS: Record<string, RoutedExpression> = {
	'={{ Number($value) }}': (value) => Number(value),
	'={{ [].concat($value).join(",") }}': (value) => ([] as unknown[]).concat(value).join(','),
	'={{ [].concat($value).map((eventno) => ({ eventno: Number(eventno) })) }}': (value) =>
		([] as unknown[]).concat(value).map((eventno) => ({ eventno: Number(eventno) })),
	'={{ $parameter.noteFormat === "html" ? "note_html" : "note" }}': (_value, parameter) =>
		parameter('noteFormat') === 'html' ? 'note_html' : 'note',
	'={{ $parameter.method }}': (_value, parameter) => parameter('method'),
	'={{ $parameter.path }}': (_value, parameter) => parameter('path'),
};

function isExpression(value: unknown): value is string {
	return typeof value === 'string' && value.charAt(0) === '=';
}

/** A routing value: plain values as they are, known expressions computed (see ROUTED_EXPRESSIONS). */
function resolve(raw: unknown, value: unknown, parameter: (name: string) => unknown): unknown {
	if (!isExpression(raw)) return raw;
	const compute = ROUTED_EXPRESSIONS[raw];
	if (!compute) throw new Error(`The HaloPSA node has no routing for the expression ${raw}`);
	return compute(value, parameter);
}

/** An object literal (of any realm), as lodash tells one: no class instance, array, Buffer or Date. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (!value || typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return false;
	const proto = Object.getPrototypeOf(value);
	return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * lodash's `merge`, which RoutingNode merges request fragments with: plain objects and arrays are
 * merged key by key (into copies), `undefined` does not overwrite, anything else replaces.
 */
export function mergeInto(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
	for (const key of Object.keys(source)) {
		const from = source[key];
		const to = target[key];
		if (Array.isArray(from)) {
			target[key] = mergeInto(Array.isArray(to) ? to : isPlainObject(to) ? Object.values(to) : [], from);
		} else if (isPlainObject(from)) {
			target[key] = mergeInto(isPlainObject(to) || Array.isArray(to) ? to : {}, from);
		} else if (from !== undefined || !(key in target)) {
			target[key] = from;
		}
	}
	return target;
}

/** lodash's `set` for the dotted property names routing may use ("a.b"). */
function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = target as Record<string, unknown>;
	for (const key of keys.slice(0, -1)) {
		if (!node[key] || typeof node[key] !== 'object') node[key] = {};
		node = node[key] as Record<string, unknown>;
	}
	node[keys[keys.length - 1]] = value;
}

/** One routed property (or selected option) of this run, in the order RoutingNode merges them. */
interface Step {
	/** the parameter read as `$value`; none for an option of an Operation selector */
	path?: string;
	extractValue: boolean;
	routing: Routing;
}

/**
 * The routed properties of this run: every shown property with routing, the selected option of an
 * options property, and the options set in a collection, as RoutingNode finds them.
 */
export function routePlan(properties: INodeProperties[], node: INode, description: INodeTypeDescription): Step[] {
	const steps: Step[] = [];
	const parameters = node.parameters;
	const visit = (property: INodeProperties | INodePropertyOptions, base: string) => {
		if (!NodeHelpers.displayParameter(parameters, property, node, description, parameters)) return;
		const typed = 'type' in property;
		if (property.routing?.operations) throw new Error(`The HaloPSA node cannot route "${property.name}" operations`);
		if (property.routing) {
			steps.push({
				path: typed ? `${base}${property.name}` : undefined,
				extractValue:
					typed && ((property as INodeProperties).extractValue !== undefined || property.type === 'resourceLocator'),
				routing: property.routing,
			});
		}
		if (!typed || !Object.prototype.hasOwnProperty.call(property, 'options')) return;
		const path = `${base}${property.name}`;
		const raw = path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], parameters);
		if (property.type === 'options') {
			const selected = (property.options as INodePropertyOptions[]).find((option) => option.value === raw);
			if (selected) visit(selected, `${path}.`);
		} else if (property.type === 'collection') {
			const set = Object.keys((raw as IDataObject) ?? {});
			for (const option of property.options as INodeProperties[]) {
				if (set.includes(option.name) && option.type !== undefined) visit(option, `${path}.`);
			}
		} else if (property.type === 'fixedCollection') {
			// RoutingNode would route the rows' values; this node routes none (a unit test holds this)
			const routedRows = (property.options as Array<{ values?: INodeProperties[] }>).some((group) =>
				(group.values ?? []).some((value) => value.routing),
			);
			if (routedRows) throw new Error(`The HaloPSA node cannot route the rows of "${property.name}"`);
		}
	};
	for (const property of properties) visit(property, '');
	return steps;
}

interface Fragment {
	options: IDataObject;
	preSend: PreSendAction[];
	postReceive: PostReceive[];
	paginate?: boolean;
	maxResults?: number | string;
}

/** What one routed property adds to this item's request (RoutingNode.getRequestOptionsFromParameters). */
function fragmentOf(step: Step, single: IExecuteSingleFunctions): Fragment {
	const fragment: Fragment = { options: { qs: {}, body: {}, headers: {} }, preSend: [], postReceive: [] };
	const value =
		step.path === undefined
			? undefined
			: single.getNodeParameter(step.path, undefined, { extractValue: step.extractValue });
	// `$parameter.x` of a parameter the node does not have is undefined, not an error
	const parameter = (name: string) => single.getNodeParameter(name, null) ?? undefined;
	const { request, send, output } = step.routing;
	if (request) {
		for (const [key, raw] of Object.entries(request))
			fragment.options[key] = resolve(raw, value, parameter) as IDataObject[string];
	}
	if (send) {
		if (send.property !== undefined) {
			const property = String(resolve(send.property, value, parameter));
			const sent = send.value ? resolve(send.value, value, parameter) : value;
			const target = (send.type === 'body' ? fragment.options.body : fragment.options.qs) as IDataObject;
			if (send.propertyInDotNotation === false) target[property] = sent as IDataObject[string];
			else setPath(target, property, sent);
		}
		if (send.paginate !== undefined) fragment.paginate = !!resolve(send.paginate, value, parameter);
		if (send.preSend) fragment.preSend.push(...send.preSend);
	}
	if (output) {
		if (output.maxResults !== undefined) fragment.maxResults = resolve(output.maxResults, value, parameter) as number;
		if (output.postReceive) {
			const actions = output.postReceive.filter((action) => {
				if (typeof action === 'function') return true;
				throw new Error('The HaloPSA node routes only postReceive functions');
			}) as PostReceiveAction[];
			if (actions.length) fragment.postReceive.push({ data: { parameterValue: value as string }, actions });
		}
	}
	return fragment;
}

function mergeFragment(requestData: RequestData, fragment: Fragment): void {
	requestData.paginate = requestData.paginate ?? fragment.paginate;
	requestData.maxResults = fragment.maxResults ? fragment.maxResults : requestData.maxResults;
	mergeInto(requestData.options as Record<string, unknown>, fragment.options);
	requestData.preSend.push(...fragment.preSend);
	requestData.postReceive.push(...fragment.postReceive);
}

/** The item's own view of the run's context, as n8n's ExecuteSingleContext gives it to routing hooks. */
export function singleItem(ctx: IExecuteFunctions, itemIndex: number): IExecuteSingleFunctions {
	const helpers = Object.create(ctx.helpers, {
		assertBinaryData: { value: (propertyName: string) => ctx.helpers.assertBinaryData(itemIndex, propertyName) },
		getBinaryDataBuffer: {
			value: async (propertyName: string) => await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName),
		},
	});
	return Object.create(ctx, {
		helpers: { value: helpers },
		getItemIndex: { value: () => itemIndex },
		getInputData: {
			value: (inputIndex = 0, connectionType?: string) => {
				const item = (ctx.getInputData as (i: number, type?: string) => INodeExecutionData[])(
					inputIndex,
					connectionType,
				)[itemIndex];
				if (item === undefined) throw new Error('Value of input with given index was not set');
				return item;
			},
		},
		getNodeParameter: {
			value: (name: string, fallback?: unknown, options?: object) =>
				ctx.getNodeParameter(name, itemIndex, fallback, options),
		},
		getCredentials: { value: async (type: string) => await ctx.getCredentials(type, itemIndex) },
		evaluateExpression: {
			value: (expression: string, index = itemIndex) => ctx.evaluateExpression(expression, index),
		},
		getWorkflowDataProxy: { value: () => ctx.getWorkflowDataProxy(itemIndex) },
	}) as IExecuteSingleFunctions;
}

/** The answer as items: the postReceive actions' result, or one item per array element (RoutingNode). */
async function postProcess(
	single: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	requestData: RequestData,
): Promise<INodeExecutionData[]> {
	let items: INodeExecutionData[] = [{ json: response.body as IDataObject }];
	if (requestData.postReceive.length) {
		for (const { actions } of requestData.postReceive) {
			for (const action of actions)
				items = await (action as PostReceiveAction & Function).call(single, items, response);
		}
	} else if (Array.isArray(response.body)) {
		items = response.body.map((json) => ({ json: json as IDataObject }));
	}
	return items;
}

async function sendItem(
	single: IExecuteSingleFunctions,
	requestData: RequestData,
	pagination: (this: IExecutePaginationFunctions, requestData: RequestData) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	for (const preSend of requestData.preSend) {
		requestData.options = await preSend.call(single, requestData.options as IHttpRequestOptions);
	}
	const makeRoutingRequest = async (request: RequestData) => {
		request.options.returnFullResponse = true;
		const response = (await single.helpers.httpRequestWithAuthentication.call(
			single,
			HALO_CREDENTIAL_TYPE,
			request.options as IHttpRequestOptions,
		)) as IN8nHttpFullResponse;
		return await postProcess(single, response, requestData);
	};
	if (requestData.paginate) {
		const paging = Object.create(single, { makeRoutingRequest: { value: makeRoutingRequest } });
		return await pagination.call(paging as IExecutePaginationFunctions, requestData);
	}
	return await makeRoutingRequest(requestData);
}

/** Options > Proxy as RoutingNode reads it (Node's url.parse: host, port, protocol, auth). */
function proxyOf(node: INode, proxy: string, itemIndex: number, runIndex: number): IDataObject {
	const parsed = parseUrl(proxy);
	for (const property of ['host', 'port'] as const) {
		if (!(property in parsed) || parsed[property] === null) {
			throw new NodeOperationError(node, 'The proxy is not valid', {
				runIndex,
				itemIndex,
				description: `The proxy URL does not contain a valid value for "${property}"`,
			});
		}
	}
	const result: IDataObject = {
		host: parsed.hostname,
		port: parseInt(parsed.port as string, 10),
		protocol: parsed.protocol?.replace(/:$/, '') || undefined,
	};
	if (parsed.auth) {
		const [username, password] = parsed.auth.split(':');
		result.auth = { username, password };
	}
	return result;
}

/** Options > Request Options: what n8n adds to every declarative node (n8n-core's commonDeclarativeNodeOptionParameters). */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: -1 },
							default: 50,
							description:
								'Input will be split in batches to throttle requests. -1 for disabled. 0 will be treated as 1.',
						},
						{
							// eslint-disable-next-line n8n-nodes-base/node-param-display-name-miscased
							displayName: 'Batch Interval (ms)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 1000,
							description: 'Time (in milliseconds) between each batch of requests. 0 for disabled.',
						},
					],
				},
			],
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			// n8n's own wording for this option, kept identical
			// eslint-disable-next-line n8n-nodes-base/node-param-description-wrong-for-ignore-ssl-issues
			description: 'Whether to accept the response even if SSL certificate validation is not possible',
		},
		{
			displayName: 'Proxy',
			name: 'proxy',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://myproxy:3128',
			// eslint-disable-next-line n8n-nodes-base/node-param-description-missing-final-period
			description:
				'HTTP proxy to use. If authentication is required it can be defined as follow: http://username:password@myproxy:3128',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description:
				'Time in ms to wait for the server to send response headers (and start the response body) before aborting the request',
		},
	],
};

/**
 * The domains the credential allows this node, as RoutingNode asks n8n-workflow: n8n 2.x passes
 * one options object (the base URL comes from the node's own definition, so the credential's
 * host is allowed), n8n 1.x the credential and the base URL.
 */
function allowedDomainsOf(
	node: INode,
	credentials: ICredentialDataDecryptedObject,
	baseURL: string,
): string | undefined {
	const allowed = (n8nWorkflow as unknown as Record<string, unknown>).getCredentialAllowedDomains as
		((...args: unknown[]) => string | undefined) | undefined;
	if (typeof allowed !== 'function') return undefined;
	if (allowed.length !== 2) {
		return allowed({ node, credentialData: credentials, credentialOwnedSurface: true, nodeEndpointUrl: baseURL });
	}
	const domains = allowed(credentials, baseURL);
	if (credentials?.allowedHttpRequestDomains === 'domains' && !domains) {
		throw new NodeOperationError(
			node,
			'No allowed domains specified. Configure allowed domains or change restriction setting.',
		);
	}
	return domains;
}

/**
 * Runs every input item through the description's routing, as n8n's declarative engine would:
 * the items' requests are built one after the other (Options > Batching waits between batches)
 * and sent at once; the answers come out in item order, failed items as error items when the node
 * continues on fail, else the first failure is thrown.
 */
export async function routeItems(
	ctx: IExecuteFunctions,
	description: INodeTypeDescription,
): Promise<INodeExecutionData[][]> {
	const node = ctx.getNode();
	const runIndex = Number((ctx as unknown as { runIndex?: number }).runIndex ?? 0);
	const items = ctx.getInputData();
	const credentials = await ctx.getCredentials(HALO_CREDENTIAL_TYPE, 0);
	const pagination = description.requestOperations?.pagination as Parameters<typeof sendItem>[2];
	const defaults: IDataObject = {};
	for (const [key, value] of Object.entries(description.requestDefaults ?? {})) {
		defaults[key] =
			key === 'baseURL' && value === haloApiBaseUrlExpression
				? resourceServerUrl(credentials)
				: (resolve(value, undefined, () => undefined) as IDataObject[string]);
	}
	let domains: { allowed?: string; error?: unknown };
	try {
		domains = { allowed: allowedDomainsOf(node, credentials, String(defaults.baseURL ?? '')) };
	} catch (error) {
		domains = { error };
	}
	const plan = routePlan(description.properties, node, description);
	const { batching } = ctx.getNodeParameter('requestOptions', 0, {}) as { batching?: { batch?: IDataObject } };
	const batchSize = Number(batching?.batch?.batchSize) > 0 ? Number(batching?.batch?.batchSize) : 1;
	const batchInterval = Number(batching?.batch?.batchInterval);

	const requests: Array<Promise<INodeExecutionData[]>> = [];
	const maxResults: Array<number | undefined> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (itemIndex > 0 && batchSize >= 0 && batchInterval > 0 && itemIndex % batchSize === 0) await sleep(batchInterval);
		const single = singleItem(ctx, itemIndex);
		try {
			// as RoutingNode reads it: this item's value, with 0 as the fallback when the node has none
			const { proxy, timeout, allowUnauthorizedCerts } = (single.getNodeParameter('requestOptions', 0, {}) ??
				{}) as IDataObject;
			const requestData: RequestData = {
				options: mergeInto({ qs: {}, body: {}, headers: {} }, defaults) as RequestData['options'],
				preSend: [],
				postReceive: [],
				requestOperations: { pagination },
			};
			for (const step of plan) mergeFragment(requestData, fragmentOf(step, single));
			if (proxy) requestData.options.proxy = proxyOf(node, String(proxy), itemIndex, runIndex) as never;
			if (allowUnauthorizedCerts) requestData.options.skipSslCertificateValidation = allowUnauthorizedCerts as boolean;
			requestData.options.timeout = (timeout as number) || 300_000;
			if (domains.error) throw domains.error;
			if (domains.allowed) (requestData.options as IDataObject).allowedDomains = domains.allowed;
			requests.push(sendItem(single, requestData, pagination));
			maxResults[itemIndex] = requestData.maxResults as number | undefined;
		} catch (error) {
			const nodeError =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), {
							itemIndex,
							runIndex,
						});
			setContext(nodeError, itemIndex, runIndex);
			if (single.continueOnFail()) {
				requests.push(Promise.resolve([{ json: {}, error: nodeError }]));
				continue;
			}
			throw nodeError;
		}
	}

	const settled = await Promise.allSettled(requests);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < settled.length; itemIndex++) {
		const result = settled[itemIndex];
		if (result.status === 'fulfilled') {
			if (maxResults[itemIndex]) result.value.splice(maxResults[itemIndex] as number);
			output.push(...result.value);
			continue;
		}
		const error = result.reason;
		if (error?.statusCode === 429) {
			error.message = "Try spacing your requests out using the batching settings under 'Options'";
		}
		if (ctx.continueOnFail()) {
			output.push({ json: {}, error });
			continue;
		}
		if (error instanceof NodeApiError) {
			setContext(error, itemIndex, runIndex);
			throw error;
		}
		throw new NodeApiError(node, error, {
			runIndex,
			itemIndex,
			message: error?.message,
			description: error?.description,
			httpCode: error?.isAxiosError && error.response ? String(error.response?.status) : 'none',
		});
	}
	return [output];
}

function setContext(error: { context?: IDataObject }, itemIndex: number, runIndex: number): void {
	error.context = error.context ?? {};
	error.context.itemIndex = itemIndex;
	error.context.runIndex = runIndex;
}
