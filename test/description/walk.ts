import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { HaloPsa } from '../../nodes/HaloPsa/HaloPsa.node';

export const description = new HaloPsa().description;

/** Resource/operation pairs the node offers. */
export function operationsOf(): Array<{ resource: string; operation: string; option: INodePropertyOptions }> {
	const resources = (description.properties.find((p) => p.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	const pairs: Array<{ resource: string; operation: string; option: INodePropertyOptions }> = [];
	for (const resource of resources) {
		const selector = description.properties.find(
			(p) =>
				p.name === 'operation' &&
				(p.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)),
		);
		for (const option of (selector?.options ?? []) as INodePropertyOptions[]) {
			pairs.push({ resource: String(resource.value), operation: String(option.value), option });
		}
	}
	return pairs;
}

/** Top-level properties displayed for a resource and operation. */
export function visibleFor(resource: string, operation: string): INodeProperties[] {
	return description.properties.filter((p) => {
		const show = p.displayOptions?.show;
		if (!show) return true;
		const resources = show.resource as string[] | undefined;
		const operations = show.operation as string[] | undefined;
		return (!resources || resources.includes(resource)) && (!operations || operations.includes(operation));
	});
}

/** Every property, recursively (collections, fixed collections). */
export function allProperties(properties: INodeProperties[] = description.properties): INodeProperties[] {
	const out: INodeProperties[] = [];
	for (const property of properties) {
		out.push(property);
		if (property.type === 'collection') out.push(...allProperties(property.options as INodeProperties[]));
		if (property.type === 'fixedCollection') {
			for (const group of property.options as INodePropertyCollection[]) out.push(...allProperties(group.values));
		}
	}
	return out;
}
