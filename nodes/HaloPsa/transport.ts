import type { IDataObject, IHookFunctions, IHttpRequestMethods, ILoadOptionsFunctions } from 'n8n-workflow';

import { buildHaloUrls } from '../../credentials/HaloPsaToken';
import { haloApiError } from './shared/errors';
import type { ResourceSpec } from './shared/specs';

export const CREDENTIAL_NAME = 'haloPsaClientCredentialsApi';

/**
 * Request helper for dropdowns and list search (code paths outside declarative routing).
 * Errors become NodeApiErrors, so a failing dropdown shows Halo's reason instead of an empty list.
 */
export async function haloRequest(
	this: ILoadOptionsFunctions | IHookFunctions,
	spec: ResourceSpec,
	qs: IDataObject = {},
	method: IHttpRequestMethods = 'GET',
	options: { id?: string | number; body?: unknown } = {},
): Promise<any> {
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const { apiUrl } = buildHaloUrls(credentials);
	const path = options.id === undefined ? spec.path : `${spec.path}/${encodeURIComponent(String(options.id))}`;
	try {
		return await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
			method,
			url: `${apiUrl}${path}`,
			qs,
			body: options.body as IDataObject,
			json: true,
		});
	} catch (error) {
		throw haloApiError(this.getNode(), error, { spec, method, id: options.id });
	}
}

/** Rows of a Halo list body: a bare array, or the array under the spec's list key. */
export function rowsOf(body: unknown, spec: ResourceSpec): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object' && spec.listKey) {
		const rows = (body as IDataObject)[spec.listKey];
		if (Array.isArray(rows)) return rows as IDataObject[];
	}
	return [];
}
