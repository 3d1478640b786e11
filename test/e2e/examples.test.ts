/**
 * Every workflow in examples/ runs in a real n8n against the emulator. The trigger (manual,
 * schedule, or the poll trigger, which poll.test.ts covers) is swapped for a webhook so the test
 * can start it; the HaloPSA nodes are used unchanged.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { CREDENTIAL_TYPE, ROOT, type WorkflowJson } from './harness';
import { CREDENTIAL_ID, startStack, type Stack } from './stack';

jest.setTimeout(300_000);

const examples = readdirSync(join(ROOT, 'examples'))
	.filter((f) => f.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as WorkflowJson }));

const SWAPPED_TRIGGERS = [
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.scheduleTrigger',
	'n8n-nodes-halopsa.haloPsaPollTrigger',
];

function startable(workflow: WorkflowJson): WorkflowJson {
	const nodes = (workflow.nodes as Array<Record<string, any>>).map((node) => {
		if (SWAPPED_TRIGGERS.includes(node.type)) {
			return {
				...node,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: `example-${workflow.id}`,
				parameters: {
					httpMethod: 'POST',
					path: `example-${workflow.id}`,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			};
		}
		return node.credentials
			? { ...node, credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HaloPSA emulator' } } }
			: node;
	});
	return { ...workflow, nodes };
}

let stack: Stack;

beforeAll(async () => {
	stack = await startStack(
		'examples',
		[{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } }],
		{
			extraWorkflows: examples.map((e) => startable(e.workflow)),
		},
	);
});

afterAll(async () => await stack?.stop());

test('there is an example per main resource', () => {
	const resources = new Set(
		examples.flatMap((e) =>
			(e.workflow.nodes as Array<Record<string, any>>).map((n) => n.parameters?.resource).filter(Boolean),
		),
	);
	for (const resource of [
		'ticket',
		'ticketAction',
		'client',
		'site',
		'user',
		'asset',
		'agent',
		'lookup',
		'webhook',
		'contract',
		'invoice',
		'opportunity',
		'softwareLicence',
		'customApiCall',
		'report',
	])
		expect(resources).toContain(resource);
});

test.each(examples.map((e) => [e.file, e.workflow] as const))(
	'%s runs and its last node returns items',
	async (_file, workflow) => {
		const result = await stack.n8n.webhook(`example-${workflow.id}`, {});
		expect(result.status).toBe(200);
		expect(Array.isArray(result.body)).toBe(true);
		for (const item of result.body) expect(item.error).toBeUndefined();
		if (workflow.id !== 'exampleWebhooks') expect(result.body.length).toBeGreaterThan(0);
	},
);
