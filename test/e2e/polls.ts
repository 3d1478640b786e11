/**
 * The poll trigger in a real n8n: a workflow of the trigger and a No-Op, what its executions
 * emitted, and its static data (the cursor).
 */
import { parse as parseFlatted } from 'flatted';

import { CREDENTIAL_TYPE, type WorkflowJson } from './harness';
import { CREDENTIAL_ID, type Stack } from './stack';

export const POLL_NODE = 'HaloPSA Poll Trigger';

/** n8n polls at least a minute apart per poll time, but takes several: one at each of these seconds */
export function everySeconds(seconds: number): unknown {
	const item = [];
	for (let second = 0; second < 60; second += seconds)
		item.push({ mode: 'custom', cronExpression: `${second} * * * * *` });
	return { item };
}

export function pollWorkflow(
	id: string,
	event: string,
	pollTimes: unknown = { item: [{ mode: 'everyHour', minute: 0 }] },
	filters: Record<string, unknown> = {},
): WorkflowJson {
	return {
		id,
		name: id,
		nodes: [
			{
				id: `${id}-poll`,
				name: POLL_NODE,
				type: 'n8n-nodes-halopsa.haloPsaPollTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes, event, filters, options: {} },
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HaloPSA emulator' } },
			},
			{
				id: `${id}-noop`,
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: { [POLL_NODE]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export async function staticData(stack: Stack, id: string): Promise<string> {
	return JSON.stringify((await stack.n8n.rest('GET', `/workflows/${id}`)).body?.data?.staticData ?? {});
}

/** Every item the trigger emitted in this workflow's executions so far, oldest first. */
export async function emitted(stack: Stack, id: string): Promise<any[]> {
	const list = await stack.n8n.rest(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}&limit=250`,
	);
	const results = (list.body?.data?.results ?? []) as Array<{ id: string }>;
	const items: any[] = [];
	for (const execution of [...results].reverse()) {
		const full = await stack.n8n.rest('GET', `/executions/${execution.id}`);
		const data = parseFlatted(full.body.data.data);
		for (const item of data.resultData.runData[POLL_NODE]?.[0]?.data?.main?.[0] ?? []) items.push(item.json);
	}
	return items;
}

/** Waits until a workflow's activation poll has set its cursor. */
export async function cursorSet(stack: Stack, id: string): Promise<void> {
	for (let i = 0; i < 80 && !(await staticData(stack, id)).includes('cursor'); i++)
		await new Promise((r) => setTimeout(r, 250));
	if (!(await staticData(stack, id)).includes('cursor')) throw new Error(`workflow ${id} set no cursor`);
}
