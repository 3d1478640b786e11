import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecutePaginationFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/**
 * Create or Update Many: Halo's POST takes an array, so the records of many items go in one
 * request per chunk. Declarative routing still builds one request per item (preSend shapes each
 * item's record); the items of one run meet here, in the request path, and the first item of
 * each chunk sends the whole chunk while the others send nothing. Each item then gets its own
 * saved record back (paired with it), or its own error naming the chunk it was in.
 *
 * Items of one run arrive together (n8n starts every item's request before awaiting any), so a
 * chunk is sent as soon as it is full, when every item of the run has arrived, or when no item
 * has arrived for a moment (items that failed before reaching here, or Options > Batching).
 */
const SETTLE_MS = 25;

interface Waiting {
	record: IDataObject;
	itemIndex: number;
	resolve: (items: INodeExecutionData[]) => void;
	reject: (error: Error) => void;
}

interface Group {
	waiting: Waiting[];
	arrived: number;
	lastArrival: number;
	settling: boolean;
	chunks: number;
}

const groups = new Map<string, Group>();

/** Sends one chunk (an array of records) and returns Halo's saved records, in order. */
export type SendChunk = (records: IDataObject[], leader: number) => Promise<IDataObject[]>;

function runSize(ctx: IExecutePaginationFunctions): number | undefined {
	const data = (
		ctx as unknown as { getExecuteData?: () => { data?: { main?: Array<unknown[] | null> } } }
	).getExecuteData?.();
	const items = data?.data?.main?.[0];
	return Array.isArray(items) ? items.length : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one rule for "is this record an update": an id that is a positive whole number (a GUID for
 * resources with GUID ids) updates that record; no id, or an empty one (`""`, `"0"`, 0, null: an
 * empty spreadsheet cell), creates; any other id (`"abc"`, -1, 1.5) is neither, and is refused
 * before anything is sent.
 */
export type RecordWrite =
	{ kind: 'create' } | { kind: 'update'; id: number | string } | { kind: 'invalid'; id: unknown };

export function writeOf(record: IDataObject, spec: Pick<ResourceSpec, 'guidIds'>): RecordWrite {
	const raw = record.id;
	const text = typeof raw === 'string' ? raw.trim() : raw;
	if (text === undefined || text === null || text === '' || text === 0 || text === '0') return { kind: 'create' };
	if (spec.guidIds)
		return typeof text === 'string' && GUID.test(text) ? { kind: 'update', id: text } : { kind: 'invalid', id: raw };
	const id = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
	return Number.isSafeInteger(id) && id > 0 ? { kind: 'update', id } : { kind: 'invalid', id: raw };
}

/** The record as Halo should get it: a create without its empty id, an update with its id as a number. */
export function normalizedRecord(record: IDataObject, write: RecordWrite): IDataObject {
	const copy = { ...record };
	if (write.kind === 'create') delete copy.id;
	if (write.kind === 'update') copy.id = write.id;
	return copy;
}

export function recordOf(requestBody: unknown): IDataObject {
	const body = Array.isArray(requestBody) ? requestBody[0] : requestBody;
	return (body ?? {}) as IDataObject;
}

/** Joins this item's record to its run's chunk; resolves with this item's saved record. */
export async function joinChunk(
	ctx: IExecutePaginationFunctions,
	spec: ResourceSpec,
	chunkSize: number,
	record: IDataObject,
	send: SendChunk,
): Promise<INodeExecutionData[]> {
	const key = `${ctx.getExecutionId()}\u0000${ctx.getNode().name}`;
	let group = groups.get(key);
	if (!group) {
		group = { waiting: [], arrived: 0, lastArrival: 0, settling: false, chunks: 0 };
		groups.set(key, group);
	}
	const joined = group;
	const expected = runSize(ctx);
	const write = writeOf(record, spec);
	return await new Promise<INodeExecutionData[]>((resolve, reject) => {
		if (write.kind === 'invalid') {
			// counted as arrived, so the run's other items are not kept waiting for it
			reject(invalidId(ctx, spec, write.id));
			joined.arrived++;
			if (expected !== undefined && joined.arrived >= expected) {
				flush(ctx, spec, joined, chunkSize, send);
				groups.delete(key);
			} else if (!joined.waiting.length && !joined.settling) groups.delete(key);
			return;
		}
		joined.waiting.push({ record: normalizedRecord(record, write), itemIndex: ctx.getItemIndex(), resolve, reject });
		joined.arrived++;
		joined.lastArrival = Date.now();
		while (joined.waiting.length >= chunkSize) flush(ctx, spec, joined, chunkSize, send);
		if (expected !== undefined && joined.arrived >= expected) {
			flush(ctx, spec, joined, chunkSize, send);
			groups.delete(key);
			return;
		}
		if (!joined.settling && joined.waiting.length) {
			joined.settling = true;
			void (async () => {
				while (Date.now() - joined.lastArrival < SETTLE_MS) await sleep(SETTLE_MS);
				joined.settling = false;
				flush(ctx, spec, joined, chunkSize, send);
				if (groups.get(key) === joined && !joined.waiting.length) groups.delete(key);
			})();
		}
	});
}

function invalidId(ctx: IExecutePaginationFunctions, spec: ResourceSpec, id: unknown): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`The record's id ${JSON.stringify(id)} is not a ${spec.label.toLowerCase()} id; nothing was sent for this item`,
		{
			itemIndex: ctx.getItemIndex(),
			description: spec.guidIds
				? 'To update, give the id Halo shows (a GUID such as 3f2c...-...); to create, leave id out or empty.'
				: `To update, give the id of the ${spec.label.toLowerCase()} (a whole number above 0); to create, leave id out or empty.`,
		},
	);
}

function flush(
	ctx: IExecutePaginationFunctions,
	spec: ResourceSpec,
	group: Group,
	chunkSize: number,
	send: SendChunk,
): void {
	const chunk = group.waiting.splice(0, chunkSize);
	if (!chunk.length) return;
	const number = ++group.chunks;
	void sendChunk(ctx, spec, chunk, number, send);
}

function itemsOf(chunk: Waiting[]): string {
	const indexes = chunk.map((w) => w.itemIndex);
	return indexes.length === 1 ? `item ${indexes[0]}` : `items ${Math.min(...indexes)}-${Math.max(...indexes)}`;
}

async function sendChunk(
	ctx: IExecutePaginationFunctions,
	spec: ResourceSpec,
	chunk: Waiting[],
	number: number,
	send: SendChunk,
) {
	const records = chunk.map((w) => w.record);
	let saved: IDataObject[];
	try {
		saved = await send(records, chunk[0].itemIndex);
	} catch (error) {
		const failure = error as NodeApiError;
		const status = Number(failure.httpCode);
		const refused = status >= 400 && status < 500;
		// Halo does not document whether a refused array saves the records before the one it refused
		const fate = refused
			? `Halo refused this request (HTTP ${status}). Whether Halo saves any of an array it refuses is not documented: check the ${chunk.length} records of ${itemsOf(chunk)} in Halo before running them again.`
			: `Halo did not confirm this request: its ${chunk.length} records may or may not have been written; check Halo before running again.`;
		for (const waiting of chunk) {
			waiting.reject(
				new NodeApiError(ctx.getNode(), { message: failure.message } as JsonObject, {
					message: `${failure.message} [chunk ${number}: ${chunk.length} ${spec.plural.toLowerCase()}, ${itemsOf(chunk)}]`,
					description: `${fate} ${failure.description ?? ''} Other chunks are reported on their own items.`,
					httpCode: failure.httpCode ?? undefined,
					itemIndex: waiting.itemIndex,
				}),
			);
		}
		return;
	}
	const problem = mismatch(records, saved);
	chunk.forEach((waiting, i) => {
		if (problem) {
			waiting.reject(
				new NodeOperationError(
					ctx.getNode(),
					`HaloPSA's answer to chunk ${number} does not match what was sent: ${problem}`,
					{
						description: `The ${chunk.length} ${spec.plural.toLowerCase()} of ${itemsOf(chunk)} were sent in one request and Halo saved something; check them in Halo before running again.`,
						itemIndex: waiting.itemIndex,
					},
				),
			);
		} else {
			waiting.resolve([{ json: saved[i] }]);
		}
	});
}

/** Fields Halo answers as they were sent, which tell one created record from another. */
const ECHOED_FIELDS = ['summary', 'name', 'title', 'subject', 'note'];

/** Text as Halo may give it back: tags and repeated spaces dropped. */
const plain = (value: unknown) =>
	String(value)
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

/**
 * Halo answers one saved record per record sent, in order: an update keeps its id, and a created
 * record carries the summary (name, note ...) it was sent with. Pairing by position is only as
 * good as that order, so a record that came back with another one's text fails the chunk.
 */
function mismatch(sent: IDataObject[], saved: IDataObject[]): string | undefined {
	if (saved.length !== sent.length) return `${sent.length} records sent, ${saved.length} came back`;
	for (let i = 0; i < sent.length; i++) {
		const asked = sent[i].id;
		if (asked !== undefined && String(saved[i]?.id) !== String(asked)) {
			return `record ${i + 1} was sent to update id ${String(asked)} and came back as id ${String(saved[i]?.id)}`;
		}
		for (const field of ECHOED_FIELDS) {
			const was = sent[i][field];
			const is = saved[i]?.[field];
			if (typeof was !== 'string' || typeof is !== 'string' || !plain(was) || !plain(is)) continue;
			if (plain(was) !== plain(is))
				return `record ${i + 1} was sent with ${field} "${plain(was).slice(0, 60)}" and came back with "${plain(is).slice(0, 60)}" (the answer is not in the order sent)`;
		}
	}
	return undefined;
}
