/**
 * Every workflow in examples/ runs in a real n8n against the emulator. The trigger (manual,
 * schedule, or the poll trigger, which poll.test.ts covers) is swapped for a webhook so the test
 * can start it; the HaloPSA nodes are used unchanged.
 */
import { CREDENTIAL_ID, startStack, type Stack } from './stack';
import { examplePath, loadExamples, startableExample } from './workflows';

jest.setTimeout(300_000);

const examples = loadExamples();

let stack: Stack;

beforeAll(async () => {
	stack = await startStack(
		'examples',
		[{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } }],
		{
			extraWorkflows: examples.map((e) => startableExample(e.workflow, CREDENTIAL_ID)),
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
		const result = await stack.n8n.webhook(examplePath(workflow), {});
		expect(result.status).toBe(200);
		expect(Array.isArray(result.body)).toBe(true);
		for (const item of result.body) expect(item.error).toBeUndefined();
		if (workflow.id !== 'exampleWebhooks') expect(result.body.length).toBeGreaterThan(0);
	},
);
