import { crudResource } from '../shared/crud';
import { agentField } from '../shared/commonFields';

/**
 * Agents' timesheets (one per agent and day), /Timesheet: read only here. Halo's document lists
 * no Get Many filters; list envelope unverified (redanthrax: bare array; HaloAPI-PS: `timesheets`).
 */
export const timesheet = crudResource({
	spec: {
		value: 'timesheet',
		label: 'Timesheet',
		plural: 'Timesheets',
		path: '/Timesheet',
		listKey: 'timesheets',
		paged: false,
		area: 'timesheets',
	},
	operations: ['get', 'getAll'],
	getOptions: [agentField, { key: 'date', displayName: 'Date', type: 'dateTime', description: 'Day of the timesheet' }],
});
