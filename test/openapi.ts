/**
 * Reads Halo's OpenAPI document (../shared/halo-api/openapi.json beside the clone): the query
 * parameter names per path and method, and the property names of POST bodies and their lines.
 * Tests that need it fail, never skip, when the document is missing.
 */
import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';

export const OPENAPI_PATH = resolve(__dirname, '..', '..', 'shared', 'halo-api', 'openapi.json');

export interface OperationNames {
	query: string[];
	body?: string[];
	/** properties of the body's `lines` items (invoice, quote and order lines) */
	lines?: string[];
}

type Schema = { properties?: Record<string, { items?: { $ref?: string } }>; items?: { $ref?: string }; $ref?: string };
let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } } | undefined;

function load() {
	if (doc) return doc;
	if (!existsSync(OPENAPI_PATH)) {
		throw new Error(
			`Halo's OpenAPI document is missing at ${OPENAPI_PATH}: clone the repository with ../shared beside it`,
		);
	}
	doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
	return doc as NonNullable<typeof doc>;
}

const schemaOf = (ref?: string): Schema | undefined =>
	ref ? load().components.schemas[ref.split('/').pop() as string] : undefined;

/** Names the document allows for one operation, or undefined when it has no such path or method. */
export function namesFor(path: string, method: string): OperationNames | undefined {
	const operation = load().paths[path]?.[method.toLowerCase()];
	if (!operation) return undefined;
	const names: OperationNames = {
		query: (operation.parameters ?? [])
			.filter((p: { in: string }) => p.in === 'query')
			.map((p: { name: string }) => p.name),
	};
	const body = operation.requestBody?.content?.['application/json']?.schema as Schema | undefined;
	const schema = schemaOf(body?.items?.$ref ?? body?.$ref);
	if (schema?.properties) {
		names.body = Object.keys(schema.properties);
		const lines = schemaOf(schema.properties.lines?.items?.$ref);
		if (lines?.properties) names.lines = Object.keys(lines.properties);
	}
	return names;
}
