/**
 * The create -> get -> update -> get -> get many -> delete -> get (404) walk of one resource in a
 * real n8n, with each step's request checked in the emulator's log (method, route, query, body).
 */
import type { NodeCase } from './workflows';
import { byId, type Stack } from './stack';

/** An expression reading a field of the webhook body that started the run. */
export const fromBody = (name: string) => `={{ $json.body.${name} }}`;

export interface Cycle {
	resource: string;
	/** emulator route segment, e.g. clientcontract for POST /api/clientcontract */
	route: string;
	create: Record<string, unknown>;
	update: Record<string, unknown>;
	/** the exact POST body expected on create (from the create parameters) */
	createBody: (ctx: Record<string, any>) => Record<string, unknown>;
	updateBody: Record<string, unknown>;
	/** Delete options and the query they must send */
	deleteOptions?: Record<string, unknown>;
	deleteQuery?: Record<string, string>;
	/** keep the record (other resources need it); its delete runs later */
	keep?: boolean;
}

const idParam = (resource: string) => `${resource}Id`;

export function cycleCases(cycles: Cycle[]): NodeCase[] {
	return cycles.flatMap((c) => {
		const id = { [idParam(c.resource)]: byId(fromBody('id')) };
		return [
			{ name: `${c.resource} create`, parameters: { resource: c.resource, operation: 'create', ...c.create } },
			{
				name: `${c.resource} get`,
				continueOnFail: true,
				parameters: { resource: c.resource, operation: 'get', ...id },
			},
			{ name: `${c.resource} update`, parameters: { resource: c.resource, operation: 'update', ...id, ...c.update } },
			{
				name: `${c.resource} delete`,
				parameters: {
					resource: c.resource,
					operation: 'delete',
					...id,
					...(c.deleteOptions ? { options: c.deleteOptions } : {}),
				},
			},
			{
				name: `${c.resource} getAll`,
				parameters: { resource: c.resource, operation: 'getAll', returnAll: true, filters: {} },
			},
		];
	});
}

/** Runs the walk; returns the created record. */
export async function runCycle(stack: Stack, c: Cycle, ctx: Record<string, any>): Promise<Record<string, any>> {
	const { emulator } = stack;
	emulator.clearLog();
	const created = await stack.run(`${c.resource} create`, ctx);
	expect(created.status).toBe(200);
	const record = created.body[0];
	expect(record.id).toBeTruthy();
	const post = emulator.apiRequests();
	expect(post.map((r) => [r.route, r.query])).toEqual([[`POST /api/${c.route}`, {}]]);
	expect(post[0].body).toEqual([c.createBody(ctx)]);

	emulator.clearLog();
	const got = await stack.run(`${c.resource} get`, { id: record.id });
	expect(got.body).toEqual([expect.objectContaining({ id: record.id })]);
	expect(emulator.apiRequests().map((r) => r.route)).toEqual([`GET /api/${c.route}/:id`]);

	emulator.clearLog();
	const updated = await stack.run(`${c.resource} update`, { id: record.id });
	expect(updated.status).toBe(200);
	expect(emulator.apiRequests().map((r) => [r.route, r.body])).toEqual([
		[`POST /api/${c.route}`, [{ id: record.id, ...c.updateBody }]],
	]);
	const again = await stack.run(`${c.resource} get`, { id: record.id });
	expect(again.body[0]).toMatchObject(c.updateBody);

	const list = await stack.run(`${c.resource} getAll`);
	expect(list.body.map((r: { id: unknown }) => r.id)).toContain(record.id);

	if (!c.keep) await deleteAndCheck(stack, c, record.id);
	return record;
}

export async function deleteAndCheck(stack: Stack, c: Cycle, id: unknown): Promise<void> {
	const { emulator } = stack;
	emulator.clearLog();
	const deleted = await stack.run(`${c.resource} delete`, { id });
	expect(deleted.body).toEqual([{ id, deleted: true }]);
	expect(emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([
		[`DELETE /api/${c.route}/:id`, c.deleteQuery ?? {}],
	]);
	const gone = await stack.runItems(`${c.resource} get`, { id });
	expect(gone[0].error?.message).toMatch(/was not found in HaloPSA \(404\)$/);
	expect(gone[0].pairedItem).toEqual({ item: 0 });
}
