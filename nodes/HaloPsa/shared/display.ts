import type { INodeProperties } from 'n8n-workflow';

/** Shows properties only for one resource and the given operations (deep-merged, like updateDisplayOptions). */
export function showFor(
	resource: string | string[],
	operations: string[],
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: {
				...property.displayOptions?.show,
				resource: ([] as string[]).concat(resource),
				operation: operations,
			},
		},
	}));
}
