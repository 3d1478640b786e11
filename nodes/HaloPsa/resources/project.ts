import { ticketLike } from './ticket';

/** Projects: tickets in Halo's project domain, /Projects. List envelope `tickets` (OAS-R Faults_View; panoramicdata live test). */
export const project = ticketLike(
	{
		value: 'project',
		label: 'Project',
		plural: 'Projects',
		path: '/Projects',
		listKey: 'tickets',
		paged: true,
		area: 'projects',
	},
	{ label: (row) => `#${row.id} ${row.summary ?? ''}`.trim() },
);
