import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/**
 * What one Halo resource contributes to the node. A uniform resource is one file in
 * resources/ that exports one of these (usually built by `crudResource`); resources/index.ts
 * lists them, and the Resource selector, the "From List" searches and the record dropdowns
 * are derived from that list.
 */
export interface HaloResource {
	spec: ResourceSpec;
	/** the resource's own parameters (operation selector first); absent = not offered as a
	 * resource by itself (lookup lists, webhook event subscriptions) */
	properties?: INodeProperties[];
	/** how its records appear in dropdowns and "From List" searches; absent = none */
	picker?: RecordPicker;
}

export interface RecordPicker {
	/** the record as a user recognises it; `narrowed` is true when a parent filter applies */
	label: (row: IDataObject, narrowed: boolean) => string;
	/** query keys that narrow the dropdown when the form already holds them (first one set wins) */
	narrowBy?: string[];
	/** the dropdown's value is the label itself (Halo links some records by name, e.g. categories) */
	valueIsLabel?: boolean;
	/** also offer a dropdown whose value is the name (a ticket's `team` is a team name) */
	byName?: boolean;
	/** "From List" search; false for lists too long to load whole with no search parameter */
	searchable?: boolean;
}

const pascal = (text: string) =>
	text.replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase()).replace(/\s+/g, '');

/** methods.loadOptions name of a resource's dropdown: getClients, getTicketTypes ... */
export const dropdownMethod = (spec: ResourceSpec) => `get${pascal(spec.plural)}`;
/** methods.loadOptions name of a dropdown whose values are names: getTeamNames */
export const dropdownByNameMethod = (spec: ResourceSpec) => `get${pascal(spec.label)}Names`;
/** methods.listSearch name of a resource's "From List" search: searchTickets ... */
export const searchMethod = (spec: ResourceSpec) => `search${pascal(spec.plural)}`;

/** The parameters that may hold a narrowing key: top level (clientId) or inside a collection. */
export function paramsHolding(key: string): string[] {
	const camel = key.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
	return [camel, `additionalFields.${key}`, `updateFields.${key}`, `filters.${key}`];
}
