/**
 * Files and SQL helpers: the file name of a download, and item data reaching SQL only as literals.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { binaryPropertyNames, fileNameFromDisposition } from '../../nodes/HaloPsa/shared/files';
import { bindSqlParameters, sqlLiteral, SqlValueError } from '../../nodes/HaloPsa/shared/reports';

const ctx = { getNode: () => ({ name: 'HaloPSA' }), getItemIndex: () => 0 } as unknown as IExecuteSingleFunctions;

test('Content-Disposition: filename* (UTF-8) wins over filename; either alone works', () => {
	expect(fileNameFromDisposition(`attachment; filename="na_ve.txt"; filename*=UTF-8''na%C3%AFve.txt`)).toBe(
		'naïve.txt',
	);
	expect(fileNameFromDisposition('attachment; filename="report 1.pdf"')).toBe('report 1.pdf');
	expect(fileNameFromDisposition('attachment; filename=plain.csv')).toBe('plain.csv');
	expect(fileNameFromDisposition(undefined)).toBeUndefined();
});

test('binary property names: comma-separated, blanks dropped', () => {
	expect(binaryPropertyNames(' data, attachment_0 ,,')).toEqual(['data', 'attachment_0']);
	expect(binaryPropertyNames('')).toEqual([]);
});

test("SQL literals: finite numbers as they are, every text as N'...' with quotes doubled, nothing else", () => {
	expect(sqlLiteral(42)).toBe('42');
	expect(sqlLiteral(-1.5)).toBe('-1.5');
	expect(sqlLiteral('42')).toBe("N'42'");
	expect(sqlLiteral('0123')).toBe("N'0123'");
	expect(sqlLiteral("O'Brien")).toBe("N'O''Brien'");
	expect(sqlLiteral('1; DROP TABLE FAULTS --')).toBe("N'1; DROP TABLE FAULTS --'");
	expect(sqlLiteral(null)).toBe('NULL');
	expect(sqlLiteral(true)).toBe('1');
	for (const bad of [NaN, Infinity, -Infinity, Number('1e400'), { a: 1 }, [1, 2]])
		expect(() => sqlLiteral(bad)).toThrow(SqlValueError);
});

test('@parameters are bound by name (any case); other @names and @@names are left alone; an unused parameter is an error', () => {
	const sql =
		"SELECT Faultid FROM FAULTS WHERE Areaint = @Client AND Symptom <> 'a@team.example' AND Sectio_ = @team AND @@ROWCOUNT > 0";
	expect(
		bindSqlParameters(ctx, sql, [
			{ name: 'client', value: "3' OR 1=1 --" },
			{ name: '@team', value: 2 },
		]),
	).toBe(
		"SELECT Faultid FROM FAULTS WHERE Areaint = N'3'' OR 1=1 --' AND Symptom <> 'a@team.example' AND Sectio_ = 2 AND @@ROWCOUNT > 0",
	);
	expect(() => bindSqlParameters(ctx, 'SELECT 1 WHERE @@ROWCOUNT > 0', [{ name: 'rowcount', value: 1 }])).toThrow(
		'Query Parameter "rowcount" is not used in the SQL',
	);
	expect(() => bindSqlParameters(ctx, 'SELECT 1', [{ name: 'client', value: 1 }])).toThrow(
		'Query Parameter "client" is not used in the SQL',
	);
});

test('a parameter inside a quoted text, a quoted name or a comment is refused with the fix; bad names and values too', () => {
	const bind =
		(sql: string, value: unknown = 'x', name = 'subject') =>
		() =>
			bindSqlParameters(ctx, sql, [{ name, value }]);
	expect(bind("SELECT * FROM FAULTS WHERE Symptom = 'Re: @subject'")).toThrow(
		'Query Parameter "@subject" is inside a quoted text in the SQL',
	);
	let refused: { description?: string } | undefined;
	try {
		bind("SELECT * FROM FAULTS WHERE Symptom LIKE '%@subject%'")();
	} catch (error) {
		refused = error as { description?: string };
	}
	expect(refused?.description).toContain("write LIKE N'%' + @subject + N'%'");
	expect(bind("SELECT * FROM FAULTS WHERE Symptom = 'it''s @subject'")).toThrow('inside a quoted text');
	expect(bind('SELECT [@subject] FROM FAULTS')).toThrow('inside a quoted name');
	expect(bind('SELECT * FROM FAULTS -- where @subject\nWHERE 1 = 1')).toThrow('inside a comment');
	expect(bind('SELECT * FROM FAULTS /* @subject */ WHERE 1 = 1')).toThrow('inside a comment');
	// after a quoted text, a doubled quote, a comment and a bracket name, the statement goes on
	expect(bind("SELECT [a]]b], 'it''s' FROM FAULTS /* c */ WHERE Symptom = @subject -- end", "Re: it's")()).toBe(
		"SELECT [a]]b], 'it''s' FROM FAULTS /* c */ WHERE Symptom = N'Re: it''s' -- end",
	);
	expect(bind('SELECT @subject', 1, 'a(b')).toThrow('Query Parameter name "a(b" is not a name SQL can use');
	expect(bind('SELECT @subject', { a: 1 })).toThrow(
		'Query Parameter "subject" cannot go into the SQL: it is an object',
	);
	expect(bind('SELECT @subject', NaN)).toThrow('NaN is not a number SQL can take');
});
