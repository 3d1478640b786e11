/**
 * Lists Halo replaces whole on an update (asset-type `fields`; `customfields` alike): setting one
 * entry sends the record's other entries too, read first, so none is emptied. Against the
 * emulator, which replaces such lists as Halo does (homotechsual/HaloAPI issue 13).
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { resetPacing } from '../../credentials/HaloPsaPacing';
import { specFor } from '../../nodes/HaloPsa/resources';
import { buildWriteBody, mergeListEntries } from '../../nodes/HaloPsa/shared/hooks';
import { authenticatedRequest, haloClient, type HaloClient } from '../halo-client';

let emulator: Emulator;
let halo: HaloClient;

beforeEach(async () => {
	resetPacing();
	emulator = await startEmulator({ quiet: true, tenant: null, rateLimit: null });
	halo = haloClient(emulator);
});
afterEach(async () => await emulator.stop());

/** An Update of `resource` as the node's preSend sees it, with requests going to the emulator. */
function update(resource: string, id: number, updateFields: IDataObject): IExecuteSingleFunctions {
	const parameters: IDataObject = { operation: 'update', [`${resource}Id`]: String(id), updateFields };
	return {
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name.split('.').reduce<any>((at, key) => (at === undefined ? at : at[key]), parameters);
			return value ?? fallback;
		},
		getNode: () => ({ name: 'HaloPSA', retryOnFail: false }),
		getItemIndex: () => 0,
		getCredentials: async () => ({ hostingType: 'onPremise', urlMode: 'haloUrl', haloUrl: emulator.url }),
		helpers: { httpRequestWithAuthentication: authenticatedRequest(halo) },
	} as unknown as IExecuteSingleFunctions;
}

test('setting one asset-type field keeps the others: the whole list is sent', async () => {
	const [asset] = emulator.store.list('assets');
	const ctx = update('asset', asset.id, { assetFieldsUi: { field: [{ id: 117, value: 'SN-NEW' }] } });
	const options = await buildWriteBody(specFor('asset')).call(ctx, { url: '/Asset', method: 'POST', body: {} });
	const [body] = options.body as IDataObject[];
	expect(body.fields).toEqual([
		{ id: 101, value: asset.fields[0].value },
		{ id: 117, value: 'SN-NEW' },
	]);
	await halo.post('/Asset', [body]);
	const saved = await halo.get(`/Asset/${asset.id}`);
	expect(saved.fields.map((f: IDataObject) => [f.id, f.value])).toEqual([
		[101, asset.fields[0].value],
		[117, 'SN-NEW'],
	]);
});

test('merge rules: by id, by name without an id, new entries appended, nothing else sent', () => {
	const current = [
		{ id: 1, name: 'A', value: 'a', display: 'shown' },
		{ id: 2, name: 'B', value: 'b' },
	];
	expect(
		mergeListEntries(current, [
			{ id: 2, value: 'B2' },
			{ name: 'A', value: 'A2' },
			{ id: 3, value: 'c' },
		]),
	).toEqual([
		{ id: 1, value: 'A2' },
		{ id: 2, value: 'B2' },
		{ id: 3, value: 'c' },
	]);
	expect(mergeListEntries(undefined, [{ id: 5, value: 'x' }])).toEqual([{ id: 5, value: 'x' }]);
});

test('an update without list entries reads nothing first', async () => {
	const [asset] = emulator.store.list('assets');
	const ctx = update('asset', asset.id, { key_field: 'PC-renamed' });
	await buildWriteBody(specFor('asset')).call(ctx, {
		url: '/Asset',
		method: 'POST',
		body: { key_field: 'PC-renamed' },
	});
	expect(emulator.apiRequests()).toHaveLength(0);
});
