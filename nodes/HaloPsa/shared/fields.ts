import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/**
 * Field factories. Each returns a literal property with displayName, name, type and default,
 * so the conformance test can check what lint cannot see through a function call.
 * Options inside Additional Fields, Update Fields and Filters are named after the exact Halo key
 * ("the name is the mapping").
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'dateTime' | 'html';

export interface HaloFieldDef {
	/** exact Halo key, from openapi.json */
	key: string;
	displayName: string;
	type: FieldType;
	description?: string;
	/** name of a methods.loadOptions function: the field becomes a dropdown */
	loadOptions?: string;
	loadOptionsDependsOn?: string[];
	/** fixed options: the field becomes a dropdown */
	options?: INodePropertyOptions[];
	/** several values, sent comma-separated (Halo's "(array of int)" query parameters) */
	multiple?: boolean;
	/** a password or key: typed into a masked field, never shown back in the form */
	secret?: boolean;
}

function baseType(def: HaloFieldDef): INodeProperties['type'] {
	if (def.multiple) return 'multiOptions';
	if (def.loadOptions || def.options) return 'options';
	if (def.type === 'html') return 'string';
	return def.type;
}

function defaultFor(type: FieldType): string | number | boolean {
	if (type === 'number') return 0;
	if (type === 'boolean') return false;
	return '';
}

/** One Halo field as a collection option, sent to the body or the query string under its Halo key. */
export function haloField(def: HaloFieldDef, sendTo: 'body' | 'query'): INodeProperties {
	const property: INodeProperties = {
		displayName: def.loadOptions
			? `${def.displayName} ${def.multiple ? 'Names or IDs' : 'Name or ID'}`
			: def.displayName,
		name: def.key,
		type: baseType(def),
		default: def.multiple ? [] : def.options ? def.options[0].value : defaultFor(def.type),
		description: def.loadOptions
			? `Choose from the list, or specify ${def.multiple ? 'IDs' : 'an ID'} using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`
			: def.description,
		routing: {
			send: {
				type: sendTo,
				property: def.key,
				propertyInDotNotation: false,
				...(def.multiple ? { value: '={{ [].concat($value).join(",") }}' } : {}),
			},
		},
	};
	if (def.loadOptions) {
		property.typeOptions = {
			loadOptionsMethod: def.loadOptions,
			...(def.loadOptionsDependsOn ? { loadOptionsDependsOn: def.loadOptionsDependsOn } : {}),
		};
	}
	if (def.options) property.options = [...def.options].sort((a, b) => a.name.localeCompare(b.name));
	if (def.type === 'html') property.typeOptions = { ...property.typeOptions, rows: 4 };
	if (def.secret) property.typeOptions = { ...property.typeOptions, password: true };
	return property;
}

export function sortByName(properties: INodeProperties[]): INodeProperties[] {
	return [...properties].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Free JSON merged into the body by the `mergeExtraFields` preSend hook (n8n issue 12560). */
export function extraFieldsJson(): INodeProperties {
	return {
		displayName: 'Extra Fields (JSON)',
		name: 'extraFieldsJson',
		type: 'json',
		default: '{}',
		description:
			'Any other Halo fields as a JSON object, sent as they are (e.g. {"dont_do_rules": true}). Keys are Halo field names from the API documentation; they override fields set above.',
	};
}

/** Custom fields as {id, value} pairs, turned into Halo's `customfields` array by a preSend hook. */
export function customFieldsOption(): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFieldsUi',
		type: 'fixedCollection',
		placeholder: 'Add Custom Field',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field ID',
						name: 'id',
						type: 'number',
						default: 0,
						description: 'ID of the custom field definition (Configuration > Custom Objects > Custom Fields)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	};
}

/** Collection of Halo body fields for Create ("Additional Fields") or Update ("Update Fields"). */
export function bodyFieldsCollection(
	name: 'additionalFields' | 'updateFields',
	defs: HaloFieldDef[],
	options: { customFields?: boolean } = {},
): INodeProperties {
	const fields = defs.map((def) => haloField(def, 'body'));
	if (options.customFields) fields.push(customFieldsOption());
	fields.push(extraFieldsJson());
	return {
		displayName: name === 'additionalFields' ? 'Additional Fields' : 'Update Fields',
		name,
		type: 'collection',
		placeholder: name === 'additionalFields' ? 'Add Field' : 'Add Field to Update',
		default: {},
		options: sortByName(fields),
	};
}

/** Filters for Get Many, sent as Halo query parameters. */
export function filtersCollection(defs: HaloFieldDef[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: sortByName(defs.map((def) => haloField(def, 'query'))),
	};
}

/** Return All + Limit. The runner pages with page_size/page_no and trims to the limit. */
export function returnAllAndLimit(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/**
 * A record id as a resource locator: From List (searchable), By ID, By URL of the record in
 * Halo's agent portal. Sends nothing itself; the operation's routing reads it.
 */
export function idLocator(
	spec: ResourceSpec,
	name: string,
	routing: INodeProperties['routing'],
	searchListMethod?: string,
): INodeProperties {
	const idRegex = spec.guidIds ? '[0-9a-fA-F-]{36}' : '[0-9]+';
	const modes: INodeProperties['modes'] = [];
	if (searchListMethod) {
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode has no default
		modes.push({
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod, searchable: true },
		});
	}
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode has no default
	modes.push({
		displayName: 'By ID',
		name: 'id',
		type: 'string',
		placeholder: spec.guidIds ? 'e.g. 3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f' : 'e.g. 1042',
		validation: [
			{
				type: 'regex',
				properties: { regex: `^${idRegex}$`, errorMessage: `Not a valid ${spec.label} ID` },
			},
		],
	});
	if (spec.portalUrlPattern) {
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode has no default
		modes.push({
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: `e.g. https://yourcompany.halopsa.com/${spec.portalUrlPattern.split('\\?')[0]}?...`,
			extractValue: { type: 'regex', regex: spec.portalUrlPattern },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*${spec.portalUrlPattern}.*`,
						errorMessage: `Not a Halo ${spec.label.toLowerCase()} URL`,
					},
				},
			],
		});
	}
	return {
		displayName: `${spec.label} ID`,
		name,
		type: 'resourceLocator',
		default: { mode: searchListMethod ? 'list' : 'id', value: '' },
		required: true,
		description: `The ${spec.label.toLowerCase()} to use`,
		modes,
		routing,
	};
}

/**
 * Document lines (invoice, quote, order lines) as rows of Halo line fields, turned into the
 * body's `lines` array by buildWriteBody. Each value is named after its Halo key.
 */
export function documentLines(defs: HaloFieldDef[]): INodeProperties {
	return {
		displayName: 'Lines',
		name: 'linesUi',
		type: 'fixedCollection',
		placeholder: 'Add Line',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Line',
				name: 'line',
				values: sortByName(
					defs.map((def) => {
						const { routing: _routing, ...value } = haloField(def, 'body');
						return value;
					}),
				),
			},
		],
	};
}
