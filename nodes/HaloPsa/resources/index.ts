import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../shared/display';
import { returnAllAndLimit } from '../shared/fields';
import { DEFAULT_MAX_FILE_MB } from '../shared/files';
import { bulkProperties } from '../shared/operations';
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

/** The values of a resource's Operation parameter. */
function operationsOf(resource: HaloResource): string[] {
	const selector = (resource.properties ?? []).find((property) => property.name === 'operation');
	return ((selector?.options ?? []) as Array<{ value: unknown }>).map((option) => String(option.value));
}

const withOperation = (operation: string) =>
	offeredResources
		.filter((resource) => operationsOf(resource).includes(operation))
		.map((resource) => resource.spec.value);

/**
 * Parameters every resource shares, once: n8n evaluates each top-level parameter for every
 * item (and again when resolving the base URL), so a parameter repeated per resource multiplies
 * that work (issue 9: per-item writes as fast as the built-in node).
 */
const sharedProperties: INodeProperties[] = [
	...showFor(withOperation('getAll'), ['getAll'], returnAllAndLimit()),
	...showFor(withOperation('upsertMany'), ['upsertMany'], bulkProperties()),
	...showFor(
		['ticket', 'ticketAction'],
		['create'],
		[
			{
				displayName: 'Attach Binary Properties',
				name: 'attachBinaryProperties',
				type: 'string',
				default: '',
				placeholder: 'e.g. data, or * for every file of the item',
				description: `Binary properties of the item to attach once the record is created (comma-separated; * = all the item has, e.g. an e-mail's attachments). Files over ${DEFAULT_MAX_FILE_MB} MB are refused before anything is sent.`,
			},
		],
	),
];

const isTail = (property: INodeProperties) => property.type === 'collection' || property.type === 'fixedCollection';

/**
 * Every resource's own parameters, in the order the editor shows them: operations, then record
 * and required fields, then the shared Return All / Limit and bulk parameters, then the
 * collections (Additional Fields, Update Fields, Options, Filters).
 */
const isOperation = (property: INodeProperties) => property.name === 'operation';

export const resourceProperties: INodeProperties[] = mergeSameParameters([
	...offeredResources.flatMap((resource) => (resource.properties ?? []).filter(isOperation)),
	...offeredResources.flatMap((resource) =>
		(resource.properties ?? []).filter((property) => !isTail(property) && !isOperation(property)),
	),
	...sharedProperties,
	...offeredResources.flatMap((resource) => (resource.properties ?? []).filter(isTail)),
]);

/**
 * Resources that ask for the same parameter in the same way (a required Name, a Client picker,
 * a ticket's Summary) get one property shown for all of them, for the reason above. Properties
 * merge only when everything but the resources they show for (and the wording of their
 * description) is the same.
 */
function mergeSameParameters(properties: INodeProperties[]): INodeProperties[] {
	const shape = (property: INodeProperties) => {
		const { description: _description, displayOptions, ...rest } = property;
		const { resource: _resource, ...show } = displayOptions?.show ?? {};
		return JSON.stringify({ rest, show, hide: displayOptions?.hide }, (_key, value) =>
			typeof value === 'function' ? `fn:${value.name}` : value,
		);
	};
	const merged: INodeProperties[] = [];
	const byShape = new Map<string, INodeProperties>();
	for (const property of properties) {
		const resources = property.displayOptions?.show?.resource as string[] | undefined;
		const key = property.name === 'operation' || !resources ? undefined : shape(property);
		const first = key ? byShape.get(key) : undefined;
		if (!first || !key) {
			const copy = {
				...property,
				displayOptions: property.displayOptions && {
					...property.displayOptions,
					show: { ...property.displayOptions.show },
				},
			};
			if (key) byShape.set(key, copy);
			merged.push(copy);
			continue;
		}
		const show = first.displayOptions?.show as { resource: string[] };
		show.resource = [...show.resource, ...(resources ?? [])];
		if (first.description !== property.description) first.description = genericDescription(first);
	}
	return merged;
}

function genericDescription(property: INodeProperties): string | undefined {
	if (property.typeOptions?.loadOptionsMethod) return property.description;
	return undefined;
}
