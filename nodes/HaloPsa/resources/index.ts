import type { INodeProperties } from 'n8n-workflow';

import { agentDescription } from './agent';
import { assetDescription } from './asset';
import { clientDescription } from './client';
import { lookupDescription } from './lookup';
import { siteDescription } from './site';
import { ticketDescription } from './ticket';
import { ticketActionDescription } from './ticketAction';
import { userDescription } from './user';
import { webhookDescription } from './webhook';

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Agent', value: 'agent' },
		{ name: 'Asset', value: 'asset' },
		{ name: 'Client', value: 'client' },
		{ name: 'Lookup', value: 'lookup' },
		{ name: 'Site', value: 'site' },
		{ name: 'Ticket', value: 'ticket' },
		{ name: 'Ticket Action', value: 'ticketAction' },
		{ name: 'User', value: 'user' },
		{ name: 'Webhook', value: 'webhook' },
	],
	default: 'ticket',
};

export const resourceProperties: INodeProperties[] = [
	...agentDescription,
	...assetDescription,
	...clientDescription,
	...lookupDescription,
	...siteDescription,
	...ticketDescription,
	...ticketActionDescription,
	...userDescription,
	...webhookDescription,
];
