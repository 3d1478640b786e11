/**
 * What users read when Halo says no: every status maps to a message that keeps Halo's words
 * and a description that says which permission, field or record, and what to do.
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { HaloCredentialError } from '../../credentials/HaloPsaToken';
import { credentialFailureIn, haloApiError, haloMessageFrom, readFailure } from '../../nodes/HaloPsa/shared/errors';
import { specs } from '../../nodes/HaloPsa/resources';
import { sendPaced } from '../../nodes/HaloPsa/transport';

const node: INode = {
	id: '1',
	name: 'HaloPSA',
	type: 'n8n-nodes-halopsa.haloPsa',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function axiosError(status: number, data: unknown) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, data, headers: {} },
		config: { headers: { Authorization: 'Bearer secret-token-value' } },
	});
}

test('403 names the missing Halo permission for the resource and the direction', () => {
	const read = haloApiError(node, axiosError(403, ''), { spec: specs.asset, method: 'GET' });
	expect(read.message).toBe('HaloPSA denied access to assets (403): permission "read:assets" is missing');
	const write = haloApiError(node, axiosError(403, ''), { spec: specs.client, method: 'POST' });
	expect(write.message).toContain('"edit:customers"');
	expect(write.description).toContain('Configuration > Integrations > Halo API');
	expect(haloApiError(node, axiosError(403, ''), { spec: specs.webhook, method: 'GET' }).message).toContain('"admin"');
});

test("400 keeps Halo's words and points at the field they name", () => {
	const error = haloApiError(node, axiosError(400, '"An Outcome must be entered for this Action"'), {
		spec: specs.ticketAction,
		method: 'POST',
	});
	expect(error.message).toBe(
		'HaloPSA refused the ticket action request (400): An Outcome must be entered for this Action',
	);
	const field = haloApiError(node, axiosError(400, { '[0].client_id': ['The client_id field is required.'] }), {
		spec: specs.ticket,
		method: 'POST',
	});
	expect(field.description).toContain('the field "client_id"');
	expect(field.httpCode).toBe('400');
});

test('404 names the record; 429 says the node already waited', () => {
	expect(haloApiError(node, axiosError(404, ''), { spec: specs.ticket, method: 'GET', id: 42 }).message).toBe(
		'Ticket 42 was not found in HaloPSA (404)',
	);
	expect(
		haloApiError(node, axiosError(429, { error: 'Rate Limit Reached - 300 Requests per rolling 5 minute window' }), {
			spec: specs.ticket,
			method: 'GET',
		}).description,
	).toContain('waited and retried');
});

test('5xx on a write says the record may or may not have been saved', () => {
	const error = haloApiError(node, axiosError(500, { ClassName: 'System.Exception', Message: 'Deadlock' }), {
		spec: specs.ticket,
		method: 'POST',
	});
	expect(error.message).toBe('HaloPSA had a server error (500): Deadlock');
	expect(error.description).toContain('may or may not have been saved');
});

test('a token failure wrapped by n8n keeps the credential wording, not "could not reach"', () => {
	const cause = new HaloCredentialError(
		'Halo is rate-limiting token requests (429)',
		'Halo allows about 300 requests ...',
		429,
	);
	const wrapped = new NodeApiError(node, cause as never);
	// what the Test button and n8n's own wrapping show: our words, not n8n's generic status text
	expect(wrapped.message).toBe('Halo is rate-limiting token requests (429)');
	const refused = new NodeApiError(
		node,
		new HaloCredentialError(
			'Halo rejected the Client ID or Client Secret (invalid_client)',
			'Check both values',
			401,
		) as never,
	);
	expect(refused.message).toContain('invalid_client');
	expect(credentialFailureIn(wrapped)).toMatchObject({
		message: 'Halo is rate-limiting token requests (429)',
		status: 429,
	});
	const error = haloApiError(node, wrapped, { spec: specs.ticket, method: 'POST' });
	expect(error.message).toBe('Halo is rate-limiting token requests (429)');
	expect(error.description).toBe('Halo allows about 300 requests ...');
});

test('errors never carry the request headers (token)', () => {
	const error = haloApiError(node, axiosError(401, ''), { spec: specs.ticket, method: 'GET' });
	expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toContain(
		'secret-token-value',
	);
});

test("Halo's message is found in every body shape it sends", () => {
	expect(haloMessageFrom('{"error":"invalid_client"}')).toBe('invalid_client');
	expect(haloMessageFrom({ Message: 'x' })).toBe('x');
	expect(haloMessageFrom({ resultCode: 1, errorMessage: 'y' })).toBe('y');
	expect(haloMessageFrom('<html>proxy</html>')).toBeUndefined();
	expect(readFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({
		status: undefined,
		haloMessage: undefined,
		code: 'ECONNRESET',
	});
});

test("an error raised after Halo answered keeps its own words, never 'Could not reach HaloPSA'", async () => {
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ urlMode: 'haloUrl', haloUrl: 'http://127.0.0.1:1', rateLimit: 'none' }),
	};
	const failure = { spec: specs.report, method: 'POST', itemIndex: 0 };
	const loadError = new NodeOperationError(node, "Halo could not run the report: Invalid column name 'Symptomx'.");
	await expect(sendPaced(ctx, failure, async () => await Promise.reject(loadError))).rejects.toBe(loadError);
	const stored = sendPaced(ctx, failure, async () => await Promise.reject(new Error('The file could not be stored')));
	await expect(stored).rejects.toThrow('The file could not be stored');
	await expect(stored).rejects.toBeInstanceOf(NodeOperationError);
	// a network failure is still one
	const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
	const unreachable = await sendPaced(ctx, failure, async () => await Promise.reject(refused)).catch((e) => e);
	expect(unreachable).toBeInstanceOf(NodeApiError);
	expect(unreachable.description).toContain('may or may not have been saved');
});
