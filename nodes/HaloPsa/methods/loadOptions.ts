import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { haloResources } from '../resources';
import {
	dropdownByNameMethod,
	dropdownMethod,
	paramsHolding,
	type HaloResource,
	type RecordPicker,
} from '../shared/resource';
import { haloList } from '../transport';

/** Dropdown contents. Paged lists read up to 5 pages of 100 (use expressions beyond that). */
const MAX_PAGES = 5;

type Dropdown = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;

/**
 * A parameter of the form, or undefined when this resource does not show it: n8n's extractValue
 * throws "Could not find property" for a parameter that exists only for other resources (a site
 * dropdown under Ticket > Additional Fields asking for the top-level clientId of Site > Create).
 */
function formValue(ctx: ILoadOptionsFunctions, name: string): unknown {
	try {
		return ctx.getCurrentNodeParameter(name, { extractValue: true }) as unknown;
	} catch {
		return undefined;
	}
}

/** The first narrowing key the form already holds (e.g. the client chosen above a site dropdown). */
function narrowing(ctx: ILoadOptionsFunctions, picker: RecordPicker): IDataObject {
	for (const key of picker.narrowBy ?? []) {
		for (const name of paramsHolding(key)) {
			const value = formValue(ctx, name);
			if (value !== undefined && value !== '' && value !== null && Number(value) > 0) return { [key]: Number(value) };
		}
	}
	return {};
}

function dropdown({ spec, picker }: HaloResource & { picker: RecordPicker }, valueIsName: boolean): Dropdown {
	return async function (this: ILoadOptionsFunctions) {
		const qs = narrowing(this, picker);
		const narrowed = Object.keys(qs).length > 0;
		const { rows } = await haloList.call(this, spec, qs, { limit: Infinity, maxPages: MAX_PAGES });
		return rows
			.map((row) => {
				const name = picker.label(row, narrowed);
				return { name, value: picker.valueIsLabel || valueIsName ? name : (row.id as number) };
			})
			.sort((a, b) => a.name.localeCompare(b.name));
	};
}

/** One dropdown per resource with a picker (getClients, getSites ...), plus by-name ones (getTeamNames). */
export const loadOptions: Record<string, Dropdown> = {};
for (const resource of haloResources) {
	if (!resource.picker) continue;
	const withPicker = resource as HaloResource & { picker: RecordPicker };
	loadOptions[dropdownMethod(resource.spec)] = dropdown(withPicker, false);
	if (resource.picker.byName) loadOptions[dropdownByNameMethod(resource.spec)] = dropdown(withPicker, true);
}
