import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

/**
 * Halo's reporting engine: Run SQL (POST /Report with `[{_loadreportonly: true, sql}]`) and Run a
 * saved report (GET /Report/{id}?loadreport=true). Both answer the report with its rows under
 * `report.rows` and the columns in `available_columns` (HaloAPI-PS Invoke-HaloSQL and
 * Get-HaloReport -LoadReport read them there); a report Halo could not run says why in
 * `report.load_error`. Whether the answer is an object or a one-element array is unverified: both
 * are read. Top-level `rows` (one MCP server's reading) is read as a fallback.
 */

const PLACEHOLDER = /@([A-Za-z_][A-Za-z0-9_]*)/g;

/** A value as a T-SQL literal: numbers as they are, anything else quoted with quotes doubled. */
export function sqlLiteral(value: unknown): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'boolean') return value ? '1' : '0';
	const text = String(value);
	if (typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(text)) return text;
	return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The SQL with each `@name` replaced by its Query Parameter as a literal. The SQL text itself
 * cannot take expressions, so item data only ever reaches Halo through a parameter, quoted.
 */
export function bindSqlParameters(
	ctx: IExecuteSingleFunctions,
	sql: string,
	parameters: Array<{ name?: string; value?: unknown }>,
): string {
	const values = new Map(
		parameters.map((p) => [
			String(p.name ?? '')
				.replace(/^@/, '')
				.toLowerCase(),
			p.value,
		]),
	);
	// names that are not Query Parameters (@@ROWCOUNT, an address in a quoted string) are left alone
	const bound = sql.replace(PLACEHOLDER, (whole, name: string) =>
		values.has(name.toLowerCase()) ? sqlLiteral(values.get(name.toLowerCase())) : whole,
	);
	const unusedDeclared = [...values.keys()].filter((name) => name && !new RegExp(`@${name}\\b`, 'i').test(sql));
	if (unusedDeclared.length) {
		throw new NodeOperationError(ctx.getNode(), `Query Parameter "${unusedDeclared[0]}" is not used in the SQL`, {
			itemIndex: ctx.getItemIndex(),
			description: `Write @${unusedDeclared[0]} in the SQL where its value goes, or remove the parameter.`,
		});
	}
	return bound;
}

/** preSend of Run SQL: Halo's body for an ad-hoc query. */
export async function sqlReportBody(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const sql = String(this.getNodeParameter('sql', '') ?? '').trim();
	if (!sql) {
		throw new NodeOperationError(this.getNode(), 'SQL is empty', {
			itemIndex: this.getItemIndex(),
			description: 'Write a SELECT statement, e.g. SELECT TOP 10 Faultid, Symptom FROM FAULTS',
		});
	}
	const parameters = (this.getNodeParameter('queryParameters.parameter', []) ?? []) as Array<{
		name?: string;
		value?: unknown;
	}>;
	options.body = [{ _loadreportonly: true, sql: bindSqlParameters(this, sql, parameters) }];
	return options;
}

/** A report run's answer (an object or a one-element array): its rows, or why Halo could not run it. */
export function readReport(body: unknown): { answer?: IDataObject; rows?: IDataObject[]; loadError?: string } {
	const answer = (Array.isArray(body) ? body[0] : body) as IDataObject | undefined;
	const report = (answer?.report ?? undefined) as IDataObject | undefined;
	const loadError = typeof report?.load_error === 'string' ? report.load_error.trim() : '';
	const rows = Array.isArray(report?.rows) ? report?.rows : Array.isArray(answer?.rows) ? answer?.rows : undefined;
	return { answer, rows: rows as IDataObject[] | undefined, loadError: loadError || undefined };
}

/** postReceive of Run SQL and Run Saved Report: the report's rows as items, or as one item. */
export async function reportRows(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const { answer, rows, loadError } = readReport(response.body);
	if (loadError) {
		throw new NodeOperationError(this.getNode(), `Halo could not run the report: ${loadError}`, {
			itemIndex: this.getItemIndex(),
			description:
				"Check the SQL in Halo's report designer (Reporting > New Report > Query): it must be one SELECT statement, without DECLARE, comments or a trailing semicolon.",
		});
	}
	if (!rows) {
		throw new NodeOperationError(this.getNode(), 'HaloPSA answered without the report rows', {
			itemIndex: this.getItemIndex(),
			description:
				'The answer had no report.rows. A saved report must be a table report (not only a chart); an API application needs the read:reporting permission (some tenants ask for edit:reporting to run SQL).',
		});
	}
	const output = this.getNodeParameter('reportOutput', 'rows') as string;
	if (output !== 'whole') return rows.map((json) => ({ json: { ...json } }));
	const columns = ((answer?.available_columns ?? answer?.columns ?? []) as unknown[]).map((column) =>
		column && typeof column === 'object' ? String((column as IDataObject).name ?? '') : String(column),
	);
	return [
		{
			json: {
				...(answer?.id ? { id: answer.id, name: answer.name } : {}),
				columns,
				row_count: rows.length,
				rows,
			},
		},
	];
}
