/**
 * Files and SQL helpers: the file name of a download, and item data reaching SQL only as literals;
 * files read only when their upload is sent, within a byte budget; what refuses a file.
 */
import { Readable } from 'stream';

import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import {
	attachmentToBinary,
	attachmentUploadBody,
	binaryPropertyNames,
	ByteBudget,
	checkDownloadOptions,
	fileNameFromDisposition,
	safeFileName,
	uploadBudget,
} from '../../nodes/HaloPsa/shared/files';
import { haloRequestPath } from '../../nodes/HaloPsa/shared/requestPath';
import { bindSqlParameters, sqlLiteral, SqlValueError } from '../../nodes/HaloPsa/shared/reports';

const ctx = { getNode: () => ({ name: 'HaloPSA' }), getItemIndex: () => 0 } as unknown as IExecuteSingleFunctions;

test('Content-Disposition: filename* (UTF-8) wins over filename; either alone works', () => {
	expect(fileNameFromDisposition(`attachment; filename="na_ve.txt"; filename*=UTF-8''na%C3%AFve.txt`)).toBe(
		'naïve.txt',
	);
	expect(fileNameFromDisposition('attachment; filename="report 1.pdf"')).toBe('report 1.pdf');
	expect(fileNameFromDisposition('attachment; filename=plain.csv')).toBe('plain.csv');
	expect(fileNameFromDisposition(undefined)).toBeUndefined();
});

test('binary property names: comma-separated, blanks dropped', () => {
	expect(binaryPropertyNames(' data, attachment_0 ,,')).toEqual(['data', 'attachment_0']);
	expect(binaryPropertyNames('')).toEqual([]);
});

test("SQL literals: finite numbers as they are, every text as N'...' with quotes doubled, nothing else", () => {
	expect(sqlLiteral(42)).toBe('42');
	expect(sqlLiteral(-1.5)).toBe('-1.5');
	expect(sqlLiteral('42')).toBe("N'42'");
	expect(sqlLiteral('0123')).toBe("N'0123'");
	expect(sqlLiteral("O'Brien")).toBe("N'O''Brien'");
	expect(sqlLiteral('1; DROP TABLE FAULTS --')).toBe("N'1; DROP TABLE FAULTS --'");
	expect(sqlLiteral(null)).toBe('NULL');
	expect(sqlLiteral(true)).toBe('1');
	for (const bad of [NaN, Infinity, -Infinity, Number('1e400'), { a: 1 }, [1, 2]])
		expect(() => sqlLiteral(bad)).toThrow(SqlValueError);
});

test('@parameters are bound by name (any case); other @names and @@names are left alone; an unused parameter is an error', () => {
	const sql =
		"SELECT Faultid FROM FAULTS WHERE Areaint = @Client AND Symptom <> 'a@team.example' AND Sectio_ = @team AND @@ROWCOUNT > 0";
	expect(
		bindSqlParameters(ctx, sql, [
			{ name: 'client', value: "3' OR 1=1 --" },
			{ name: '@team', value: 2 },
		]),
	).toBe(
		"SELECT Faultid FROM FAULTS WHERE Areaint = N'3'' OR 1=1 --' AND Symptom <> 'a@team.example' AND Sectio_ = 2 AND @@ROWCOUNT > 0",
	);
	expect(() => bindSqlParameters(ctx, 'SELECT 1 WHERE @@ROWCOUNT > 0', [{ name: 'rowcount', value: 1 }])).toThrow(
		'Query Parameter "rowcount" is not used in the SQL',
	);
	expect(() => bindSqlParameters(ctx, 'SELECT 1', [{ name: 'client', value: 1 }])).toThrow(
		'Query Parameter "client" is not used in the SQL',
	);
});

test('a parameter inside a quoted text, a quoted name or a comment is refused with the fix; bad names and values too', () => {
	const bind =
		(sql: string, value: unknown = 'x', name = 'subject') =>
		() =>
			bindSqlParameters(ctx, sql, [{ name, value }]);
	expect(bind("SELECT * FROM FAULTS WHERE Symptom = 'Re: @subject'")).toThrow(
		'Query Parameter "@subject" is inside a quoted text in the SQL',
	);
	let refused: { description?: string } | undefined;
	try {
		bind("SELECT * FROM FAULTS WHERE Symptom LIKE '%@subject%'")();
	} catch (error) {
		refused = error as { description?: string };
	}
	expect(refused?.description).toContain("write LIKE N'%' + @subject + N'%'");
	expect(bind("SELECT * FROM FAULTS WHERE Symptom = 'it''s @subject'")).toThrow('inside a quoted text');
	expect(bind('SELECT [@subject] FROM FAULTS')).toThrow('inside a quoted name');
	expect(bind('SELECT * FROM FAULTS -- where @subject\nWHERE 1 = 1')).toThrow('inside a comment');
	expect(bind('SELECT * FROM FAULTS /* @subject */ WHERE 1 = 1')).toThrow('inside a comment');
	// after a quoted text, a doubled quote, a comment and a bracket name, the statement goes on
	expect(bind("SELECT [a]]b], 'it''s' FROM FAULTS /* c */ WHERE Symptom = @subject -- end", "Re: it's")()).toBe(
		"SELECT [a]]b], 'it''s' FROM FAULTS /* c */ WHERE Symptom = N'Re: it''s' -- end",
	);
	expect(bind('SELECT @subject', 1, 'a(b')).toThrow('Query Parameter name "a(b" is not a name SQL can use');
	expect(bind('SELECT @subject', { a: 1 })).toThrow(
		'Query Parameter "subject" cannot go into the SQL: it is an object',
	);
	expect(bind('SELECT @subject', NaN)).toThrow('NaN is not a number SQL can take');
});

/*
 * Files sent as late as possible (issue 17 §3): an upload's file is read only when its request goes
 * out, within a byte budget the process shares; the checks that refuse an item before anything is
 * sent; download names and size.
 */
const MB = 1_048_576;

/** n8n-workflow's sleep never runs here: the credential sets no rate limit */
const credentials = async () => ({ urlMode: 'haloUrl', haloUrl: 'http://127.0.0.1:1', rateLimitRequests: 0 });

interface FakeFile {
	text: string;
	fileName?: string;
	/** the size n8n's metadata gives (default: the text's) */
	bytes?: number;
	/** stored by n8n (filesystem): read as a stream in chunks of this many bytes */
	streamChunk?: number;
}

/** One item's context, as the router hands it to a preSend and the request path. */
function itemContext(
	itemIndex: number,
	files: Record<string, FakeFile>,
	parameters: Record<string, unknown>,
	events: string[] = [],
	node: Record<string, unknown> = {},
) {
	const binary = Object.fromEntries(
		Object.entries(files).map(([name, f]) => [
			name,
			{
				data: f.streamChunk ? 'filesystem-v2' : Buffer.from(f.text).toString('base64'),
				...(f.streamChunk ? { id: `filesystem-v2:${itemIndex}-${name}` } : {}),
				bytes: f.bytes ?? Buffer.byteLength(f.text),
				mimeType: 'text/plain',
				fileName: f.fileName ?? `${name}.txt`,
			},
		]),
	);
	const helpers = {
		getBinaryDataBuffer: jest.fn(async (name: string) => {
			events.push(`read ${itemIndex}`);
			return Buffer.from(files[name].text);
		}),
		getBinaryStream: jest.fn(async (id: string) => {
			events.push(`read ${itemIndex}`);
			const file = Object.values(files).find((_, i) => id.endsWith(`-${Object.keys(files)[i]}`)) as FakeFile;
			const bytes = Buffer.from(file.text);
			const chunks: Buffer[] = [];
			for (let from = 0; from < bytes.length; from += file.streamChunk as number)
				chunks.push(bytes.subarray(from, from + (file.streamChunk as number)));
			return Readable.from(chunks);
		}),
		getBinaryMetadata: jest.fn(),
		prepareBinaryData: jest.fn(async (buffer: Buffer, fileName: string, mimeType: string) => ({
			data: buffer.toString('base64'),
			fileName,
			mimeType,
		})),
	};
	const single = {
		getNode: () => ({ name: 'HaloPSA', type: 'n8n-nodes-halopsa.haloPsa', retryOnFail: false, ...node }),
		getItemIndex: () => itemIndex,
		getInputData: () => ({ json: {}, binary }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: credentials,
		helpers,
	};
	return { single: single as unknown as IExecuteSingleFunctions, helpers };
}

interface Sent {
	itemIndex: number;
	body: string;
	answer: (value: unknown) => void;
}

/** The request path for one item; each request waits in `sent` until the test answers it. */
function pagingContext(single: IExecuteSingleFunctions, sent: Sent[], events: string[]) {
	return Object.create(single, {
		makeRoutingRequest: {
			value: async (requestData: DeclarativeRestApiSettings.ResultOptions) => {
				const itemIndex = single.getItemIndex();
				events.push(`send ${itemIndex}`);
				const body = requestData.options.body;
				const text = Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
				const answer = await new Promise((resolve) => sent.push({ itemIndex, body: text, answer: resolve }));
				return [{ json: answer }];
			},
		},
	}) as IExecutePaginationFunctions;
}

const uploadParameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'attachment',
	operation: 'upload',
	ticketId: '5',
	binaryPropertyName: 'data',
	...extra,
});

const request = (options: IHttpRequestOptions) =>
	({ options, preSend: [], postReceive: [], requestOperations: {} }) as DeclarativeRestApiSettings.ResultOptions;

/** Lets every promise that can move on do so (no clock involved). */
async function settle() {
	for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

test('an upload reads its file only when its request is sent, and no more than 64 MB of files at once', async () => {
	const events: string[] = [];
	const sent: Sent[] = [];
	// 8 items of 25 MB (as n8n's metadata says; the bytes read are short), all started at once
	const items = Array.from({ length: 8 }, (_, i) =>
		itemContext(i, { data: { text: `file ${i}`, bytes: 25 * MB } }, uploadParameters(), events),
	);
	const bodies = await Promise.all(
		items.map(async ({ single }) => await attachmentUploadBody.call(single, { url: '/Attachment', body: {} })),
	);
	// building the requests read nothing
	expect(events).toEqual([]);
	const runs = items.map(({ single }, i) =>
		haloRequestPath.call(pagingContext(single, sent, events), request(bodies[i])),
	);
	await settle();
	const reads = () => events.filter((e) => e.startsWith('read')).length;
	// two files fit in the budget; the third waits for an answer
	expect([...events].sort()).toEqual(['read 0', 'read 1', 'send 0', 'send 1']);
	expect(uploadBudget.inFlight).toBe(50 * MB);
	for (let answered = 1; answered <= 8; answered++) {
		const next = sent.shift() as Sent;
		expect(JSON.parse(next.body)).toEqual([
			{
				ticket_id: 5,
				filename: 'data.txt',
				content_type: 'text/plain',
				data_base64: Buffer.from(`file ${next.itemIndex}`).toString('base64'),
			},
		]);
		next.answer({ id: next.itemIndex + 100 });
		await settle();
		// one more file is read for each answer, never more than the budget
		expect(reads()).toBe(Math.min(8, answered + 2));
		expect(uploadBudget.inFlight).toBeLessThanOrEqual(64 * MB);
	}
	expect((await Promise.all(runs)).map((out) => out[0].json.id)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
	expect(uploadBudget.inFlight).toBe(0);
	// each file was read once, before its own request
	for (let i = 0; i < 8; i++) expect(events.indexOf(`read ${i}`)).toBeLessThan(events.indexOf(`send ${i}`));
});

test('the byte budget: first come first served; a request larger than the budget goes alone', async () => {
	const budget = new ByteBudget(100);
	const order: string[] = [];
	const take = async (name: string, bytes: number) => {
		const release = await budget.acquire(bytes);
		order.push(name);
		return release;
	};
	const a = await take('a', 60);
	const waiting = [take('big', 150), take('small', 10)];
	await settle();
	// "small" would fit beside "a", but "big" came first
	expect(order).toEqual(['a']);
	a();
	await settle();
	expect(order).toEqual(['a', 'big']);
	const [big] = await Promise.all([waiting[0]]);
	big();
	const small = await waiting[1];
	expect(order).toEqual(['a', 'big', 'small']);
	small();
	small();
	expect(budget.inFlight).toBe(0);
});

test('files go into the JSON byte for byte: several per request, streamed in odd chunks or at once', async () => {
	const events: string[] = [];
	const sent: Sent[] = [];
	const long = Array.from({ length: 70_000 }, (_, i) => String.fromCharCode(32 + (i % 90))).join('') + 'ü✓';
	const { single } = itemContext(
		0,
		{
			data: { text: long, fileName: 'long "quoted".txt', streamChunk: 1000 },
			second: { text: 'ab', streamChunk: 1 },
			third: { text: 'in memory' },
		},
		uploadParameters({ binaryPropertyName: 'data, second, third', uploadOptions: { note: 'from n8n' } }),
		events,
	);
	const options = await attachmentUploadBody.call(single, { url: '/Attachment', body: { note: 'from n8n' } });
	const run = haloRequestPath.call(pagingContext(single, sent, events), request(options));
	await settle();
	const body = JSON.parse(sent[0].body);
	expect(body.map((f: { filename: string }) => f.filename)).toEqual(['long "quoted".txt', 'second.txt', 'third.txt']);
	expect(body.map((f: { data_base64: string }) => Buffer.from(f.data_base64, 'base64').toString())).toEqual([
		long,
		'ab',
		'in memory',
	]);
	expect(body[0]).toMatchObject({ note: 'from n8n', ticket_id: 5, content_type: 'text/plain' });
	sent[0].answer([{ id: 1 }, { id: 2 }, { id: 3 }]);
	await run;
});

test('a stored file that is not the size its metadata says is not sent', async () => {
	const { single } = itemContext(0, { data: { text: 'seven b', bytes: 10, streamChunk: 4 } }, uploadParameters());
	const options = await attachmentUploadBody.call(single, { url: '/Attachment', body: {} });
	const sent: Sent[] = [];
	await expect(haloRequestPath.call(pagingContext(single, sent, []), request(options))).rejects.toThrow(
		'The file "data.txt" could not be read from n8n\'s binary data',
	);
	expect(sent).toHaveLength(0);
	expect(uploadBudget.inFlight).toBe(0);
});

test('"*" on an item without files is an error for Upload, and a ticket alone for Ticket Create', async () => {
	const { single } = itemContext(0, {}, uploadParameters({ binaryPropertyName: '*' }));
	await expect(attachmentUploadBody.call(single, { url: '/Attachment', body: {} })).rejects.toThrow(
		'This item has no file to upload',
	);
	const events: string[] = [];
	const sent: Sent[] = [];
	const create = itemContext(0, {}, { resource: 'ticket', operation: 'create', attachBinaryProperties: '*' });
	const run = haloRequestPath.call(
		pagingContext(create.single, sent, events),
		request({ method: 'POST', url: '/Tickets', body: [{ summary: 'no files' }] }),
	);
	await settle();
	sent[0].answer({ id: 9, summary: 'no files' });
	expect(await run).toEqual([{ json: { id: 9, summary: 'no files' } }]);
	expect(events).toEqual(['send 0']);
});

test('an empty file is refused when named, left out under "*"; only empty files is no file', async () => {
	const named = itemContext(0, { data: { text: '' } }, uploadParameters());
	await expect(attachmentUploadBody.call(named.single, { url: '/Attachment', body: {} })).rejects.toThrow(
		'The file "data.txt" is empty (0 bytes)',
	);
	const every = itemContext(
		0,
		{ data: { text: '' }, other: { text: 'x' } },
		uploadParameters({ binaryPropertyName: '*' }),
	);
	const options = await attachmentUploadBody.call(every.single, { url: '/Attachment', body: {} });
	expect((options.body as Array<{ filename: string }>).map((f) => f.filename)).toEqual(['other.txt']);
	const onlyEmpty = itemContext(0, { data: { text: '' } }, uploadParameters({ binaryPropertyName: '*' }));
	await expect(attachmentUploadBody.call(onlyEmpty.single, { url: '/Attachment', body: {} })).rejects.toThrow(
		expect.objectContaining({ description: expect.stringContaining('only empty files (1)') }),
	);
});

test('Max File Size must be a size: NaN, negative or empty text never means "no limit"', async () => {
	for (const bad of [NaN, -1, '', 'ten', Infinity]) {
		const { single } = itemContext(
			0,
			{ data: { text: 'x' } },
			uploadParameters({ 'uploadOptions.maxFileSizeMb': bad }),
		);
		await expect(attachmentUploadBody.call(single, { url: '/Attachment', body: {} })).rejects.toThrow(
			/^Max File Size \(MB\) is .*, not a size$/,
		);
		const download = itemContext(0, {}, { 'downloadOptions.maxFileSizeMb': bad });
		await expect(checkDownloadOptions.call(download.single, { url: '/Attachment/1' })).rejects.toThrow('not a size');
	}
	// 0 is no limit; a number as text is a number
	for (const fine of [0, '30']) {
		const { single } = itemContext(
			0,
			{ data: { text: 'x', bytes: 26 * MB } },
			uploadParameters({ 'uploadOptions.maxFileSizeMb': fine }),
		);
		await expect(attachmentUploadBody.call(single, { url: '/Attachment', body: {} })).resolves.toBeDefined();
	}
});

test('Upload refuses Retry On Fail: a retry would attach the uploaded files again', async () => {
	const { single } = itemContext(0, { data: { text: 'x' } }, uploadParameters(), [], { retryOnFail: true });
	await expect(attachmentUploadBody.call(single, { url: '/Attachment', body: {} })).rejects.toThrow(
		'Retry On Fail would upload these files again',
	);
});

test('a downloaded file keeps a safe base name, whoever named it in Halo', () => {
	const cases: Array<[string, string]> = [
		['../../.ssh/authorized_keys', 'authorized_keys'],
		['..\\..\\Windows\\win.ini', 'win.ini'],
		['invoice\r\nX-Injected: 1.pdf', 'invoiceX-Injected_ 1.pdf'],
		['report\u202Efdp.exe', 'reportfdp.exe'],
		['a\u200Bb\u0000c.txt', 'abc.txt'],
		['...', 'attachment-7'],
		['  .hidden ', 'hidden'],
		['CON.txt', '_CON.txt'],
		['what?<>|*.txt', 'what_____.txt'],
		['naïve résumé.pdf', 'naïve résumé.pdf'],
		['', 'attachment-7'],
	];
	for (const [name, safe] of cases) expect([name, safeFileName(name, 'attachment-7')]).toEqual([name, safe]);
	const long = safeFileName(`${'x'.repeat(300)}.pdf`, 'f');
	expect([long.length, long.endsWith('.pdf')]).toEqual([200, true]);
});

test('Download: the name is made safe, and a file over Max File Size is stopped without being read whole', async () => {
	const download = (headers: Record<string, string>, chunks: Buffer[], maxMb?: unknown) => {
		const { single, helpers } = itemContext(
			0,
			{},
			{
				attachmentId: '7',
				binaryPropertyName: 'data',
				...(maxMb === undefined ? {} : { 'downloadOptions.maxFileSizeMb': maxMb }),
			},
		);
		let pulled = 0;
		const body = Readable.from(
			(function* () {
				for (const chunk of chunks) {
					pulled++;
					yield chunk;
				}
			})(),
		);
		const result = attachmentToBinary.call(single, [], { body, headers, statusCode: 200 });
		return { result, helpers, pulled: () => pulled, body };
	};
	const ok = download(
		{
			'content-disposition': `attachment; filename*=UTF-8''..%2F..%2F.ssh%2Fauthorized_keys`,
			'content-type': 'text/plain',
		},
		[Buffer.from('ssh-ed25519 AAAA')],
	);
	const [item] = await ok.result;
	expect(item.json).toEqual({ id: 7, filename: 'authorized_keys', content_type: 'text/plain', filesize: 16 });
	expect(ok.helpers.prepareBinaryData).toHaveBeenCalledWith(
		Buffer.from('ssh-ed25519 AAAA'),
		'authorized_keys',
		'text/plain',
	);

	// Content-Length over the limit: refused before the first byte is read
	const declared = download({ 'content-length': String(30 * MB) }, [Buffer.alloc(10)]);
	await expect(declared.result).rejects.toThrow('The file "attachment-7" is 30.0 MB, over the 25 MB limit');
	expect(declared.pulled()).toBe(0);
	expect(declared.body.destroyed).toBe(true);
	// no Content-Length: reading stops at the limit
	const chunks = Array.from({ length: 10 }, () => Buffer.alloc(MB / 4));
	const streamed = download({}, chunks, 1);
	await expect(streamed.result).rejects.toThrow('The file "attachment-7" is larger than the 1 MB limit');
	expect(streamed.pulled()).toBeLessThan(10);
	expect(streamed.helpers.prepareBinaryData).not.toHaveBeenCalled();
	// 0: no limit
	const unlimited = download({}, chunks, 0);
	expect((await unlimited.result)[0].json.filesize).toBe(10 * (MB / 4));
});

test("a refused download's answer (a stream) is read for Halo's words", async () => {
	const { single } = itemContext(0, {}, { resource: 'attachment', operation: 'download', attachmentId: '9' });
	const ctx = Object.create(single, {
		makeRoutingRequest: {
			value: async () => {
				const response = {
					status: 404,
					data: Readable.from([Buffer.from('{"error":"attachments 9 not found"}')]),
					headers: {},
				};
				throw Object.assign(new Error('Request failed with status code 404'), { response, config: { data: 'x' } });
			},
		},
	}) as IExecutePaginationFunctions;
	const error = await haloRequestPath
		.call(ctx, request({ method: 'GET', url: '/Attachment/9', encoding: 'stream' }))
		.catch((e) => e);
	expect(error.description).toContain('Halo said: "attachments 9 not found"');
});
