/**
 * Builds test workflows: Webhook -> Switch (by body.case index) -> one HaloPSA node per case.
 * The webhook answers with every item of the node that ran last, so a POST runs one case.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { CREDENTIAL_TYPE, NODE_TYPE, ROOT, type WorkflowJson } from './harness';

/** The workflows in examples/, as shipped, with their file names. */
export function loadExamples(): Array<{ file: string; workflow: WorkflowJson }> {
	const folder = join(ROOT, 'examples');
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowJson }));
}

/** The webhook path of an example made startable by startableExample. */
export const examplePath = (workflow: WorkflowJson): string => `example-${workflow.id}`;

/**
 * What went wrong when a startable example ran through its webhook: '' when it answered 200 with
 * a list of items and none of them is an error, else its status and the start of its answer.
 */
export function exampleFailure(result: { status: number; body: unknown }): string {
	const items = result.body;
	const ok =
		result.status === 200 &&
		Array.isArray(items) &&
		!items.some((item: { error?: unknown } | null) => item?.error !== undefined);
	return ok ? '' : `${result.status} ${JSON.stringify(result.body).slice(0, 600)}`;
}

const SWAPPED_TRIGGERS = [
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.scheduleTrigger',
	'n8n-nodes-halopsa.haloPsaPollTrigger',
];

/**
 * An example a test can start: its trigger (manual, schedule, or the poll trigger, which
 * poll.test.ts covers) becomes a webhook at `example-<id>` answering with the last node's items;
 * the HaloPSA nodes are used unchanged, on the given credential.
 */
export function startableExample(workflow: WorkflowJson, credentialId: string): WorkflowJson {
	const nodes = (workflow.nodes as Array<Record<string, any>>).map((node) => {
		if (SWAPPED_TRIGGERS.includes(node.type)) {
			return {
				...node,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: examplePath(workflow),
				parameters: {
					httpMethod: 'POST',
					path: examplePath(workflow),
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			};
		}
		return node.credentials
			? { ...node, credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'HaloPSA emulator' } } }
			: node;
	});
	return { ...workflow, nodes };
}

export interface NodeCase {
	/** unique name, also the node name */
	name: string;
	parameters: Record<string, unknown>;
	/** continue on fail: errors become output items */
	continueOnFail?: boolean;
	/** split the webhook body's `items` array into one n8n item each before the node */
	splitItems?: boolean;
	/** node settings, e.g. { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } */
	settings?: Record<string, unknown>;
}

export function caseWorkflow(id: string, path: string, credentialId: string, cases: NodeCase[]): WorkflowJson {
	const nodes: unknown[] = [
		{
			id: `${id}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `${id}-hook`,
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{
			id: `${id}-switch`,
			name: 'Switch',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3,
			position: [200, 0],
			parameters: { mode: 'expression', numberOutputs: cases.length, output: '={{ $json.body.case }}' },
		},
	];
	const switchOutputs: unknown[] = [];
	const connections: Record<string, unknown> = {};
	cases.forEach((testCase, index) => {
		let entry = testCase.name;
		if (testCase.splitItems) {
			entry = `${testCase.name} items`;
			nodes.push({
				id: `${id}-split-${index}`,
				name: entry,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [300, index * 120],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			});
			connections[entry] = { main: [[{ node: testCase.name, type: 'main', index: 0 }]] };
		}
		nodes.push({
			id: `${id}-case-${index}`,
			name: testCase.name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [400, index * 120],
			parameters: testCase.parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'HaloPSA emulator' } },
			...(testCase.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			...(testCase.settings ?? {}),
		});
		switchOutputs.push([{ node: entry, type: 'main', index: 0 }]);
	});
	return {
		id,
		name: `HaloPSA tests ${id}`,
		nodes,
		connections: {
			...connections,
			Webhook: { main: [[{ node: 'Switch', type: 'main', index: 0 }]] },
			Switch: { main: switchOutputs },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Index of a case by name, for the webhook body. */
export function caseIndex(cases: NodeCase[], name: string): number {
	const index = cases.findIndex((c) => c.name === name);
	if (index < 0) throw new Error(`no case ${name}`);
	return index;
}

/**
 * "Create items": one ticket per input item (the webhook body's `items`), summary from the item,
 * continue-on-fail so each failure stays paired with its item. Used by load, fault and bench runs.
 */
export function createTicketsCase(additionalFields: Record<string, unknown> = {}): NodeCase {
	return {
		name: 'Create items',
		splitItems: true,
		continueOnFail: true,
		parameters: {
			resource: 'ticket',
			operation: 'create',
			summary: '={{ $json.summary }}',
			ticketTypeId: 1,
			additionalFields: { client_id: 1, ...additionalFields },
		},
	};
}

/** A workflow with only the HaloPSA Trigger (automatic setup) for the given events; its webhook path is `<id>-hook`. */
export function triggerWorkflowJson(id: string, credentialId: string, events: number[]): WorkflowJson {
	return {
		id,
		name: `HaloPSA trigger ${id}`,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'HaloPSA Trigger',
				type: 'n8n-nodes-halopsa.haloPsaTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `${id}-hook`,
				parameters: { setup: 'automatic', events },
				credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'HaloPSA emulator' } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}
