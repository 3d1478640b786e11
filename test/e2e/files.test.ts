/**
 * Files and reports in a real n8n (issue 10): binary data uploaded to a ticket in one request,
 * downloaded back byte for byte with its name and type, refused before sending when too large,
 * attached by Ticket Create; Run SQL and saved reports as items. Issue 17: a download keeps a safe
 * name and stops at Max File Size; a file n8n stored (filesystem mode) is streamed into its upload;
 * "*" on an item without files is an error item, not a lost item.
 */
import { CREDENTIAL_TYPE, NODE_TYPE, type WorkflowJson } from './harness';
import { CREDENTIAL_ID, startStack, type Stack } from './stack';

jest.setTimeout(240_000);

const halo = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	parameters,
	credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HaloPSA emulator' } },
	...extra,
});

/** Turns the webhook body's `files` ({name, text, fileName, mimeType}) into binary properties. */
const makeFiles = {
	name: 'Make Files',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: {
		jsCode: [
			'const body = $input.first().json.body;',
			'const binary = {};',
			'for (const f of body.files ?? []) {',
			"  binary[f.name] = { data: Buffer.from(f.text).toString('base64'), mimeType: f.mimeType, fileName: f.fileName };",
			'}',
			'return [{ json: { ticketId: body.ticketId }, binary }];',
		].join('\n'),
	},
};

const toBase64 = {
	name: 'Read Back',
	type: 'n8n-nodes-base.extractFromFile',
	typeVersion: 1,
	parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'content', options: {} },
};

/** Webhook -> nodes in a line; the webhook answers with the last node's items. */
function chain(id: string, nodes: Array<Record<string, unknown>>): WorkflowJson {
	const all = [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: `${id}-hook`,
			parameters: { httpMethod: 'POST', path: id, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		...nodes,
	].map((node, index) => ({ id: `${id}-${index}`, position: [index * 200, 0], ...node }) as Record<string, unknown>);
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++)
		connections[String(all[i].name)] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

const ticketById = { __rl: true, mode: 'id', value: '={{ $json.ticketId }}' };

const workflows: WorkflowJson[] = [
	chain('upload', [
		makeFiles,
		halo(
			'Upload',
			{
				resource: 'attachment',
				operation: 'upload',
				ticketId: ticketById,
				binaryPropertyName: '={{ $("Webhook").first().json.body.property ?? "data" }}',
				uploadOptions: { maxFileSizeMb: '={{ $("Webhook").first().json.body.maxMb ?? 25 }}' },
			},
			{ onError: 'continueRegularOutput' },
		),
	]),
	chain('download', [
		halo(
			'Download',
			{
				resource: 'attachment',
				operation: 'download',
				attachmentId: '={{ $json.body.attachmentId }}',
				binaryPropertyName: 'data',
				downloadOptions: { maxFileSizeMb: '={{ $json.body.maxMb ?? 25 }}' },
			},
			{ onError: 'continueRegularOutput' },
		),
		toBase64,
	]),
	// a file n8n stored as binary data (filesystem mode in n8n 2.x), uploaded again
	chain('download-upload', [
		halo('Download', {
			resource: 'attachment',
			operation: 'download',
			attachmentId: '={{ $json.body.attachmentId }}',
			binaryPropertyName: 'data',
		}),
		halo('Upload', {
			resource: 'attachment',
			operation: 'upload',
			ticketId: { __rl: true, mode: 'id', value: '={{ $("Webhook").first().json.body.ticketId }}' },
			binaryPropertyName: 'data',
		}),
	]),
	chain('ticket-with-files', [
		makeFiles,
		halo('Create Ticket', {
			resource: 'ticket',
			operation: 'create',
			summary: 'Printer on fire (from e-mail)',
			ticketTypeId: 1,
			attachBinaryProperties: '*',
			additionalFields: { client_id: 1 },
		}),
	]),
	chain('attachments-list', [
		halo('List', {
			resource: 'attachment',
			operation: 'getAll',
			ticketId: { __rl: true, mode: 'id', value: '={{ $json.body.ticketId }}' },
			returnAll: true,
			filters: {},
		}),
	]),
	chain('attachment-delete', [
		halo('Delete', { resource: 'attachment', operation: 'delete', attachmentId: '={{ $json.body.attachmentId }}' }),
	]),
	chain('sql', [
		halo(
			'Run SQL',
			{
				resource: 'report',
				operation: 'runSql',
				sql: 'SELECT TOP 5 id, summary AS title FROM FAULTS WHERE client_id = @client ORDER BY id',
				queryParameters: { parameter: [{ name: 'client', value: '={{ $json.body.client }}' }] },
				reportOutput: '={{ $json.body.output ?? "rows" }}',
			},
			{ onError: 'continueRegularOutput' },
		),
	]),
	chain('sql-bad', [
		halo(
			'Bad SQL',
			{ resource: 'report', operation: 'runSql', sql: 'DELETE FROM FAULTS', reportOutput: 'rows' },
			{ onError: 'continueRegularOutput' },
		),
	]),
	chain('saved-report', [
		halo('Run Saved', {
			resource: 'report',
			operation: 'run',
			reportId: { __rl: true, mode: 'id', value: '2' },
			reportOutput: 'rows',
		}),
	]),
];

let stack: Stack;

beforeAll(async () => {
	const listClients = {
		name: 'List clients',
		parameters: { resource: 'client', operation: 'getAll', returnAll: false, limit: 1, filters: {} },
	};
	stack = await startStack('files-cases', [listClients], { tenant: null, extraWorkflows: workflows });
});

afterAll(async () => {
	await stack?.stop();
});

const posts = (path: string) => stack.emulator.log.filter((r) => r.method === 'POST' && r.path.toLowerCase() === path);

test('Upload sends every binary property of the item in one request, with name and type', async () => {
	const ticket = stack.emulator.store.tickets()[0];
	stack.emulator.clearLog();
	const files = [
		{ name: 'data', text: 'hello from n8n', fileName: 'hello.txt', mimeType: 'text/plain' },
		{ name: 'second', text: '%PDF-1.4 pretend', fileName: 'quote.pdf', mimeType: 'application/pdf' },
	];
	const answer = await stack.n8n.webhook('upload', { ticketId: ticket.id, files, property: 'data, second' });
	expect(answer.status).toBe(200);
	expect(posts('/api/attachment')).toHaveLength(1);
	const saved = stack.emulator.store.list('attachments').filter((a) => a.ticket_id === ticket.id);
	expect(saved.map((a) => [a.filename, a.content_type, Buffer.from(a.data_base64, 'base64').toString()])).toEqual([
		['hello.txt', 'text/plain', 'hello from n8n'],
		['quote.pdf', 'application/pdf', '%PDF-1.4 pretend'],
	]);
	expect(answer.body.map((a: { filename: string }) => a.filename)).toEqual(['hello.txt', 'quote.pdf']);
});

test('a file over Max File Size is refused before anything is sent', async () => {
	const ticket = stack.emulator.store.tickets()[0];
	stack.emulator.clearLog();
	const files = [{ name: 'data', text: 'x'.repeat(3000), fileName: 'big.log', mimeType: 'text/plain' }];
	await stack.n8n.webhook('upload', { ticketId: ticket.id, files, maxMb: 0.001 });
	const items = await stack.n8n.nodeItems('upload', 'Upload');
	expect(items[0].json.error ?? items[0].error?.message).toMatch(/"big\.log" is 0\.0 MB, over the 0\.001 MB limit/);
	expect(posts('/api/attachment')).toHaveLength(0);
});

test('a missing binary property names the ones the item has', async () => {
	const files = [{ name: 'attachment_0', text: 'a', fileName: 'a.txt', mimeType: 'text/plain' }];
	await stack.n8n.webhook('upload', { ticketId: 1, files, property: 'data' });
	const items = await stack.n8n.nodeItems('upload', 'Upload');
	expect(JSON.stringify(items[0])).toContain('binary properties are: attachment_0');
});

test('Download puts the file in a binary property with its name and type; Get Many and Delete', async () => {
	const ticket = stack.emulator.store.tickets()[1];
	const files = [{ name: 'data', text: 'report body ✓', fileName: 'report ü.txt', mimeType: 'text/plain' }];
	const uploaded = await stack.n8n.webhook('upload', { ticketId: ticket.id, files });
	const id = uploaded.body[0].id;
	const answer = await stack.n8n.webhook('download', { attachmentId: id });
	expect(Buffer.from(answer.body[0].content, 'base64').toString()).toBe('report body ✓');
	const [downloaded] = await stack.n8n.nodeItems('download', 'Download');
	expect(downloaded.json).toMatchObject({ id, filename: 'report ü.txt', content_type: 'text/plain' });
	const run = await stack.n8n.nodeRun('download', 'Download');
	const binary = (run.data?.main?.[0]?.[0] as { binary?: Record<string, any> }).binary?.data;
	expect(binary).toMatchObject({ fileName: 'report ü.txt', mimeType: 'text/plain' });

	const list = await stack.n8n.webhook('attachments-list', { ticketId: ticket.id });
	expect(list.body.map((a: { id: number }) => a.id)).toContain(id);
	expect(JSON.stringify(list.body)).not.toContain('data_base64');
	const deleted = await stack.n8n.webhook('attachment-delete', { attachmentId: id });
	expect(deleted.body[0]).toEqual({ id, deleted: true });
	expect(stack.emulator.store.get('attachments', id)).toBeUndefined();
});

test('Ticket Create attaches every file of the item (as an e-mail trigger hands them over)', async () => {
	stack.emulator.clearLog();
	const files = [
		{ name: 'attachment_0', text: 'screenshot', fileName: 'screen.png', mimeType: 'image/png' },
		{ name: 'attachment_1', text: 'log', fileName: 'app.log', mimeType: 'text/plain' },
	];
	const answer = await stack.n8n.webhook('ticket-with-files', { files });
	const ticketId = answer.body[0].id;
	expect(answer.body[0].attachments.map((a: { filename: string }) => a.filename)).toEqual(['screen.png', 'app.log']);
	const saved = stack.emulator.store.list('attachments').filter((a) => a.ticket_id === ticketId);
	expect(saved).toHaveLength(2);
	expect(posts('/api/tickets')).toHaveLength(1);
	expect(posts('/api/attachment')).toHaveLength(1);
});

test('Run SQL: rows as items, a parameter bound as a literal, or all rows in one item', async () => {
	const expected = stack.emulator.store
		.tickets()
		.filter((t) => t.client_id === 1 && !t.deleted)
		.sort((a, b) => a.id - b.id)
		.slice(0, 5);
	const rows = await stack.n8n.webhook('sql', { client: 1 });
	expect(rows.body).toEqual(expected.map((t) => ({ id: t.id, title: t.summary })));
	const sent = posts('/api/report').at(-1)?.body as Array<{ sql: string; _loadreportonly: boolean }>;
	expect(sent[0]).toEqual({
		_loadreportonly: true,
		sql: 'SELECT TOP 5 id, summary AS title FROM FAULTS WHERE client_id = 1 ORDER BY id',
	});
	// item data never becomes SQL: a quote in the value stays inside the literal
	await stack.n8n.webhook('sql', { client: "1' OR '1'='1" });
	const injected = posts('/api/report').at(-1)?.body as Array<{ sql: string }>;
	expect(injected[0].sql).toContain("client_id = N'1'' OR ''1''=''1'");
	const whole = await stack.n8n.webhook('sql', { client: 1, output: 'whole' });
	expect(whole.body).toHaveLength(1);
	expect(whole.body[0]).toMatchObject({ columns: ['id', 'title'], row_count: expected.length });
});

test('SQL Halo refuses is a readable error naming the reporting permission path', async () => {
	await stack.n8n.webhook('sql-bad', {});
	const items = await stack.n8n.nodeItems('sql-bad', 'Bad SQL');
	const text = JSON.stringify(items[0]);
	expect(text).toContain('Incorrect syntax near');
	expect(text).not.toContain('may already have been saved');
});

test('Run a saved report by its ID', async () => {
	const answer = await stack.n8n.webhook('saved-report', {});
	const names = stack.emulator.store
		.list('clients')
		.map((c) => c.name)
		.sort();
	expect(answer.body.map((r: { name: string }) => r.name)).toEqual(names);
});

/** An attachment put straight into the emulator's store, as if someone had uploaded it to Halo. */
function storedAttachment(ticketId: number, filename: string, bytes: Buffer): number {
	return stack.emulator.store.insert('attachments', {
		ticket_id: ticketId,
		action_id: 0,
		filename,
		content_type: 'application/octet-stream',
		data_base64: bytes.toString('base64'),
		filesize: bytes.length,
	}).id as number;
}

test('Download keeps a safe base name, whatever name the file was uploaded to Halo under', async () => {
	const ticket = stack.emulator.store.tickets()[0];
	const names: Array<[string, string]> = [
		['../../.ssh/authorized_keys', 'authorized_keys'],
		['invoice\r\nX-Injected: 1.pdf', 'invoiceX-Injected_ 1.pdf'],
		['report\u202Efdp.exe', 'reportfdp.exe'],
	];
	for (const [name, safe] of names) {
		const id = storedAttachment(ticket.id, name, Buffer.from('payload'));
		const answer = await stack.n8n.webhook('download', { attachmentId: id });
		expect(Buffer.from(answer.body[0].content, 'base64').toString()).toBe('payload');
		const run = await stack.n8n.nodeRun('download', 'Download');
		const item = run.data?.main?.[0]?.[0] as { json: Record<string, unknown>; binary?: Record<string, any> };
		expect([name, item.json.filename, item.binary?.data?.fileName]).toEqual([name, safe, safe]);
		expect(item.binary?.data?.directory).toBeUndefined();
	}
});

test('Download stops at Max File Size', async () => {
	const id = storedAttachment(stack.emulator.store.tickets()[0].id, 'big.bin', Buffer.alloc(2 * 1_048_576, 7));
	await stack.n8n.webhook('download', { attachmentId: id, maxMb: 1 });
	const [item] = await stack.n8n.nodeItems('download', 'Download');
	expect(JSON.stringify(item)).toContain('The file \\"big.bin\\" is 2.0 MB, over the 1 MB limit');
	await stack.n8n.webhook('download', { attachmentId: id, maxMb: 0 });
	const [unlimited] = await stack.n8n.nodeItems('download', 'Download');
	expect(unlimited.json).toMatchObject({ filename: 'big.bin', filesize: 2 * 1_048_576 });
});

test('a file n8n stored is streamed into its upload byte for byte', async () => {
	const [from, to] = stack.emulator.store.tickets();
	// not a multiple of 3 bytes, over several of the chunks it is read in, every byte value
	const bytes = Buffer.from(Array.from({ length: 600_001 }, (_, i) => (i * 7) % 256));
	const id = storedAttachment(from.id, 'all bytes.bin', bytes);
	const answer = await stack.n8n.webhook('download-upload', { attachmentId: id, ticketId: to.id });
	// stored by n8n, not kept in memory as base64
	const run = await stack.n8n.nodeRun('download-upload', 'Download');
	expect((run.data?.main?.[0]?.[0] as { binary?: Record<string, any> }).binary?.data?.id).toEqual(expect.any(String));
	expect(answer.body[0]).toMatchObject({ ticket_id: to.id, filename: 'all bytes.bin', filesize: bytes.length });
	const saved = stack.emulator.store.get('attachments', answer.body[0].id) as { data_base64: string };
	expect(Buffer.from(saved.data_base64, 'base64').equals(bytes)).toBe(true);
});

test('"*" on an item without files is an error item, not a lost item', async () => {
	const ticket = stack.emulator.store.tickets()[0];
	stack.emulator.clearLog();
	await stack.n8n.webhook('upload', { ticketId: ticket.id, files: [], property: '*' });
	const items = await stack.n8n.nodeItems('upload', 'Upload');
	expect(items).toHaveLength(1);
	expect(JSON.stringify(items[0])).toContain('This item has no file to upload');
	expect(posts('/api/attachment')).toHaveLength(0);
});
