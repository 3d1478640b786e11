import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { readFailure } from './shared/errors';
import { HALO_CREDENTIAL_TYPE, testHaloCredential } from '../../credentials/HaloPsaToken';
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
 * n8n's own Basic Auth credential (its Webhook node uses it too): Manual setup's user and password
 * live there, encrypted, not in the workflow, its history or its exports.
 */
const BASIC_AUTH_CREDENTIAL = 'httpBasicAuth';

/**
 * Event ids already delivered (Halo retries a delivery it thinks failed), for an hour, in this n8n
 * process: one memory per trigger (workflow and node), so a busy trigger never pushes another's
 * events out.
 */
const recentEvents = new Map<string, Map<string, number>>();
const RECENT_EVENT_MS = 3_600_000;
const RECENT_EVENT_MAX = 10_000;

/** Whether this is the first delivery of the event to this trigger in the last hour (and remembers it). */
function firstDelivery(trigger: string, eventId: string, now = Date.now()): boolean {
	let seen = recentEvents.get(trigger);
	if (!seen) recentEvents.set(trigger, (seen = new Map()));
	const at = seen.get(eventId);
	if (at !== undefined && now - at < RECENT_EVENT_MS) return false;
	// kept in delivery order, so the oldest are first: drop those past the hour, then beyond the cap
	seen.delete(eventId);
	seen.set(eventId, now);
	for (const [id, time] of seen) {
		if (now - time < RECENT_EVENT_MS && seen.size <= RECENT_EVENT_MAX) break;
		seen.delete(id);
	}
	return true;
}

/** The trigger a delivery or hook belongs to: workflow and node. */
function triggerKey(ctx: IHookFunctions | IWebhookFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().id}`;
}

/** A Halo event is a JSON object with fields; anything else in a body (text, null, [], numbers) is not. */
function isEvent(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
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

/**
 * Deletes the webhook this trigger registered, by the id Halo gave it: its event subscriptions
 * (UnameNotification rows that name it, never an agent's own notification profile) first, then the
 * webhook. Never a webhook it did not create, even one with the same URL.
 */
async function deleteOwnWebhook(ctx: IHookFunctions, id: string): Promise<void> {
	const subscriptions = rowsOf(
		await haloRequest.call(ctx, webhookSubscription.spec, { webhook_id: id }),
		webhookSubscription.spec.listKey,
	).rows;
	for (const subscription of subscriptions) {
		if (subscription.id === undefined || String(subscription.webhook_id ?? '').toLowerCase() !== id.toLowerCase())
			continue;
		await deleteIfPresent(ctx, webhookSubscription.spec, subscription.id as number);
	}
	await deleteIfPresent(ctx, webhookResource.spec, id);
}

/** Forgets the registration: id, username and password hash. */
function forgetRegistration(data: TriggerStaticData): void {
	delete data.webhookId;
	delete data.username;
	delete data.password;
	delete data.passwordHash;
	delete data.passwordSalt;
}

/** Manual setup's user and password, from the Basic Auth credential; undefined when none (or an empty one) is selected. */
async function manualLogin(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<{ user: string; password: string } | undefined> {
	try {
		const credential = await ctx.getCredentials(BASIC_AUTH_CREDENTIAL);
		const user = String(credential?.user ?? '');
		const password = String(credential?.password ?? '');
		return user && password ? { user, password } : undefined;
	} catch {
		return undefined;
	}
}

const NO_MANUAL_LOGIN = 'Manual setup has no Basic Auth credential with a user and a password';
const NO_MANUAL_LOGIN_HELP =
	"Select a Basic Auth credential in the HaloPSA Trigger (or create one), and enter the same user and password in Halo's webhook: Configuration > Integrations > Webhooks, Authentication: Basic. Versions before 0.5.0 kept the password as a node parameter, which n8n saved in the workflow, its history and exports; it is no longer read, so choose a new password.";

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
		credentials: [
			{
				name: HALO_CREDENTIAL_TYPE,
				required: true,
				displayOptions: { show: { setup: ['automatic'] } },
				// n8n's editor finds the credential's Test here (for every node using the credential)
				testedBy: 'haloPsaCredentialTest',
			},
			{
				// n8n's own Basic Auth credential, as n8n's Webhook node uses it; the rule wants our own
				// credentials to end in "Api" and exempts only n8n's nodes by file name
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'httpBasicAuth',
				required: true,
				displayOptions: { show: { setup: ['manual'] } },
			},
		],
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
							'You create the webhook in Halo (Configuration > Integrations > Webhooks) with the URL below and the login of a Basic Auth credential',
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
					'In Halo: Configuration > Integrations > Webhooks > New. Payload URL: the Production URL shown above. Authentication: Basic, with the user and password of the Basic Auth credential selected above. Pick your events there.',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { setup: ['manual'] } },
			},
		],
	};

	methods = {
		credentialTest: {
			/** The credential's Test button: a new token from Halo, then GET /api/Agent/me with it. */
			async haloPsaCredentialTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testHaloCredential(async (options) => await this.helpers.request(options), credential.data ?? {});
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				if (this.getNodeParameter('setup') === 'manual') {
					if (!(await manualLogin(this)))
						throw new NodeOperationError(this.getNode(), NO_MANUAL_LOGIN, { description: NO_MANUAL_LOGIN_HELP });
					// Manual setup has no HaloPSA credential, so it cannot delete a webhook Automatic setup
					// left (n8n deletes it with the Automatic version; this happens only if that failed)
					if (data.webhookId)
						this.logger.warn(
							`HaloPSA Trigger "${this.getNode().name}": the webhook ${data.webhookId} that Automatic setup registered in Halo is still there. Delete it in Halo (Configuration > Integrations > Webhooks), or switch back to Automatic and deactivate the workflow once.`,
						);
					return true;
				}
				if (data.password) keepHashOf(data, data.password);
				if (!data.webhookId) return false;
				const webhook = (await unlessNotFound(
					haloRequest.call(this, webhookResource.spec, {}, 'GET', { id: data.webhookId }),
				)) as IDataObject | undefined;
				if (webhook && webhook.url === this.getNodeWebhookUrl('default') && webhook.active !== false) return true;
				// ours, but no longer reaching this workflow (n8n's URL changed, or it was switched off in
				// Halo): deleted by its id before a new one is registered, so it is not left behind
				if (webhook) await deleteOwnWebhook(this, data.webhookId);
				forgetRegistration(data);
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
				recentEvents.delete(triggerKey(this));
				// Manual setup has no HaloPSA credential: what Automatic setup registered stays recorded
				if (this.getNodeParameter('setup') === 'manual') return true;
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				// only the webhook this trigger registered, by its id: never one made by hand for the same URL
				if (data.webhookId) await deleteOwnWebhook(this, data.webhookId);
				forgetRegistration(data);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const manual = this.getNodeParameter('setup') === 'manual';
		const data = this.getWorkflowStaticData('node') as TriggerStaticData;
		const res = this.getResponseObject();
		const login = manual ? await manualLogin(this) : undefined;
		if (manual && !login) {
			// the workflow is not set up to check anyone: nothing is let in
			res.status(500).json({ error: `${NO_MANUAL_LOGIN}: select one in the HaloPSA Trigger` });
			return { noWebhookResponse: true };
		}
		const expectedUser = manual ? login?.user : data.username;
		const given = basicCredentialsOf(this.getHeaderData().authorization);
		const allowed =
			!!expectedUser &&
			!!given &&
			sameSecret(given.user, expectedUser) &&
			(manual ? sameSecret(given.password, login?.password ?? '') : samePassword(given.password, data));
		if (!allowed) {
			res.status(401).setHeader('WWW-Authenticate', 'Basic realm="n8n HaloPSA trigger"');
			res.json({ error: 'Unauthorized: wrong or missing Basic authentication' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData() as unknown;
		const events = (Array.isArray(body) ? body : [body]).filter(isEvent);
		if (!events.length) {
			res.status(400).json({
				error:
					'Bad request: the body holds no Halo event (expected a JSON object, or an array of them, with the event fields)',
			});
			return { noWebhookResponse: true };
		}
		// a delivery for another of Halo's webhooks (Halo names it in webhook_id) is not ours
		const ours = data.webhookId?.toLowerCase();
		if (!manual && ours && events.some((e) => e.webhook_id && String(e.webhook_id).toLowerCase() !== ours)) {
			res.status(403).json({ error: 'Forbidden: the delivery is for another webhook' });
			return { noWebhookResponse: true };
		}
		// an event delivered again (Halo retries) starts nothing the second time
		const trigger = triggerKey(this);
		const fresh = events.filter((e) => e.id === undefined || e.id === null || firstDelivery(trigger, String(e.id)));
		if (!fresh.length) {
			res.status(200).json({ received: true, duplicate: true });
			return { noWebhookResponse: true };
		}
		return { workflowData: [this.helpers.returnJsonArray(fresh)] };
	}
}
