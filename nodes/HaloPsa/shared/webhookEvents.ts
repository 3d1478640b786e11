import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Halo notification events a webhook can subscribe to (UnameNotification.eventno).
 * Halo does not publish the number <-> event table (shared/halo-api/README.md §4.2, §9.12):
 * these numbers are unverified. If Halo does not deliver an event, create the webhook by hand
 * (Setup: Manual) and pick the events in Halo's own list.
 */
export interface HaloEvent {
	eventno: number;
	/** name as Halo's UI shows it */
	name: string;
	/** what the delivery carries */
	description: string;
}

export const haloEvents: HaloEvent[] = [
	{ eventno: 0, name: 'New Ticket Logged', description: 'A ticket is created (delivery carries the ticket)' },
	{ eventno: 1, name: 'Ticket Updated', description: 'Any change to a ticket' },
	{ eventno: 2, name: 'Ticket Status Changed', description: 'The status of a ticket changes' },
	{ eventno: 3, name: 'Ticket Closed', description: 'A ticket is closed' },
	{ eventno: 4, name: 'Ticket Reassigned', description: 'A ticket gets another agent or team' },
	{
		eventno: 5,
		name: 'Action Added',
		description: 'A note, e-mail or other action is added (delivery carries ticket and action)',
	},
	{ eventno: 6, name: 'SLA Response Warning', description: 'A ticket nears its SLA response target' },
	{ eventno: 7, name: 'SLA Resolution Warning', description: 'A ticket nears its SLA fix target' },
	{ eventno: 8, name: 'Client Created', description: 'A client (customer) is created' },
	{ eventno: 9, name: 'Client Updated', description: 'A client (customer) is changed' },
	{ eventno: 10, name: 'Asset Created', description: 'An asset is created' },
	{ eventno: 11, name: 'Asset Updated', description: 'An asset is changed' },
];

export function eventOptions(): INodePropertyOptions[] {
	return haloEvents
		.map((event) => ({ name: event.name, value: event.eventno, description: event.description }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
