/**
 * Halo's attachments and reporting engine as the emulator plays them (issue 10): the file's bytes
 * on GET /Attachment/{id} with its name and type in the headers, never its base64 in JSON (a
 * hostile name reaches the node's safe-name rule intact, issue 17); the
 * documented SQL subset, and SQL Server's words for anything else; change windows on clients.
 */
import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../../emulator';
import { fileNameFromDisposition, safeFileName } from '../../nodes/HaloPsa/shared/files';
import { haloClient, type HaloClient } from '../halo-client';

let emulator: Emulator;
let halo: HaloClient;

beforeAll(async () => {
	emulator = await startEmulator({ quiet: true, tenant: null });
	halo = haloClient(emulator);
});
afterAll(async () => await emulator.stop());

test('an attachment is stored from base64 and downloaded as bytes with its name and type', async () => {
	const saved = await halo.post('/Attachment', [
		{
			ticket_id: 1,
			filename: 'naïve.txt',
			content_type: 'text/plain',
			data_base64: Buffer.from('héllo').toString('base64'),
		},
	]);
	expect(saved).toMatchObject({ ticket_id: 1, filename: 'naïve.txt', filesize: 6 });
	expect(saved.data_base64).toBeUndefined();
	const list = await halo.get('/Attachment?ticket_id=1');
	expect(list.attachments.map((a: { id: number }) => a.id)).toContain(saved.id);
	const response = await fetch(`${emulator.apiUrl}/Attachment/${saved.id}`, {
		headers: { Authorization: `Bearer ${await halo.token()}` },
	});
	expect(response.headers.get('content-type')).toBe('text/plain');
	expect(response.headers.get('content-disposition')).toBe(
		`attachment; filename="na_ve.txt"; filename*=UTF-8''na%C3%AFve.txt`,
	);
	expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('héllo');
});

test('a hostile file name travels in Content-Disposition, and the node keeps only a safe base name', async () => {
	const names: Array<[string, string]> = [
		['../../.ssh/authorized_keys', 'authorized_keys'],
		['invoice\r\nX-Injected: 1.pdf', 'invoiceX-Injected_ 1.pdf'],
		['report\u202Efdp.exe', 'reportfdp.exe'],
	];
	for (const [filename, safe] of names) {
		const saved = await halo.post('/Attachment', [{ ticket_id: 1, filename, data_base64: 'YQ==' }]);
		const response = await fetch(`${emulator.apiUrl}/Attachment/${saved.id}`, {
			headers: { Authorization: `Bearer ${await halo.token()}` },
		});
		// the header itself carries no CR LF (filename* is percent-encoded); the decoded name does
		const header = response.headers.get('content-disposition');
		expect(header).not.toMatch(/[\r\n]/);
		expect(response.headers.get('x-injected')).toBeNull();
		expect(fileNameFromDisposition(header)).toBe(filename);
		expect(safeFileName(fileNameFromDisposition(header), 'attachment')).toBe(safe);
	}
});

test('an attachment needs a ticket that exists, a file name and base64 content', async () => {
	expect(
		(await halo.request('POST', '/Attachment', [{ ticket_id: 999999, filename: 'a', data_base64: 'YQ==' }])).status,
	).toBe(400);
	expect((await halo.request('POST', '/Attachment', [{ ticket_id: 1, data_base64: 'YQ==' }])).status).toBe(400);
	expect(
		(await halo.request('POST', '/Attachment', [{ ticket_id: 1, filename: 'a', data_base64: '***' }])).status,
	).toBe(400);
});

test('Run SQL: the documented subset answers report.rows and available_columns', async () => {
	const answer = await halo.post('/Report', [
		{ _loadreportonly: true, sql: "SELECT TOP 2 id, name AS client FROM AREA WHERE name = 'Acme Corp'" },
	]);
	expect(answer.report).toEqual({ loaded: true, load_error: '', rows: [{ id: 1, client: 'Acme Corp' }] });
	expect(answer.available_columns.map((c: { name: string }) => c.name)).toEqual(['id', 'client']);
	const saved = await halo.get('/Report/2?loadreport=true');
	expect(saved.report.rows.length).toBe(emulator.store.list('clients').length);
});

test("SQL outside the subset is refused in SQL Server's words", async () => {
	const refused = async (sql: string) =>
		(await halo.request('POST', '/Report', [{ _loadreportonly: true, sql }])).body.error;
	expect(await refused('DELETE FROM FAULTS')).toBe("Incorrect syntax near 'DELETE'.");
	expect(await refused('SELECT id FROM nowhere')).toBe("Invalid object name 'nowhere'.");
	expect(await refused('SELECT nosuch FROM FAULTS')).toBe("Invalid column name 'nosuch'.");
});

test('running a report needs read:reporting', async () => {
	emulator.addClient({ clientId: 'no-reports', clientSecret: 's', scopes: ['read:tickets'] });
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: 'no-reports',
		client_secret: 's',
		scope: 'read:tickets',
	});
	const token = (
		(await (await fetch(`${emulator.authUrl}/token`, { method: 'POST', body: form })).json()) as {
			access_token: string;
		}
	).access_token;
	const response = await fetch(`${emulator.apiUrl}/Report`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify([{ _loadreportonly: true, sql: 'SELECT id FROM FAULTS' }]),
	});
	expect(response.status).toBe(403);
	expect(JSON.stringify(await response.json())).toContain('read:reporting');
	expect(DEFAULT_CLIENT.scopes).toEqual(['all']);
});

test('clients changed since a time (lastupdatefromdate) carry their change time', async () => {
	const since = new Date(Date.now() - 1000).toISOString();
	const changed = await halo.post('/Client', [{ name: 'Changed just now' }]);
	const list = await halo.get(`/Client?lastupdatefromdate=${encodeURIComponent(since)}`);
	expect(list.clients.map((c: { id: number }) => c.id)).toEqual([changed.id]);
	expect(list.clients[0].alastupdate).toEqual(expect.any(String));
});
