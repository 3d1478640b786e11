import { ticketLike } from './ticket';

/** Opportunities: tickets in Halo's CRM domain, /Opportunities. List envelope `tickets` (OAS-R Faults_View; README §8). */
export const opportunity = ticketLike(
	{
		value: 'opportunity',
		label: 'Opportunity',
		plural: 'Opportunities',
		path: '/Opportunities',
		listKey: 'tickets',
		paged: true,
		area: 'crm',
	},
	{ label: (row) => `#${row.id} ${row.summary ?? ''}`.trim() },
);
