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

/** A Query Parameter's name, as SQL Server names a variable (without the @). */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a value cannot be written into the SQL (the caller names the parameter). */
export class SqlValueError extends Error {}

/**
 * A value as a T-SQL literal: a finite number as it is, true/false as 1/0, null as NULL, and any
 * text (digits too: "0123" is a text, not 123) as N'...' with its quotes doubled. Objects,
 * arrays, NaN and Infinity have no literal: refused.
 */
export function sqlLiteral(value: unknown): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'boolean') return value ? '1' : '0';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new SqlValueError(`${String(value)} is not a number SQL can take`);
		return String(value);
	}
	if (typeof value === 'bigint') return String(value);
	if (typeof value !== 'string') {
		throw new SqlValueError(`it is ${Array.isArray(value) ? 'a list' : 'an object'}, not a text or a number`);
	}
	return `N'${value.replace(/'/g, "''")}'`;
}

/** Where a piece of SQL text is: in the statement itself, or inside something an @name must not be in. */
type SqlPlace = 'statement' | 'a quoted text' | 'a quoted name' | 'a comment';

/** `@name` placeholders of a SQL text, with the place each stands in (`@@name` is SQL Server's own, skipped). */
export function sqlPlaceholders(sql: string): Array<{ name: string; start: number; end: number; place: SqlPlace }> {
	const found: Array<{ name: string; start: number; end: number; place: SqlPlace }> = [];
	let place: SqlPlace = 'statement';
	let close = '';
	for (let i = 0; i < sql.length; i++) {
		const rest = sql.slice(i);
		if (place === 'statement') {
			if (sql[i] === "'") [place, close] = ['a quoted text', "'"];
			else if (sql[i] === '"') [place, close] = ['a quoted name', '"'];
			else if (sql[i] === '[') [place, close] = ['a quoted name', ']'];
			else if (rest.startsWith('--')) [place, close] = ['a comment', '\n'];
			else if (rest.startsWith('/*')) [place, close] = ['a comment', '*/'];
			if (place !== 'statement') {
				i += close === '*/' ? 1 : 0;
				continue;
			}
		} else if (rest.startsWith(close)) {
			// a doubled quote ('' or ]] or "") stays inside
			if (close.length === 1 && close !== '\n' && sql[i + 1] === close) i++;
			else {
				i += close.length - 1;
				place = 'statement';
			}
			continue;
		}
		if (sql[i] !== '@') continue;
		if (sql[i + 1] === '@') {
			i = i + 1 + (/^@[A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0].length ?? 1) - 1;
			continue;
		}
		const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0];
		if (!name || (i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]))) continue;
		found.push({ name, start: i, end: i + 1 + name.length, place });
		i += name.length;
	}
	return found;
}

/**
 * The SQL with each `@name` replaced by its Query Parameter as a literal. The SQL text itself
 * cannot take expressions, so item data only ever reaches Halo through a parameter, as a literal
 * of its own: a parameter written inside a quoted text, a quoted name or a comment is refused
 * (its quotes would close the author's), and so is a name SQL Server would not take.
 */
export function bindSqlParameters(
	ctx: IExecuteSingleFunctions,
	sql: string,
	parameters: Array<{ name?: string; value?: unknown }>,
): string {
	const refuse = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex: ctx.getItemIndex(), description });
	const values = new Map<string, unknown>();
	for (const parameter of parameters) {
		const name = String(parameter.name ?? '').replace(/^@/, '');
		if (!PARAMETER_NAME.test(name)) {
			throw refuse(
				`Query Parameter name "${name}" is not a name SQL can use`,
				'A name is letters, digits and _ and does not start with a digit, e.g. client_id; write it in the SQL as @client_id.',
			);
		}
		values.set(name.toLowerCase(), parameter.value);
	}
	let bound = '';
	let from = 0;
	const used = new Set<string>();
	for (const placeholder of sqlPlaceholders(sql)) {
		const key = placeholder.name.toLowerCase();
		// names that are not Query Parameters (an address in a quoted text, a T-SQL variable) stay as they are
		if (!values.has(key)) continue;
		if (placeholder.place !== 'statement') {
			throw refuse(
				`Query Parameter "@${placeholder.name}" is inside ${placeholder.place} in the SQL`,
				placeholder.place === 'a quoted text'
					? `The node writes the value as a quoted text of its own, so it cannot go inside another. Join the texts instead: for LIKE '%@${placeholder.name}%' write LIKE N'%' + @${placeholder.name} + N'%'; for 'Re: @${placeholder.name}' write N'Re: ' + @${placeholder.name}.`
					: `Write @${placeholder.name} in the statement itself, outside ${placeholder.place}.`,
			);
		}
		let literal: string;
		try {
			literal = sqlLiteral(values.get(key));
		} catch (error) {
			throw refuse(
				`Query Parameter "${placeholder.name}" cannot go into the SQL: ${(error as Error).message}`,
				'Give it a text or a number (for a list, write one parameter per value, or join the values into a text in the expression).',
			);
		}
		used.add(key);
		bound += sql.slice(from, placeholder.start) + literal;
		from = placeholder.end;
	}
	bound += sql.slice(from);
	const unused = [...values.keys()].find((name) => !used.has(name));
	if (unused !== undefined) {
		throw refuse(
			`Query Parameter "${unused}" is not used in the SQL`,
			`Write @${unused} in the SQL where its value goes, or remove the parameter.`,
		);
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
