import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { readFailure } from './shared/errors';
import { HALO_CREDENTIAL_TYPE } from '../../credentials/HaloPsaToken';
import { webhook as webhookResource, webhookSubscription } from './resources/webhook';
import { rowsOf } from './shared/paging';
import type { ResourceSpec } from './shared/specs';
import { eventOptions } from './shared/webhookEvents';
import { haloRequest } from './transport';

const USERNAME = 'n8n';

/**
 * What the trigger keeps in the workflow's static data (which n8n's API returns): the webhook's id,
 * the username, and a salted SHA-256 of the Basic-auth password, never the password itself (it is
 * sent to Halo once, at registration).
 */
interface TriggerStaticData {
	webhookId?: string;
	username?: string;
	passwordSalt?: string;
	passwordHash?: string;
	/** kept in clear by versions before 0.4.0; replaced by its hash on the next activation */
	password?: string;
}

function digest(text: string, salt = ''): Buffer {
	return createHash('sha256').update(salt).update(text).digest();
}

/** Compares fixed-length digests in constant time, so neither the content nor the length of a secret leaks. */
function sameSecret(given: string, expected: string): boolean {
	return timingSafeEqual(digest(given), digest(expected));
}

function samePassword(given: string, data: TriggerStaticData): boolean {
	if (data.passwordHash && data.passwordSalt) {
		const expected = Buffer.from(data.passwordHash, 'hex');
		const actual = digest(given, data.passwordSalt);
		return expected.length === actual.length && timingSafeEqual(actual, expected);
	}
	return !!data.password && sameSecret(given, data.password);
}

function keepHashOf(data: TriggerStaticData, password: string): void {
	data.passwordSalt = randomBytes(16).toString('hex');
	data.passwordHash = digest(password, data.passwordSalt).toString('hex');
	delete data.password;
}

/**
 * Event ids already delivered (Halo retries a delivery it thinks failed), per workflow and node,
 * for an hour, in this n8n process.
 */
const recentEvents = new Map<string, number>();
const RECENT_EVENT_MS = 3_600_000;
const RECENT_EVENT_MAX = 10_000;

function firstDelivery(key: string, now = Date.now()): boolean {
	const seen = recentEvents.get(key);
	if (seen !== undefined && now - seen < RECENT_EVENT_MS) return false;
	recentEvents.set(key, now);
	if (recentEvents.size > RECENT_EVENT_MAX) recentEvents.delete(recentEvents.keys().next().value as string);
	return true;
}

/** A Halo request about one record; a record that is gone (404, e.g. deleted by hand in Halo) gives undefined. */
async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
	try {
		return await request;
	} catch (error) {
		if (readFailure(error).status !== 404) throw error;
		return undefined;
	}
}

/** Deletes a Halo record; one already deleted is not an error. */
async function deleteIfPresent(ctx: IHookFunctions, spec: ResourceSpec, id: string | number): Promise<void> {
	await unlessNotFound(haloRequest.call(ctx, spec, {}, 'DELETE', { id }));
}

function basicCredentialsOf(header: string | undefined): { user: string; password: string } | undefined {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class HaloPsaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HaloPSA Webhook Trigger',
		name: 'haloPsaTrigger',
		icon: { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["setup"] === "manual" ? "manual webhook" : $parameter["events"].length + " event(s)"}}',
		description: 'Starts the workflow when HaloPSA sends a webhook event',
		defaults: { name: 'HaloPSA Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: HALO_CREDENTIAL_TYPE, required: true, displayOptions: { show: { setup: ['automatic'] } } }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Setup',
				name: 'setup',
				type: 'options',
				options: [
					{
						name: 'Automatic (Register Webhook in Halo)',
						value: 'automatic',
						description:
							'Creates the webhook in Halo on activation and deletes it on deactivation (needs the admin permission)',
					},
					{
						name: 'Manual (I Create the Webhook in Halo)',
						value: 'manual',
						description:
							'You create the webhook in Halo (Configuration > Integrations > Webhooks) with the URL and login below',
					},
				],
				default: 'automatic',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventOptions(),
				default: [],
				required: true,
				description:
					'Halo events that start the workflow. Halo does not publish its event numbers; if an event never arrives, use Manual setup and pick it in Halo.',
				displayOptions: { show: { setup: ['automatic'] } },
			},
			{
				displayName:
					'In Halo: Configuration > Integrations > Webhooks > New. Payload URL: the Production URL shown above. Authentication: Basic, with the username and password below. Pick your events there.',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { setup: ['manual'] } },
			},
			{
				displayName: 'Username',
				name: 'username',
				type: 'string',
				default: 'n8n',
				required: true,
				description: 'Basic authentication username to enter in Halo',
				displayOptions: { show: { setup: ['manual'] } },
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description:
					'Basic authentication password to enter in Halo: use a long random value. Deliveries without it are refused.',
				displayOptions: { show: { setup: ['manual'] } },
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('setup') === 'manual') return true;
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				if (data.password) keepHashOf(data, data.password);
				if (!data.webhookId) return false;
				const webhook = (await unlessNotFound(
					haloRequest.call(this, webhookResource.spec, {}, 'GET', { id: data.webhookId }),
				)) as IDataObject | undefined;
				if (webhook && webhook.url === this.getNodeWebhookUrl('default') && webhook.active !== false) return true;
				delete data.webhookId;
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('setup') === 'manual') return true;
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const events = this.getNodeParameter('events', []) as number[];
				const password = randomBytes(24).toString('base64url');
				const body = [
					{
						name: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id} (${this.getNode().name})`.slice(0, 100),
						url: this.getNodeWebhookUrl('default'),
						active: true,
						method: 0,
						content_type: 'application/json',
						authentication_type: 1,
						basic_username: USERNAME,
						basic_password: password,
						payload_type: 0,
						events: events.map((eventno) => ({ eventno })),
					},
				];
				const created = (await haloRequest.call(this, webhookResource.spec, {}, 'POST', { body })) as
					IDataObject | IDataObject[];
				const record = Array.isArray(created) ? created[0] : created;
				if (!record?.id) return false;
				data.webhookId = String(record.id);
				data.username = USERNAME;
				keepHashOf(data, password);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('setup') === 'manual') return true;
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				// the stored id, plus any webhook Halo holds for this URL (static data may not have been saved)
				const ids = new Set<string>(data.webhookId ? [data.webhookId] : []);
				const url = this.getNodeWebhookUrl('default');
				const existing = rowsOf(await haloRequest.call(this, webhookResource.spec), webhookResource.spec.listKey).rows;
				for (const webhook of existing) {
					if (webhook.url === url && webhook.id) ids.add(String(webhook.id));
				}
				for (const id of ids) {
					// its event subscriptions (UnameNotification records) first, then the webhook itself;
					// only rows that name this webhook, never an agent's own notification profile
					const subscriptions = rowsOf(
						await haloRequest.call(this, webhookSubscription.spec, { webhook_id: id }),
						webhookSubscription.spec.listKey,
					).rows;
					for (const subscription of subscriptions) {
						if (
							subscription.id === undefined ||
							String(subscription.webhook_id ?? '').toLowerCase() !== id.toLowerCase()
						)
							continue;
						await deleteIfPresent(this, webhookSubscription.spec, subscription.id as number);
					}
					await deleteIfPresent(this, webhookResource.spec, id);
				}
				delete data.webhookId;
				delete data.username;
				delete data.password;
				delete data.passwordHash;
				delete data.passwordSalt;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const manual = this.getNodeParameter('setup') === 'manual';
		const data = this.getWorkflowStaticData('node') as TriggerStaticData;
		const expectedUser = manual ? String(this.getNodeParameter('username')) : data.username;
		const manualPassword = manual ? String(this.getNodeParameter('password')) : '';
		const given = basicCredentialsOf(this.getHeaderData().authorization);
		const allowed =
			!!expectedUser &&
			!!given &&
			sameSecret(given.user, expectedUser) &&
			(manual ? !!manualPassword && sameSecret(given.password, manualPassword) : samePassword(given.password, data));
		const res = this.getResponseObject();
		if (!allowed) {
			res.status(401).setHeader('WWW-Authenticate', 'Basic realm="n8n HaloPSA trigger"');
			res.json({ error: 'Unauthorized: wrong or missing Basic authentication' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData() as unknown;
		const events = (Array.isArray(body) ? body : [body]).filter(
			(event) => event && typeof event === 'object',
		) as IDataObject[];
		// a delivery for another of Halo's webhooks (Halo names it in webhook_id) is not ours
		const ours = data.webhookId?.toLowerCase();
		if (!manual && ours && events.some((e) => e.webhook_id && String(e.webhook_id).toLowerCase() !== ours)) {
			res.status(403).json({ error: 'Forbidden: the delivery is for another webhook' });
			return { noWebhookResponse: true };
		}
		// an event delivered again (Halo retries) starts nothing the second time
		const scope = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
		const fresh = events.filter(
			(e) => e.id === undefined || e.id === null || firstDelivery(`${scope}/${String(e.id)}`),
		);
		if (!fresh.length) {
			res.status(200).json({ received: true, duplicate: true });
			return { noWebhookResponse: true };
		}
		return { workflowData: [this.helpers.returnJsonArray(fresh)] };
	}
}
