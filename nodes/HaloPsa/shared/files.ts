import { NodeOperationError } from 'n8n-workflow';

import { parseRecordId } from './hooks';
import type {
	IBinaryData,
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

/**
 * Files between n8n's binary data and Halo's attachments (POST /Attachment takes `filename`,
 * `content_type` and `data_base64`; GET /Attachment/{id} answers the file's bytes). Upload
 * (Attachment > Upload, and the Attach Binary Properties option of Ticket Create and Ticket
 * Action Add) and Download share these helpers.
 */

/** Max File Size when the user sets none, in MB. */
export const DEFAULT_MAX_FILE_MB = 25;

/** One file as POST /Attachment takes it (OpenAPI `Attachment`). */
export interface AttachmentFile extends IDataObject {
	filename: string;
	content_type: string;
	data_base64: string;
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
	return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export interface FileOptions {
	/** binary property names, in order */
	names: string[];
	maxMb: number;
	/** overrides, used only when there is one file */
	fileName?: string;
	mimeType?: string;
	/** the parameter the names came from, for messages */
	parameter: string;
}

/**
 * Checks every file named in `options` against the size limit before reading any (nothing is sent
 * when one is too large), then reads each once into the base64 text Halo takes.
 */
export async function readAttachmentFiles(
	ctx: IExecuteSingleFunctions,
	options: FileOptions,
): Promise<AttachmentFile[]> {
	const node = ctx.getNode();
	const itemIndex = ctx.getItemIndex();
	if (!options.names.length) {
		throw new NodeOperationError(node, `${options.parameter} is empty`, {
			itemIndex,
			description: 'Name the binary property that holds the file (usually "data"); separate several with commas.',
		});
	}
	const maxBytes = options.maxMb > 0 ? options.maxMb * 1_048_576 : Infinity;
	const found: Array<{ name: string; binary: IBinaryData }> = [];
	// "*": every binary property the item has (an e-mail's attachment_0, attachment_1 ...), maybe none
	const names = options.names.includes('*') ? Object.keys(ctx.getInputData().binary ?? {}) : options.names;
	for (const name of names) {
		const binary = ctx.getInputData().binary?.[name];
		if (!binary) {
			const present = Object.keys(ctx.getInputData().binary ?? {});
			throw new NodeOperationError(node, `This item has no binary property "${name}"`, {
				itemIndex,
				description: present.length
					? `${options.parameter} names "${name}", but the item's binary properties are: ${present.join(', ')}.`
					: `${options.parameter} names "${name}", but the item carries no binary data. Put a node that reads or downloads the file (Read/Write Files from Disk, HTTP Request, an e-mail trigger) before this one.`,
			});
		}
		const size = await sizeOf(ctx, binary);
		if (size > maxBytes) {
			throw new NodeOperationError(
				node,
				`The file "${binary.fileName ?? name}" is ${megabytes(size)}, over the ${options.maxMb} MB limit`,
				{
					itemIndex,
					description: `Nothing was sent for this item. Raise Max File Size (MB) if Halo accepts files this large (Halo's own upload limit is set in Halo's configuration), or send a link to the file instead.`,
				},
			);
		}
		found.push({ name, binary });
	}
	const single = found.length === 1;
	const files: AttachmentFile[] = [];
	for (const { name, binary } of found) {
		const buffer = await ctx.helpers.getBinaryDataBuffer(name);
		files.push({
			filename:
				(single && options.fileName) ||
				binary.fileName ||
				`${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
			content_type: (single && options.mimeType) || binary.mimeType || 'application/octet-stream',
			data_base64: buffer.toString('base64'),
		});
	}
	return files;
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
 * postReceive of Attachment > Download: Halo's answer is the file itself; it becomes the item's
 * binary property (name from Content-Disposition, MIME type from Content-Type), and the item's
 * JSON says what was downloaded.
 */
export async function attachmentToBinary(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body as unknown;
	const buffer = Buffer.isBuffer(body)
		? body
		: body instanceof ArrayBuffer
			? Buffer.from(body)
			: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
	const headers = response.headers ?? {};
	const id = this.getNodeParameter('attachmentId', '', { extractValue: true }) as string;
	const fileName = fileNameFromDisposition(headers['content-disposition']) ?? `attachment-${id}`;
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

/** preSend of Attachment > Upload: the item's files as Halo's array of attachments. */
export async function attachmentUploadBody(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const fields: IDataObject = { ...((options.body ?? {}) as IDataObject) };
	fields.ticket_id = parseRecordId(this, 'ticketId', 'Ticket ID');
	const actionId = String(this.getNodeParameter('uploadOptions.action_id', '') ?? '').trim();
	if (actionId) fields.action_id = parseRecordId(this, 'uploadOptions.action_id', 'Action ID');
	const files = await readAttachmentFiles(this, {
		names: binaryPropertyNames(this.getNodeParameter('binaryPropertyName', 'data')),
		maxMb: Number(this.getNodeParameter('uploadOptions.maxFileSizeMb', DEFAULT_MAX_FILE_MB)),
		fileName: this.getNodeParameter('uploadOptions.fileName', '') as string,
		mimeType: this.getNodeParameter('uploadOptions.mimeType', '') as string,
		parameter: 'Input Binary Field',
	});
	options.body = files.map((file) => ({ ...fields, ...file }));
	return options;
}
