import { searchFilter, sortFilters } from '../shared/commonFields';
import { crudResource } from '../shared/crud';
import { checkUrlId } from '../shared/hooks';
import { reportRows, sqlReportBody } from '../shared/reports';
import type { ResourceSpec } from '../shared/specs';
import type { INodeProperties } from 'n8n-workflow';

const spec: ResourceSpec = {
	value: 'report',
	label: 'Report',
	plural: 'Reports',
	path: '/Report',
	// pyhalopsa, HaloAPI-PS read `reports`; a bare array is read too (unverified which Halo sends)
	listKey: 'reports',
	paged: true,
	area: 'reporting',
};

const reportOutput: INodeProperties = {
	displayName: 'Output',
	name: 'reportOutput',
	type: 'options',
	options: [
		{
			name: 'All Rows in One Item',
			value: 'whole',
			description: 'One item with rows, columns and row_count (e.g. to attach a whole table to a message)',
		},
		{ name: 'Each Row as an Item', value: 'rows', description: 'One output item per row, columns as keys' },
	],
	default: 'rows',
};

/**
 * Halo's reporting engine: thousands of rows in one request, and the only way to filter on some
 * fields. Needs read:reporting (some tenants ask for edit:reporting to run SQL).
 */
export const report = crudResource({
	spec,
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['get', 'getAll'],
	defaultOperation: 'runSql',
	filters: [
		searchFilter('report names'),
		{ key: 'reportgroup_id', displayName: 'Report Group ID', type: 'number' },
		...sortFilters('name'),
	],
	extraOperations: [
		{
			needsId: true,
			option: {
				name: 'Run',
				value: 'run',
				action: 'Run a saved report',
				description: 'Run a saved report (loadreport=true) and output its rows (GET /Report/{ID})',
				routing: {
					request: { method: 'GET', url: spec.path, qs: { loadreport: true } },
					send: { paginate: true, preSend: [checkUrlId(spec)] },
					output: { postReceive: [reportRows] },
				},
			},
			properties: [reportOutput],
		},
		{
			option: {
				name: 'Run SQL',
				value: 'runSql',
				action: 'Run an SQL query',
				description: "Run a SELECT on Halo's reporting database and output its rows (POST /Report)",
				routing: {
					request: { method: 'POST', url: spec.path },
					send: { paginate: true, preSend: [sqlReportBody] },
					output: { postReceive: [reportRows] },
				},
			},
			properties: [
				{
					displayName: 'SQL',
					name: 'sql',
					type: 'string',
					typeOptions: { editor: 'sqlEditor', sqlDialect: 'MSSQL' },
					noDataExpression: true,
					required: true,
					default: '',
					placeholder: 'SELECT TOP 10 Faultid, Symptom FROM FAULTS WHERE Areaint = @client',
					description:
						'One SELECT statement. Values from items go in Query Parameters (@name), never into the SQL text.',
				},
				{
					displayName: 'Query Parameters',
					name: 'queryParameters',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Parameter',
					default: {},
					description: 'Each @name in the SQL is replaced by its value, as a number or a quoted text',
					options: [
						{
							displayName: 'Parameter',
							name: 'parameter',
							values: [
								{
									displayName: 'Name',
									name: 'name',
									type: 'string',
									default: '',
									placeholder: 'e.g. client',
									description: 'Name used in the SQL after @',
								},
								{
									displayName: 'Value',
									name: 'value',
									type: 'string',
									default: '',
									description: 'Value to use, usually an expression that reads it from the item',
								},
							],
						},
					],
				},
				reportOutput,
			],
		},
	],
});
