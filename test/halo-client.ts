/**
 * A tiny Halo API client for tests: talks HTTP to the emulator like any Halo client would
 * (token from /auth/token, then Bearer requests), to seed data and check results.
 */
import { DEFAULT_CLIENT, type Emulator } from '../emulator';

export interface HaloClient {
	token(): Promise<string>;
	request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
	get(path: string): Promise<any>;
	post(path: string, body: unknown): Promise<any>;
}

export function haloClient(emulator: Emulator, tenant: string | null = null): HaloClient {
	let token = '';
	const client: HaloClient = {
		async token() {
			if (token) return token;
			const form = new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: DEFAULT_CLIENT.clientId,
				client_secret: DEFAULT_CLIENT.clientSecret,
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
