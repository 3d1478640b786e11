import { NodeOperationError } from 'n8n-workflow';

import { parseRecordId } from './hooks';
import type {
	DeclarativeRestApiSettings,
	IBinaryData,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

type RequestData = DeclarativeRestApiSettings.ResultOptions;

/**
 * Files between n8n's binary data and Halo's attachments (POST /Attachment takes `filename`,
 * `content_type` and `data_base64`; GET /Attachment/{id} answers the file's bytes). Upload
 * (Attachment > Upload, and the Attach Binary Properties option of Ticket Create and Ticket
 * Action Add) and Download share these helpers.
 *
 * Memory: n8n starts every item's request at once, and the rate limit makes most wait. An upload's
 * body carries its files as references (PendingFile) until its turn comes; then, within a budget
 * shared by the process, each file is read and written as base64 straight into the bytes sent,
 * and let go when Halo answers. A download is read as a stream, and stopped at Max File Size.
 */

/** Max File Size when the user sets none, in MB. */
export const DEFAULT_MAX_FILE_MB = 25;

const MB = 1_048_576;

/**
 * File bytes this n8n process holds for uploads at once: read, written as base64 and being sent.
 * n8n starts every item's request together and the rate limit makes most of them wait, so each
 * file is read only when its request goes out, and no more than this is read ahead of Halo's
 * answers. A request with more than this (Max File Size raised) goes out alone.
 */
export const UPLOAD_BYTES_IN_FLIGHT = 64 * MB;

/**
 * A budget of bytes shared by the requests of this process: `acquire` waits (first come, first
 * served) until the bytes fit beside those in flight, or nothing else is in flight.
 */
export class ByteBudget {
	private held = 0;
	private readonly waiting: Array<{ bytes: number; start: () => void }> = [];

	constructor(readonly limit: number) {}

	/** bytes acquired and not yet released */
	get inFlight(): number {
		return this.held;
	}

	/** Waits for room for `bytes`; the function it gives back releases them (once). */
	async acquire(bytes: number): Promise<() => void> {
		if (!this.waiting.length && this.fits(bytes)) this.held += bytes;
		else await new Promise<void>((start) => this.waiting.push({ bytes, start }));
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.held -= bytes;
			this.wake();
		};
	}

	private fits(bytes: number): boolean {
		return this.held === 0 || this.held + bytes <= this.limit;
	}

	private wake(): void {
		while (this.waiting.length && this.fits(this.waiting[0].bytes)) {
			const next = this.waiting.shift() as { bytes: number; start: () => void };
			this.held += next.bytes;
			next.start();
		}
	}
}

/** The budget every upload of this process (Upload, Attach Binary Properties) shares. */
export const uploadBudget = new ByteBudget(UPLOAD_BYTES_IN_FLIGHT);

/**
 * A file in a request body, by reference: its bytes are read, and its base64 written, only when
 * the request is sent (see `sendingFiles`), so an item waiting for the rate limit holds no file.
 */
export class PendingFile {
	constructor(
		/**
		 * the file's bytes from n8n's binary data: at once (kept in memory by n8n), or as a stream
		 * of exactly `bytes` bytes (n8n stored it: filesystem, database, S3)
		 */
		readonly read: () => Promise<Buffer | AsyncIterable<Buffer>>,
		/** its size, from the binary data's metadata */
		readonly bytes: number,
		/** its name, for messages */
		readonly label: string,
	) {}

	/** never sent as it is: `sendingFiles` writes the file's base64 in its place */
	toJSON(): string {
		return `(the file "${this.label}", read when the request is sent)`;
	}
}

/** One file as POST /Attachment takes it (OpenAPI `Attachment`), its content read when sent. */
export interface AttachmentFile extends IDataObject {
	filename: string;
	content_type: string;
	data_base64: PendingFile;
}

/** "data, invoice" -> ["data", "invoice"] */
export function binaryPropertyNames(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
}

/** The size of a binary property without loading its content. */
async function sizeOf(ctx: IExecuteSingleFunctions, binary: IBinaryData): Promise<number> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) return (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
	// kept in memory as base64: its decoded length
	return Buffer.byteLength(binary.data ?? '', 'base64');
}

function megabytes(bytes: number): string {
	return `${(bytes / MB).toFixed(1)} MB`;
}

/**
 * Max File Size (MB) as the user set it: a number of 0 (no limit) or more. Anything else (text, an
 * expression giving nothing, a negative number) is refused rather than read as "no limit".
 */
export function maxFileMb(ctx: IExecuteSingleFunctions, parameter: string): number {
	const raw = ctx.getNodeParameter(parameter, DEFAULT_MAX_FILE_MB) as unknown;
	const mb = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
	if (Number.isFinite(mb) && mb >= 0) return mb;
	throw new NodeOperationError(ctx.getNode(), `Max File Size (MB) is ${JSON.stringify(raw) ?? 'empty'}, not a size`, {
		itemIndex: ctx.getItemIndex(),
		description:
			'Nothing was sent for this item. Set Options > Max File Size (MB) to a number of megabytes (e.g. 25), or to 0 for no limit.',
	});
}

export interface FileOptions {
	/** binary property names, in order; "*" for every one the item has */
	names: string[];
	/** 0: no limit */
	maxMb: number;
	/** overrides, used only when there is one file */
	fileName?: string;
	mimeType?: string;
	/** the parameter the names came from, for messages */
	parameter: string;
	/** "*" may find no file (a ticket from an e-mail without attachments); else that is an error */
	noneIsFine?: boolean;
}

/**
 * The files named in `options`, checked (present, not empty, within the size limit: nothing is
 * sent for the item when one is not) without reading them: each is read when its request is sent.
 * With "*", empty files are left out rather than refused (an e-mail's empty part).
 */
export async function attachmentFiles(ctx: IExecuteSingleFunctions, options: FileOptions): Promise<AttachmentFile[]> {
	const node = ctx.getNode();
	const itemIndex = ctx.getItemIndex();
	if (!options.names.length) {
		throw new NodeOperationError(node, `${options.parameter} is empty`, {
			itemIndex,
			description: 'Name the binary property that holds the file (usually "data"); separate several with commas.',
		});
	}
	const maxBytes = options.maxMb > 0 ? options.maxMb * MB : Infinity;
	const every = options.names.includes('*');
	const present = Object.keys(ctx.getInputData().binary ?? {});
	// "*": every binary property the item has (an e-mail's attachment_0, attachment_1 ...), maybe none
	const names = every ? present : options.names;
	const found: Array<{ name: string; binary: IBinaryData; size: number }> = [];
	let empty = 0;
	for (const name of names) {
		const binary = ctx.getInputData().binary?.[name];
		if (!binary) {
			throw new NodeOperationError(node, `This item has no binary property "${name}"`, {
				itemIndex,
				description: present.length
					? `${options.parameter} names "${name}", but the item's binary properties are: ${present.join(', ')}.`
					: `${options.parameter} names "${name}", but the item carries no binary data. Put a node that reads or downloads the file (Read/Write Files from Disk, HTTP Request, an e-mail trigger) before this one.`,
			});
		}
		const size = await sizeOf(ctx, binary);
		const label = binary.fileName ?? name;
		if (size === 0) {
			empty++;
			if (every) continue;
			throw new NodeOperationError(node, `The file "${label}" is empty (0 bytes)`, {
				itemIndex,
				description: `Nothing was sent for this item. An empty file is usually a download or an e-mail part that failed before this node: check the node that produced "${name}", or leave "${name}" out of ${options.parameter}.`,
			});
		}
		if (size > maxBytes) {
			throw new NodeOperationError(
				node,
				`The file "${label}" is ${megabytes(size)}, over the ${options.maxMb} MB limit`,
				{
					itemIndex,
					description: `Nothing was sent for this item. Raise Max File Size (MB) if Halo accepts files this large (Halo's own upload limit is set in Halo's configuration), or send a link to the file instead.`,
				},
			);
		}
		found.push({ name, binary, size });
	}
	if (!found.length && !options.noneIsFine) {
		throw new NodeOperationError(node, 'This item has no file to upload', {
			itemIndex,
			description: `Nothing was sent for this item: ${options.parameter} is "*" (every binary property of the item), and the item carries ${empty ? `only empty files (${empty})` : 'no binary data'}. Put a node that reads or downloads the file before this one, or let only items with files reach this node (an If node on {{ $binary }}).`,
		});
	}
	const single = found.length === 1;
	return found.map(({ name, binary, size }) => {
		const filename =
			(single && options.fileName) ||
			binary.fileName ||
			`${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
		return {
			filename,
			content_type: (single && options.mimeType) || binary.mimeType || 'application/octet-stream',
			data_base64: new PendingFile(
				async () =>
					binary.id
						? await ctx.helpers.getBinaryStream(binary.id, BASE64_PIECE * 4)
						: await ctx.helpers.getBinaryDataBuffer(name),
				size,
				filename,
			),
		};
	});
}

/**
 * Base64 in pieces of this many bytes: a multiple of 3, so the pieces join into one base64 text,
 * and small enough that each piece's text is short-lived garbage V8 collects young.
 */
const BASE64_PIECE = 3 * 16 * 1024;

/** The pending files of a request body (a record, or an array of records). */
function pendingFilesIn(body: unknown): PendingFile[] {
	const files: PendingFile[] = [];
	for (const record of (Array.isArray(body) ? body : [body]) as unknown[]) {
		if (!record || typeof record !== 'object') continue;
		for (const value of Object.values(record)) if (value instanceof PendingFile) files.push(value);
	}
	return files;
}

function unreadable(ctx: IExecutePaginationFunctions, file: PendingFile, why: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `The file "${file.label}" could not be read from n8n's binary data`, {
		itemIndex: ctx.getItemIndex(),
		description: `Nothing was sent for this item: ${why}. Run the nodes before this one again to produce the file.`,
	});
}

/** A pending file opened: its bytes (kept in memory by n8n) or a stream of them, and its length. */
interface OpenFile {
	file: PendingFile;
	content: Buffer | AsyncIterable<Buffer>;
	bytes: number;
}

async function openFile(ctx: IExecutePaginationFunctions, file: PendingFile): Promise<OpenFile> {
	try {
		const content = await file.read();
		return { file, content, bytes: Buffer.isBuffer(content) ? content.length : file.bytes };
	} catch (error) {
		throw unreadable(ctx, file, `n8n said "${(error as Error).message}"`);
	}
}

/**
 * Writes the file's base64 into `out` at `at`, piece by piece (no text of the whole file); gives
 * where it ended. A stream must give exactly the bytes its metadata promised (the room kept for it).
 */
async function writeBase64(ctx: IExecutePaginationFunctions, open: OpenFile, out: Buffer, at: number): Promise<number> {
	const chunks = Buffer.isBuffer(open.content) ? [open.content] : open.content;
	let carry: Buffer | undefined;
	let read = 0;
	try {
		for await (const chunk of chunks) {
			read += chunk.length;
			if (read > open.bytes) break;
			const data = carry ? Buffer.concat([carry, chunk]) : chunk;
			const whole = data.length - (data.length % 3);
			for (let from = 0; from < whole; from += BASE64_PIECE) {
				at += out.write(data.subarray(from, Math.min(from + BASE64_PIECE, whole)).toString('base64'), at, 'latin1');
			}
			carry = whole < data.length ? Buffer.from(data.subarray(whole)) : undefined;
		}
	} catch (error) {
		throw unreadable(ctx, open.file, `n8n said "${(error as Error).message}"`);
	} finally {
		(open.content as { destroy?: () => void }).destroy?.();
	}
	if (read !== open.bytes) {
		throw unreadable(
			ctx,
			open.file,
			`n8n's binary data says ${open.bytes} bytes, and ${read > open.bytes ? 'more' : read} were read`,
		);
	}
	if (carry) at += out.write(carry.toString('base64'), at, 'latin1');
	return at;
}

/**
 * The body as the JSON bytes Halo gets, each pending file read and written into it as base64: one
 * buffer of the final size, so no file is held as a base64 text or a JSON text, and nothing is
 * copied again to be sent. Each file's bytes are let go as soon as they are written.
 */
async function bodyWithFiles(ctx: IExecutePaginationFunctions, body: unknown): Promise<Buffer> {
	// the JSON text around the files: text, file, text, file ..., text
	const texts: string[] = [];
	const files: PendingFile[] = [];
	let text = Array.isArray(body) ? '[' : '';
	for (const [index, record] of ((Array.isArray(body) ? body : [body]) as unknown[]).entries()) {
		if (index) text += ',';
		const plain: IDataObject = {};
		const pending: Array<[string, PendingFile]> = [];
		for (const [key, value] of Object.entries((record ?? {}) as IDataObject)) {
			if (value instanceof PendingFile) pending.push([key, value]);
			else plain[key] = value;
		}
		const json = JSON.stringify(plain);
		if (!pending.length) {
			text += json;
			continue;
		}
		let separator = json === '{}' ? '' : ',';
		text += json.slice(0, -1);
		for (const [key, file] of pending) {
			texts.push(`${text}${separator}${JSON.stringify(key)}:"`);
			files.push(file);
			text = '"';
			separator = ',';
		}
		text += '}';
	}
	texts.push(Array.isArray(body) ? `${text}]` : text);

	const opened: Array<OpenFile | undefined> = [];
	try {
		for (const file of files) opened.push(await openFile(ctx, file));
		const size =
			texts.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0) +
			opened.reduce((sum, open) => sum + 4 * Math.ceil((open as OpenFile).bytes / 3), 0);
		const out = Buffer.allocUnsafe(size);
		let at = out.write(texts[0], 0);
		for (let i = 0; i < opened.length; i++) {
			const open = opened[i] as OpenFile;
			opened[i] = undefined;
			at = await writeBase64(ctx, open, out, at);
			at += out.write(texts[i + 1], at);
		}
		return out;
	} finally {
		// the streams not written (a file before them failed) are closed
		for (const open of opened) (open?.content as { destroy?: () => void } | undefined)?.destroy?.();
	}
}

/** A stream's first bytes as text; the rest is not read. */
async function textOf(stream: AsyncIterable<Buffer> & { destroy?: () => void }, limit: number): Promise<string> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stream) {
		chunks.push(Buffer.from(chunk));
		length += chunk.length;
		if (length >= limit) break;
	}
	stream.destroy?.();
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function isStream(value: unknown): value is AsyncIterable<Buffer> & { destroy?: () => void; pipe: unknown } {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as { pipe?: unknown }).pipe === 'function' &&
		Symbol.asyncIterator in value
	);
}

/**
 * A refused download (its answer asked for as a stream) carries Halo's words as a stream: they are
 * read, so the error can say what Halo said. The request of a refused upload is let go (n8n's
 * error keeps the request it sent, with the whole file in it).
 */
async function readableError(error: unknown): Promise<unknown> {
	const holders = [] as Array<{ data?: unknown; config?: { data?: unknown } } | undefined>;
	for (let e = error as { cause?: unknown; response?: unknown; context?: unknown; config?: unknown } | undefined; e;) {
		holders.push(e.response as never, e.context as never, e as never);
		e = e.cause as typeof e;
		if (holders.length > 30) break;
	}
	const texts = new Map<unknown, string>();
	for (const holder of holders) {
		if (holder?.config?.data !== undefined) holder.config.data = undefined;
		const data = holder?.data;
		if (!isStream(data)) continue;
		if (!texts.has(data)) texts.set(data, await textOf(data, 64 * 1024));
		(holder as { data?: unknown }).data = texts.get(data);
	}
	return error;
}

/**
 * The request path's context for one item, with its files sent as late as possible: a request
 * whose body names pending files waits for room in the upload budget (after its turn in the rate
 * limit), reads them, sends them, and gives the room back when Halo has answered. Every refused
 * request is made readable (readableError).
 */
export function sendingFiles(ctx: IExecutePaginationFunctions): IExecutePaginationFunctions {
	const makeRoutingRequest = async (requestData: RequestData): Promise<INodeExecutionData[]> => {
		const files = pendingFilesIn(requestData.options.body);
		const release = files.length ? await uploadBudget.acquire(files.reduce((sum, f) => sum + f.bytes, 0)) : undefined;
		try {
			if (!files.length) return await ctx.makeRoutingRequest(requestData);
			const body = await bodyWithFiles(ctx, requestData.options.body);
			return await ctx.makeRoutingRequest({ ...requestData, options: { ...requestData.options, body } });
		} catch (error) {
			throw await readableError(error);
		} finally {
			release?.();
		}
	};
	return Object.create(ctx, { makeRoutingRequest: { value: makeRoutingRequest } }) as IExecutePaginationFunctions;
}

/** The file name a Content-Disposition header gives (RFC 6266: filename* wins over filename). */
export function fileNameFromDisposition(header: unknown): string | undefined {
	const text = String(header ?? '');
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(text);
	if (extended) {
		try {
			return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
		} catch {
			// a malformed encoding: fall back to the plain filename
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(text);
	return plain ? (plain[2] ?? plain[1]).trim() || undefined : undefined;
}

/**
 * Characters a file name never keeps: control characters (a CR LF would end a header where the
 * name is written), and the invisible format characters that reorder or hide what is shown (U+202E
 * makes "report\u202Efdp.exe" look like "reportexe.pdf").
 */
const INVISIBLE =
	/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff0-\ufffb]/g;

/**
 * A name a downloaded file can safely be saved and shown under, whoever uploaded it to Halo: its
 * base name only (no folders, no "..": it cannot point elsewhere when written to disk), without
 * control or invisible characters, without characters Windows refuses (<>:"|?*), without leading
 * or trailing dots and spaces, not a Windows device name, at most 200 characters. `fallback` when
 * nothing is left.
 */
export function safeFileName(name: string | undefined, fallback: string): string {
	const base = String(name ?? '')
		.replace(INVISIBLE, '')
		.split(/[\\/]/)
		.pop() as string;
	let safe = base.replace(/[<>:"|?*]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
	if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(safe)) safe = `_${safe}`;
	if (safe.length > 200) {
		const extension = /\.[^.]{1,16}$/.exec(safe)?.[0] ?? '';
		safe = `${safe.slice(0, 200 - extension.length).replace(/[\s.]+$/, '')}${extension}`;
	}
	return safe || fallback;
}

/** preSend of Attachment > Download: Max File Size is checked before anything is sent. */
export async function checkDownloadOptions(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	maxFileMb(this, 'downloadOptions.maxFileSizeMb');
	return options;
}

function tooLargeDownload(ctx: IExecuteSingleFunctions, name: string, maxMb: number, size?: number): Error {
	return new NodeOperationError(
		ctx.getNode(),
		`The file "${name}" is ${size === undefined ? 'larger than' : `${megabytes(size)}, over`} the ${maxMb} MB limit`,
		{
			itemIndex: ctx.getItemIndex(),
			description: `It was not downloaded: n8n stopped reading it ${size === undefined ? 'at the limit' : 'before its first byte'}. Raise Options > Max File Size (MB) if files this large are expected (0 = no limit).`,
		},
	);
}

/** The answer's bytes, read up to the limit (Infinity: no limit); undefined when it is larger. */
async function bytesOf(body: unknown, maxBytes: number): Promise<Buffer | undefined> {
	if (isStream(body)) {
		const chunks: Buffer[] = [];
		let length = 0;
		for await (const chunk of body) {
			length += chunk.length;
			if (length > maxBytes) {
				body.destroy?.();
				return undefined;
			}
			chunks.push(Buffer.from(chunk));
		}
		return Buffer.concat(chunks, length);
	}
	const buffer = Buffer.isBuffer(body)
		? body
		: body instanceof ArrayBuffer
			? Buffer.from(body)
			: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
	return buffer.length > maxBytes ? undefined : buffer;
}

/**
 * postReceive of Attachment > Download: Halo's answer is the file itself (asked for as a stream, so
 * a file over Max File Size is never held whole); it becomes the item's binary property (a safe
 * name from Content-Disposition, MIME type from Content-Type), and the item's JSON says what was
 * downloaded.
 */
export async function attachmentToBinary(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const headers = response.headers ?? {};
	const id = this.getNodeParameter('attachmentId', '', { extractValue: true }) as string;
	const fileName = safeFileName(fileNameFromDisposition(headers['content-disposition']), `attachment-${id}`);
	const maxMb = maxFileMb(this, 'downloadOptions.maxFileSizeMb');
	const maxBytes = maxMb > 0 ? maxMb * MB : Infinity;
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		if (isStream(response.body)) response.body.destroy?.();
		throw tooLargeDownload(this, fileName, maxMb, declared);
	}
	const buffer = await bytesOf(response.body, maxBytes);
	if (!buffer) throw tooLargeDownload(this, fileName, maxMb);
	const mimeType = String(headers['content-type'] ?? 'application/octet-stream')
		.split(';')[0]
		.trim();
	const property = String(this.getNodeParameter('binaryPropertyName', 'data') || 'data');
	const binary = await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
	return [
		{
			json: { id: Number(id) || id, filename: fileName, content_type: mimeType, filesize: buffer.length },
			binary: { [property]: binary },
		},
	];
}

/**
 * n8n's Retry On Fail runs the node again with every item: the files of the items that were
 * uploaded would be attached a second time. The node itself retries what Halo refused unprocessed
 * (rate limits), so an upload refuses to run with it, as a create does.
 */
function refuseRetryOnUpload(ctx: IExecuteSingleFunctions): void {
	if (!ctx.getNode().retryOnFail) return;
	throw new NodeOperationError(ctx.getNode(), 'Retry On Fail would upload these files again', {
		itemIndex: ctx.getItemIndex(),
		description:
			'When one item fails, n8n retries the node with every item, and the files already uploaded would be attached a second time. Turn off Settings > Retry On Fail, and use Settings > On Error > "Continue (using error output)" to handle the items that failed. The node itself retries rate limits.',
	});
}

/** preSend of Attachment > Upload: the item's files as Halo's array of attachments, read when sent. */
export async function attachmentUploadBody(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	refuseRetryOnUpload(this);
	const fields: IDataObject = { ...((options.body ?? {}) as IDataObject) };
	fields.ticket_id = parseRecordId(this, 'ticketId', 'Ticket ID');
	const actionId = String(this.getNodeParameter('uploadOptions.action_id', '') ?? '').trim();
	if (actionId) fields.action_id = parseRecordId(this, 'uploadOptions.action_id', 'Action ID');
	const files = await attachmentFiles(this, {
		names: binaryPropertyNames(this.getNodeParameter('binaryPropertyName', 'data')),
		maxMb: maxFileMb(this, 'uploadOptions.maxFileSizeMb'),
		fileName: this.getNodeParameter('uploadOptions.fileName', '') as string,
		mimeType: this.getNodeParameter('uploadOptions.mimeType', '') as string,
		parameter: 'Input Binary Field',
	});
	options.body = files.map((file) => ({ ...fields, ...file }));
	return options;
}
