import type { INodeProperties } from 'n8n-workflow';

import type { HaloResource } from '../shared/resource';
import type { ResourceSpec } from '../shared/specs';
import * as registered from './all';

/**
 * Every Halo resource the package knows (registered in all.ts). The Resource selector, the record
 * dropdowns (methods/loadOptions.ts) and the "From List" searches (methods/listSearch.ts) are
 * derived from this list.
 */
function isHaloResource(value: unknown): value is HaloResource {
	return (
		!!value &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		typeof (value as HaloResource).spec?.value === 'string'
	);
}

export const haloResources: HaloResource[] = Object.values(registered as Record<string, unknown>).flatMap((value) =>
	(Array.isArray(value) ? value : [value]).filter(isHaloResource),
);

const byValue = new Map(haloResources.map((resource) => [resource.spec.value, resource.spec]));

/** Specs by resource value (lookup lists and subscriptions included). */
export const specs: Record<string, ResourceSpec> = Object.fromEntries(byValue);

export function specFor(resource: string): ResourceSpec {
	const spec = byValue.get(resource);
	if (!spec) throw new Error(`Unknown HaloPSA resource "${resource}"`);
	return spec;
}

/** The resources offered in the node's Resource parameter (those with parameters of their own). */
export const offeredResources = haloResources.filter((resource) => resource.properties?.length);

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: offeredResources
		.map(({ spec }) => ({ name: spec.label, value: spec.value }))
		.sort((a, b) => a.name.localeCompare(b.name)),
	default: 'ticket',
};

export const resourceProperties: INodeProperties[] = offeredResources.flatMap((resource) => resource.properties ?? []);
