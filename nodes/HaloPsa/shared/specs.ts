/**
 * One spec per Halo resource. Everything uniform about Halo's REST API (paths, list
 * envelopes, paging, permissions, id types) is derived from these entries.
 */
export type HaloArea = 'tickets' | 'customers' | 'assets' | 'admin';

export interface ResourceSpec {
	/** n8n resource value (singular camelCase) */
	value: string;
	/** singular label for UI and error messages */
	label: string;
	/** plural label ("Get many tickets") */
	plural: string;
	/** Halo path under the Resource Server, e.g. /Tickets */
	path: string;
	/** key of the rows in the list envelope; undefined = bare array */
	listKey?: string;
	/** Halo pages this list with pageinate/page_size/page_no */
	paged: boolean;
	/** Halo permission area, used in 403 hints (read:<area> / edit:<area>) */
	area: HaloArea;
	/** ids are GUID strings (webhooks) rather than integers */
	guidIds?: boolean;
	/** URL fragment used by Halo's agent portal for this record, for "By URL" locators */
	portalUrlPattern?: string;
}

export const specs = {
	ticket: {
		value: 'ticket',
		label: 'Ticket',
		plural: 'Tickets',
		path: '/Tickets',
		listKey: 'tickets',
		paged: true,
		area: 'tickets',
		portalUrlPattern: 'ticket\\?id=(\\d+)',
	},
	ticketAction: {
		value: 'ticketAction',
		label: 'Ticket Action',
		plural: 'Ticket Actions',
		path: '/Actions',
		listKey: 'actions',
		paged: false,
		area: 'tickets',
	},
	client: {
		value: 'client',
		label: 'Client',
		plural: 'Clients',
		path: '/Client',
		listKey: 'clients',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?clientid=(\\d+)',
	},
	site: {
		value: 'site',
		label: 'Site',
		plural: 'Sites',
		path: '/Site',
		listKey: 'sites',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?siteid=(\\d+)',
	},
	user: {
		value: 'user',
		label: 'User',
		plural: 'Users',
		path: '/Users',
		listKey: 'users',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?userid=(\\d+)',
	},
	agent: {
		value: 'agent',
		label: 'Agent',
		plural: 'Agents',
		path: '/Agent',
		paged: false,
		area: 'tickets',
		portalUrlPattern: 'agent\\?id=(\\d+)',
	},
	asset: {
		value: 'asset',
		label: 'Asset',
		plural: 'Assets',
		path: '/Asset',
		listKey: 'assets',
		paged: true,
		area: 'assets',
		portalUrlPattern: 'assets\\?id=(\\d+)',
	},
	webhook: {
		value: 'webhook',
		label: 'Webhook',
		plural: 'Webhooks',
		path: '/Webhook',
		paged: false,
		area: 'admin',
		guidIds: true,
	},
	notification: {
		value: 'notification',
		label: 'Webhook Event Subscription',
		plural: 'Webhook Event Subscriptions',
		path: '/Notification',
		listKey: 'notifications',
		paged: false,
		area: 'admin',
	},
	ticketType: {
		value: 'ticketType',
		label: 'Ticket Type',
		plural: 'Ticket Types',
		path: '/TicketType',
		paged: false,
		area: 'tickets',
	},
	status: {
		value: 'status',
		label: 'Status',
		plural: 'Statuses',
		path: '/Status',
		paged: false,
		area: 'tickets',
	},
	priority: {
		value: 'priority',
		label: 'Priority',
		plural: 'Priorities',
		path: '/Priority',
		paged: false,
		area: 'tickets',
	},
	team: {
		value: 'team',
		label: 'Team',
		plural: 'Teams',
		path: '/Team',
		paged: false,
		area: 'tickets',
	},
	category: {
		value: 'category',
		label: 'Category',
		plural: 'Categories',
		path: '/Category',
		paged: false,
		area: 'tickets',
	},
	assetType: {
		value: 'assetType',
		label: 'Asset Type',
		plural: 'Asset Types',
		path: '/AssetType',
		paged: false,
		area: 'assets',
	},
	outcome: {
		value: 'outcome',
		label: 'Outcome',
		plural: 'Outcomes',
		path: '/Outcome',
		paged: false,
		area: 'tickets',
	},
} satisfies Record<string, ResourceSpec>;

export type ResourceName = keyof typeof specs;

export function specFor(resource: string): ResourceSpec {
	const spec = (specs as Record<string, ResourceSpec>)[resource];
	if (!spec) throw new Error(`Unknown HaloPSA resource "${resource}"`);
	return spec;
}

/** Resources whose Get Many is the "lookup" resource: one operation on a bare array. */
export const lookupResources = ['ticketType', 'status', 'priority', 'team', 'category', 'assetType', 'outcome'] as const;
