/**
 * A tiny Halo API client for tests: talks HTTP to the emulator like any Halo client would
 * (token from /auth/token, then Bearer requests), to seed data and check results.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { DEFAULT_CLIENT, type ClientApp, type Emulator } from '../emulator';

export interface HaloClient {
	token(): Promise<string>;
	request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
	get(path: string): Promise<any>;
	post(path: string, body: unknown): Promise<any>;
}

export function haloClient(
	emulator: Emulator,
	tenant: string | null = null,
	app: ClientApp = DEFAULT_CLIENT,
): HaloClient {
	let token = '';
	const client: HaloClient = {
		async token() {
			if (token) return token;
			const form = new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: app.clientId,
				client_secret: app.clientSecret,
				scope: 'all',
			});
			const response = await fetch(`${emulator.authUrl}/token${tenant ? `?tenant=${tenant}` : ''}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form.toString(),
			});
			token = ((await response.json()) as { access_token: string }).access_token;
			return token;
		},
		async request(method, path, body) {
			const response = await fetch(`${emulator.apiUrl}${path}`, {
				method,
				headers: { Authorization: `Bearer ${await client.token()}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			let parsed: unknown = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				// keep text
			}
			return { status: response.status, body: parsed };
		},
		async get(path) {
			const result = await client.request('GET', path);
			if (result.status !== 200) throw new Error(`GET ${path} -> ${result.status} ${JSON.stringify(result.body)}`);
			return result.body;
		},
		async post(path, body) {
			const result = await client.request('POST', path, body);
			if (result.status >= 300) throw new Error(`POST ${path} -> ${result.status} ${JSON.stringify(result.body)}`);
			return result.body;
		},
	};
	return client;
}

/**
 * n8n's `helpers.httpRequestWithAuthentication` for unit tests of code outside routing: the
 * request goes to the emulator over HTTP with this client's token; failures look like n8n's
 * (an error with `response.status` and `response.data`); `returnFullResponse` answers
 * `{body, headers, statusCode}`.
 */
export function authenticatedRequest(client: HaloClient) {
	return async (_type: string, options: IHttpRequestOptions) => {
		const url = new URL(String(options.url));
		for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
		const response = await fetch(url, {
			method: options.method,
			headers: { Authorization: `Bearer ${await client.token()}`, 'Content-Type': 'application/json' },
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		const data = text ? JSON.parse(text) : undefined;
		if (!response.ok)
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
				response: { status: response.status, data },
			});
		if (!options.returnFullResponse) return data;
		const headers: IDataObject = {};
		response.headers.forEach((value, key) => (headers[key] = value));
		return { body: data, headers, statusCode: response.status };
	};
}
