/**
 * The shape of one Halo resource: everything uniform about Halo's REST API (path, list envelope,
 * paging, permission, id type) is derived from a spec. Each spec lives in its resource's file
 * under resources/; resources/index.ts registers them.
 */

/**
 * Halo permission area (the `<area>` of `read:<area>` / `edit:<area>` scopes, README §2.2);
 * `admin` is the single `admin` permission; `any` is a Custom API Call (unknown endpoint).
 */
export type HaloArea =
	| 'tickets'
	| 'customers'
	| 'assets'
	| 'admin'
	| 'contracts'
	| 'invoices'
	| 'quotes'
	| 'sos'
	| 'pos'
	| 'items'
	| 'suppliers'
	| 'crm'
	| 'projects'
	| 'software'
	| 'softwarelicensing'
	| 'kb'
	| 'calendar'
	| 'timesheets'
	| 'reporting'
	| 'any';

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
	/** fields Halo may return that the node never outputs (a webhook's Basic-auth password) */
	secretFields?: string[];
	/** URL fragment used by Halo's agent portal for this record, for "By URL" locators */
	portalUrlPattern?: string;
}

/** The Halo permission a request needs, in the words Halo's application screen uses. */
export function permissionFor(spec: ResourceSpec, writing: boolean): string {
	if (spec.area === 'admin') return 'admin';
	if (spec.area === 'reporting') return 'read:reporting (running SQL may also need edit:reporting)';
	if (spec.area === 'any') return `read:<area> or edit:<area> for ${spec.path || 'that endpoint'}`;
	return `${writing ? 'edit' : 'read'}:${spec.area}`;
}
