import type { INodeProperties } from 'n8n-workflow';

import { crudResource, requiredString } from '../shared/crud';
import type { HaloResource } from '../shared/resource';
import { eventOptions } from '../shared/webhookEvents';
import { includeDetails } from '../shared/commonFields';
import { HALO_SECRET_FIELDS } from '../secretFields';

/** Event subscriptions (Webhook.events, UnameNotification records), from the catalogue the trigger uses. */
const eventsField: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: eventOptions(),
	default: [],
	description:
		'Halo events this webhook is subscribed to. Halo does not publish its event numbers, so these are unverified; to be sure, pick events in Halo itself (Configuration > Integrations > Webhooks).',
	routing: {
		send: {
			type: 'body',
			property: 'events',
			value: '={{ [].concat($value).map((eventno) => ({ eventno: Number(eventno) })) }}',
		},
	},
};

/** Outgoing webhooks, /Webhook (GUID ids). Enum values follow the only known mapping (README §4.2, unverified). */
export const webhook = crudResource({
	spec: {
		value: 'webhook',
		label: 'Webhook',
		plural: 'Webhooks',
		path: '/Webhook',
		paged: false,
		area: 'admin',
		guidIds: true,
		secretFields: HALO_SECRET_FIELDS,
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredString('Name', 'name', 'name', 'Name of the webhook in Halo'),
		requiredString('URL', 'url', 'url', 'Address Halo sends the events to'),
	],
	fields: [
		{ key: 'active', displayName: 'Active', type: 'boolean', description: 'Whether Halo sends events to this webhook' },
		{
			key: 'authentication_type',
			displayName: 'Authentication',
			type: 'number',
			options: [
				{ name: 'None', value: 0 },
				{ name: 'Basic', value: 1 },
			],
		},
		{ key: 'basic_username', displayName: 'Basic Username', type: 'string' },
		{
			key: 'basic_password',
			displayName: 'Basic Password',
			type: 'string',
			secret: true,
			description: 'Password Halo sends with Basic authentication',
		},
		{
			key: 'payload_type',
			displayName: 'Payload Type',
			type: 'number',
			options: [
				{ name: 'Default', value: 0 },
				{ name: 'Custom', value: 1 },
			],
		},
		{ key: 'content_type', displayName: 'Content Type', type: 'string', description: 'e.g. application/json' },
	],
	updateOnly: [
		{ key: 'name', displayName: 'Name', type: 'string' },
		{ key: 'url', displayName: 'URL', type: 'string' },
	],
	filters: [{ key: 'type', displayName: 'Type', type: 'number', description: 'Webhook type (0 = outgoing)' }],
	getOptions: [includeDetails('the event subscriptions')],
	extraWriteFields: [eventsField],
});

/** A webhook's event subscriptions (UnameNotification rows), read and removed by the trigger. */
export const webhookSubscription: HaloResource = {
	spec: {
		value: 'notification',
		label: 'Webhook Event Subscription',
		plural: 'Webhook Event Subscriptions',
		path: '/Notification',
		listKey: 'notifications',
		paged: false,
		area: 'admin',
	},
};
