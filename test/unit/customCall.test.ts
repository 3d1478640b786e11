/**
 * The Custom API Call's path rule: a path under the Resource Server, never a URL of its own,
 * so the credential's token is only ever sent to Halo; and its output, which never carries the
 * secrets of other integrations Halo answers (a webhook's Basic password).
 */
import type { INodeExecutionData, INodePropertyOptions, PostReceiveAction } from 'n8n-workflow';

import { customApiCall } from '../../nodes/HaloPsa/resources/customApiCall';
import { webhook } from '../../nodes/HaloPsa/resources/webhook';
import { HALO_SENSITIVE_OUTPUT_FIELDS, withoutSecretFields } from '../../nodes/HaloPsa/secretFields';
import { customCallPath } from '../../nodes/HaloPsa/shared/hooks';

test.each([
	['/Tickets', '/Tickets'],
	['Tickets/12', '/Tickets/12'],
	['  /Invoice/PDF/7 ', '/Invoice/PDF/7'],
	['/api/ClientContract/NextRef', '/ClientContract/NextRef'],
	['/API/Client', '/Client'],
	['/Webhook/3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f', '/Webhook/3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f'],
])('%s is sent as %s', (given, sent) => {
	expect(customCallPath(given)).toBe(sent);
});

test.each([
	['', /empty/],
	['https://evil.example/api/Tickets', /full URL/],
	['http://127.0.0.1:9/x', /full URL/],
	['//evil.example/Tickets', /full URL/],
	['javascript:alert(1)', /full URL/],
	['\\\\evil\\share', /full URL/],
	['/Tickets/../../auth/token', /leaves the Resource Server path/],
	['/Tickets/%2e%2e/%2e%2e/auth/token', /leaves the Resource Server path/],
	['/Tickets/%2F..%2Fauth', /leaves the Resource Server path/],
	['/Tickets/./1', /leaves the Resource Server path/],
	['/Tickets?client_id=1', /Query Parameters/],
	['/Tickets#x', /Query Parameters/],
	['/Tickets//1', /empty segment/],
	['/Tickets/%E0%A4%A', /not a valid path segment/],
])('%s is refused', (given, why) => {
	expect(() => customCallPath(given)).toThrow(why);
});

type PostReceiveFn = (
	this: unknown,
	items: INodeExecutionData[],
	response: { body: unknown; headers: object; statusCode: number },
) => Promise<INodeExecutionData[]>;

describe('secrets of other integrations', () => {
	const call = (customApiCall.properties ?? [])
		.find((p) => p.name === 'operation')
		?.options?.find((o) => 'value' in o && o.value === 'call') as INodePropertyOptions;
	/** the Custom API Call's postReceive actions, in order, as n8n runs them on Halo's answer */
	async function output(body: unknown): Promise<unknown> {
		const actions = (call.routing?.output?.postReceive ?? []) as PostReceiveAction[];
		let items: INodeExecutionData[] = [];
		for (const action of actions) {
			expect(typeof action).toBe('function');
			items = await (action as PostReceiveFn).call({}, items, { body, headers: {}, statusCode: 200 });
		}
		return items.map((item) => item.json);
	}
	const webhooks = [
		{
			id: '3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f',
			name: 'Other integration',
			url: 'https://other.example/hook',
			authentication_type: 1,
			basic_username: 'other',
			basic_password: 'other-integration-password-7f3',
		},
		{
			id: '5a6b7c8d-4d5a-4b6c-9e7f-1a2b3c4d5e6f',
			name: 'Inbound',
			inbound_authentication_type: 2,
			authentication_header: 'X-Api-Key: inbound-header-secret-2c9',
		},
	];

	test('GET /Webhook, bare or in an envelope, never outputs a password or header secret; the rest is kept', async () => {
		for (const body of [webhooks, { record_count: 2, webhooks }, webhooks[0]]) {
			const text = JSON.stringify(await output(body));
			expect(text).not.toContain('other-integration-password-7f3');
			expect(text).not.toContain('inbound-header-secret-2c9');
			expect(text).not.toMatch(/basic_password|authentication_header/);
			expect(text).toContain('"basic_username":"other"');
			expect(text).toContain('https://other.example/hook');
		}
	});

	test('other answers pass through unchanged', async () => {
		const tickets = { record_count: 1, tickets: [{ id: 1, summary: 'x', details: { password_hint: 'kept' } }] };
		expect(JSON.stringify(await output(tickets))).toBe(JSON.stringify([{ __haloAnswer: tickets }]));
	});

	test('the Webhook resource never outputs the header secret either; n8n is told both paths are sensitive', () => {
		expect(webhook.spec.secretFields).toEqual(expect.arrayContaining(['basic_password', 'authentication_header']));
		expect(HALO_SENSITIVE_OUTPUT_FIELDS).toEqual(expect.arrayContaining(['basic_password', 'authentication_header']));
		expect(withoutSecretFields({ nested: [{ Basic_Password: 'x', keep: 1 }] })).toEqual({ nested: [{ keep: 1 }] });
	});
});
