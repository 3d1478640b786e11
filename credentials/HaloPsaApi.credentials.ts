import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	checkAllowedDomain,
	fetchToken,
	HALO_CREDENTIAL_TYPE,
	HaloCredentialError,
	isPlainHttpForHosted,
} from './HaloPsaToken';

/**
 * HaloPSA OAuth2 client-credentials credential.
 *
 * The token is fetched by `preAuthentication` and stored by n8n in the hidden, expirable
 * `accessToken` field, so later executions reuse it. n8n calls `preAuthentication` again when
 * that field is empty or after Halo answers 401. `fetchToken` shares one token request between
 * concurrent items and reuses a still-valid token that another item already obtained. The
 * Test button asks for a new one (testHaloCredential).
 */
export class HaloPsaApi implements ICredentialType {
	name = HALO_CREDENTIAL_TYPE;

	displayName = 'HaloPSA (Client Credentials) API';

	documentationUrl = 'https://github.com/n8n-nodes-halopsa/n8n-nodes-halopsa#credentials';

	icon = { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Hosting Type',
			name: 'hostingType',
			type: 'options',
			options: [
				{
					name: 'Hosted by Halo',
					value: 'hostedHalo',
					description: 'Cloud tenant such as https://yourcompany.halopsa.com',
				},
				{
					name: 'On-Premise',
					value: 'onPremise',
					description: 'Halo installed on your own server',
				},
			],
			default: 'hostedHalo',
		},
		{
			displayName: 'URL Setup',
			name: 'urlMode',
			type: 'options',
			options: [
				{
					name: 'Halo URL (Derive /auth and /API)',
					value: 'haloUrl',
					description: 'Enter the web address of your Halo; /auth and /api are added to it',
				},
				{
					name: 'Authorisation and Resource Server URLs',
					value: 'separate',
					description: 'Copy both URLs from Halo: Configuration > Integrations > Halo API > API Details',
				},
			],
			default: 'haloUrl',
		},
		{
			displayName: 'Halo URL',
			name: 'haloUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.halopsa.com',
			description:
				'The address of your Halo agent portal, without /auth or /api. Authorisation Server = this URL + /auth, Resource Server = this URL + /api.',
			displayOptions: { show: { urlMode: ['haloUrl'] } },
		},
		{
			displayName: 'Authorisation Server URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.halopsa.com/auth',
			description:
				'Shown in Halo under Configuration > Integrations > Halo API > API Details as "Authorisation Server". The token is requested from this URL + /token.',
			displayOptions: { show: { urlMode: ['separate'] } },
		},
		{
			displayName: 'Resource Server URL',
			name: 'resourceApiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.halopsa.com/api',
			description:
				'Shown in Halo under Configuration > Integrations > Halo API > API Details as "Resource Server". It usually ends in /api.',
			displayOptions: { show: { urlMode: ['separate'] } },
		},
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: '',
			placeholder: 'yourcompany',
			description:
				'Shown under Configuration > Integrations > Halo API > API Details on hosted Halo. Letters, digits, dot, dash and underscore only.',
			displayOptions: { show: { hostingType: ['hostedHalo'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the Halo API application (Authentication Method: Client ID and Secret (Services))',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the Halo API application is saved',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'all',
			description:
				'Space-separated Halo scopes, e.g. "all" or "read:tickets edit:tickets read:customers". The token can never do more than the application\'s permissions and those of its agent.',
		},
		{
			displayName: 'Rate Limit',
			name: 'rateLimit',
			type: 'options',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description:
						"Hosted: keep to Halo's 300 requests per rolling 5 minutes; on-premise: no pace. Either way a 429 teaches the node Halo's real limit.",
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Keep to the numbers below (and to a lower limit if Halo states one in a 429)',
				},
				{
					name: 'None',
					value: 'none',
					description: 'Never wait before sending; a 429 is still retried with back-off',
				},
			],
			default: 'auto',
		},
		{
			displayName: 'Max Requests per Window',
			name: 'rateLimitRequests',
			type: 'number',
			default: 300,
			description:
				'The node sends at most this many requests per window, e.g. less than Halo allows when other integrations share the tenant',
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName: 'Window (Seconds)',
			name: 'rateLimitWindowSeconds',
			type: 'number',
			default: 300,
			description: 'Length of the rolling window the maximum applies to',
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const accessToken = await fetchToken(this.helpers.httpRequest, credentials);
		return { accessToken };
	}

	/**
	 * The token as a Bearer header, never over plain http:// to Halo hosted by Halo (a token stored
	 * before the URL was changed would otherwise go wherever the new URL points), and never to a
	 * host outside n8n's Allowed HTTP Request Domains when the credential lists some.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const target = targetUrl(requestOptions);
		if (isPlainHttpForHosted(credentials, target)) {
			throw new HaloCredentialError(
				'The HaloPSA credential does not send its token over plain http:// to hosted Halo',
				`The request went to ${target.split('?')[0]}. Hosted Halo answers on https://: change the URL in the credential (or in the HTTP Request node) to https://, or set Hosting Type to On-Premise for a Halo on your own server without TLS.`,
			);
		}
		checkAllowedDomain(credentials, target, 'request URL');
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
		};
	}

	// no `test` here: the Test button runs testHaloCredential (a node's credentialTest, see
	// HaloPsaTrigger), which asks Halo for a new token instead of n8n's request test, whose
	// preAuthentication would reuse a token cached from earlier runs
}

/** The absolute URL a request goes to (n8n may pass a path and a baseURL). */
function targetUrl(options: IHttpRequestOptions): string {
	try {
		return new URL(String(options.url ?? ''), options.baseURL || undefined).toString();
	} catch {
		return String(options.url ?? '');
	}
}
