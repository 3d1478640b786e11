/**
 * Dropdowns and "From List" searches derived from the resource registry, with Halo stubbed:
 * narrowing by the parent chosen in the form, value by name, paging tokens, local filtering
 * of unpaged lists, and that each goes through the paced transport with the credential.
 */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { listSearch } from '../../nodes/HaloPsa/methods/listSearch';
import { loadOptions } from '../../nodes/HaloPsa/methods/loadOptions';

interface Call {
	url: string;
	qs: IDataObject;
	credentialType: string;
}

function stub(answer: (url: string, qs: IDataObject) => unknown, form: Record<string, unknown> = {}) {
	const calls: Call[] = [];
	const ctx = {
		getCredentials: async () => ({ urlMode: 'haloUrl', haloUrl: 'https://halo.example', rateLimitRequests: 0 }),
		getNode: () => ({
			id: '1',
			name: 'HaloPSA',
			type: 'n8n-nodes-halopsa.haloPsa',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		// like n8n: a parameter this resource does not show cannot be read ("Could not find property")
		getCurrentNodeParameter: (name: string) => {
			if (!(name in form)) throw new Error('Could not find property');
			return form[name];
		},
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, options: { url: string; qs: IDataObject }) => {
				calls.push({ url: options.url, qs: options.qs, credentialType });
				return answer(options.url, options.qs);
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, calls };
}

const sites = [
	{ id: 2, name: 'Warehouse', client_name: 'Acme' },
	{ id: 1, name: 'Head Office', client_name: 'Acme' },
];

test('a dropdown is narrowed by the parent the form already holds, and labels drop the parent then', async () => {
	const narrowed = stub(() => ({ record_count: 2, sites }), { 'additionalFields.client_id': 7 });
	const options = await loadOptions.getSites.call(narrowed.ctx);
	expect(options).toEqual([
		{ name: 'Head Office', value: 1 },
		{ name: 'Warehouse', value: 2 },
	]);
	expect(narrowed.calls).toEqual([
		{
			url: 'https://halo.example/api/Site',
			qs: { client_id: 7, pageinate: true, page_size: 100, page_no: 1 },
			credentialType: 'haloPsaClientCredentialsApi',
		},
	]);
	const all = stub(() => ({ record_count: 2, sites }));
	expect((await loadOptions.getSites.call(all.ctx))[0].name).toBe('Acme / Head Office');
	expect(all.calls[0].qs).toEqual({ pageinate: true, page_size: 100, page_no: 1 });
});

test('by-name and label-valued dropdowns; bare-array lookups are read once', async () => {
	const teams = stub(() => [
		{ id: 1, name: '1st Line' },
		{ id: 2, name: '2nd Line' },
	]);
	expect(await loadOptions.getTeamNames.call(teams.ctx)).toEqual([
		{ name: '1st Line', value: '1st Line' },
		{ name: '2nd Line', value: '2nd Line' },
	]);
	expect(await loadOptions.getTeams.call(teams.ctx)).toEqual([
		{ name: '1st Line', value: 1 },
		{ name: '2nd Line', value: 2 },
	]);
	expect(teams.calls.map((c) => c.qs)).toEqual([{}, {}]);
	const categories = stub(() => [{ id: 4, category_name: 'Hardware' }]);
	expect(await loadOptions.getCategories.call(categories.ctx)).toEqual([{ name: 'Hardware', value: 'Hardware' }]);
});

test('dropdowns of paged lists read at most 5 pages of 100', async () => {
	const many = stub((_url, qs) => ({
		record_count: 10_000,
		clients: Array.from({ length: 100 }, (_, i) => ({
			id: Number(qs.page_no) * 1000 + i,
			name: `C${qs.page_no}-${i}`,
		})),
	}));
	expect(await loadOptions.getClients.call(many.ctx)).toHaveLength(500);
	expect(many.calls.map((c) => c.qs.page_no)).toEqual([1, 2, 3, 4, 5]);
});

test('"From List" pages one page per call with a token, and searches in Halo', async () => {
	const page = stub((_url, qs) => ({
		record_count: 150,
		tickets: Array.from({ length: qs.page_no === 1 ? 100 : 50 }, (_, i) => ({ id: i + 1, summary: 'Printer' })),
	}));
	const first = await listSearch.searchTickets.call(page.ctx, 'printer');
	expect(first.results[0]).toEqual({ name: '#1 Printer', value: '1' });
	expect(first.paginationToken).toBe('2');
	const second = await listSearch.searchTickets.call(page.ctx, 'printer', first.paginationToken);
	expect(second.results).toHaveLength(50);
	expect(second.paginationToken).toBeUndefined();
	expect(page.calls.map((c) => c.qs)).toEqual([
		{ search: 'printer', pageinate: true, page_size: 100, page_no: 1 },
		{ search: 'printer', pageinate: true, page_size: 100, page_no: 2 },
	]);
});

test('unpaged lists are filtered here, since Halo has no search for them', async () => {
	const agents = stub(() => [
		{ id: 1, name: 'Alice Admin' },
		{ id: 2, name: 'Bob Builder' },
	]);
	expect((await listSearch.searchAgents.call(agents.ctx, 'bob')).results).toEqual([
		{ name: 'Bob Builder', value: '2' },
	]);
	expect(agents.calls[0].qs).toEqual({});
});

test('every resource with a searchable picker has a dropdown and a search; the Custom API Call has neither', () => {
	for (const name of [
		'Contracts',
		'Invoices',
		'Quotations',
		'SalesOrders',
		'PurchaseOrders',
		'Items',
		'Suppliers',
		'Opportunities',
		'Projects',
	]) {
		expect(typeof loadOptions[`get${name}`]).toBe('function');
		expect(typeof listSearch[`search${name}`]).toBe('function');
	}
	expect(Object.keys(loadOptions).some((name) => /custom/i.test(name))).toBe(false);
});
