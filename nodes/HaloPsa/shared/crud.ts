import type { INodeProperties } from 'n8n-workflow';

import { showFor } from './display';
import { bodyFieldsCollection, filtersCollection, haloField, idLocator, type HaloFieldDef } from './fields';
import { checkFilters, idParameter } from './hooks';
import {
	bulkOperation,
	operationOption,
	operationSelector,
	type ExtraOperation,
	type OperationName,
} from './operations';
import { searchMethod, type HaloResource, type RecordPicker } from './resource';
import type { ResourceSpec } from './specs';

/** Everything that differs between Halo's uniform CRUD resources. */
export interface CrudResourceDef {
	spec: ResourceSpec;
	operations: OperationName[];
	/** how records appear in dropdowns and the ID locator's "From List" */
	picker?: RecordPicker;
	/** top-level fields required on create (each with its own routing) */
	required?: INodeProperties[];
	/** optional fields on create; also offered on update */
	fields?: HaloFieldDef[];
	/** fields offered only on update (the required ones, under their Halo keys) */
	updateOnly?: HaloFieldDef[];
	/** Get Many filters (query parameters) */
	filters?: HaloFieldDef[];
	/** Get options (query parameters) */
	getOptions?: HaloFieldDef[];
	/** Delete options (query parameters) */
	deleteOptions?: HaloFieldDef[];
	/** offer Halo custom fields ({id, value}) on create and update */
	customFields?: boolean;
	/** extra properties for create and update (e.g. asset-type fields, document lines) */
	extraWriteFields?: INodeProperties[];
	/** operations beyond the five above (Invoice Void, Agent Get Current ...) */
	extraOperations?: ExtraOperation[];
	/** the operation selected when the resource is picked (default: Get, or the first) */
	defaultOperation?: string;
}

function optionsCollection(name: string, displayName: string, defs: HaloFieldDef[]): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: defs.map((def) => haloField(def, 'query')),
	};
}

/** Builds a uniform Halo resource (its operations and parameters) from its definition. */
export function crudResource(def: CrudResourceDef): HaloResource {
	const { spec, operations } = def;
	const fields = def.fields ?? [];
	const has = (op: OperationName) => operations.includes(op);
	const extras = [...(has('create') ? [bulkOperation(spec)] : []), ...(def.extraOperations ?? [])];
	const withExtras = (collection: INodeProperties): INodeProperties => {
		if (!def.extraWriteFields?.length) return collection;
		const options = [...(collection.options as INodeProperties[]), ...def.extraWriteFields];
		return { ...collection, options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
	};
	const searchable = def.picker && def.picker.searchable !== false;
	const idOps = [
		...(['get', 'update', 'delete'] as OperationName[]).filter(has),
		...extras.filter((extra) => extra.needsId).map((extra) => String(extra.option.value)),
	];
	const selector = operationSelector(
		spec,
		[
			...operations.map((operation) =>
				operation === 'getAll'
					? operationOption(spec, operation, [checkFilters(def.filters ?? [])])
					: operationOption(spec, operation),
			),
			...extras.map((extra) => extra.option),
		],
		def.defaultOperation ?? (has('get') ? 'get' : operations[0]),
	);
	const properties: INodeProperties[] = [selector];
	if (idOps.length) {
		properties.push(
			...showFor(spec.value, idOps, [
				idLocator(spec, idParameter(spec), undefined, searchable ? searchMethod(spec) : undefined),
			]),
		);
	}
	if (has('create')) {
		properties.push(
			...showFor(
				spec.value,
				['create'],
				[
					...(def.required ?? []),
					withExtras(bodyFieldsCollection('additionalFields', fields, { customFields: def.customFields })),
				],
			),
		);
	}
	if (has('update')) {
		properties.push(
			...showFor(
				spec.value,
				['update'],
				[
					withExtras(
						bodyFieldsCollection('updateFields', [...(def.updateOnly ?? []), ...fields], {
							customFields: def.customFields,
						}),
					),
				],
			),
		);
	}
	if (has('get') && def.getOptions?.length) {
		properties.push(...showFor(spec.value, ['get'], [optionsCollection('options', 'Options', def.getOptions)]));
	}
	if (has('delete') && def.deleteOptions?.length) {
		properties.push(...showFor(spec.value, ['delete'], [optionsCollection('options', 'Options', def.deleteOptions)]));
	}
	if (has('getAll')) {
		properties.push(...showFor(spec.value, ['getAll'], [filtersCollection(def.filters ?? [])]));
	}
	for (const extra of extras) {
		if (extra.properties?.length)
			properties.push(...showFor(spec.value, [String(extra.option.value)], extra.properties));
	}
	return { spec, properties, picker: def.picker };
}

/** A required top-level string (or date-time) sent to the body under the Halo key. */
export function requiredString(
	displayName: string,
	name: string,
	key: string,
	description: string,
	type: 'string' | 'dateTime' = 'string',
): INodeProperties {
	return {
		displayName,
		name,
		type,
		required: true,
		default: '',
		description,
		routing: { send: { type: 'body', property: key } },
	};
}

/** A required top-level dropdown of Halo records, sent to the body as an integer id. */
export function requiredPicker(
	label: string,
	name: string,
	key: string,
	loadOptionsMethod: string,
	loadOptionsDependsOn?: string[],
): INodeProperties {
	return {
		displayName: `${label} Name or ID`,
		name,
		type: 'options',
		required: true,
		typeOptions: { loadOptionsMethod, ...(loadOptionsDependsOn ? { loadOptionsDependsOn } : {}) },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		routing: { send: { type: 'body', property: key, value: '={{ Number($value) }}' } },
	};
}
