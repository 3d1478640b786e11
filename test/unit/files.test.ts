/**
 * Files and SQL helpers: the file name of a download, and item data reaching SQL only as literals.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { binaryPropertyNames, fileNameFromDisposition } from '../../nodes/HaloPsa/shared/files';
import { bindSqlParameters, sqlLiteral } from '../../nodes/HaloPsa/shared/reports';

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

test('SQL literals: numbers as they are, text quoted with quotes doubled', () => {
	expect(sqlLiteral(42)).toBe('42');
	expect(sqlLiteral('42')).toBe('42');
	expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
	expect(sqlLiteral('1; DROP TABLE FAULTS --')).toBe("'1; DROP TABLE FAULTS --'");
	expect(sqlLiteral(null)).toBe('NULL');
	expect(sqlLiteral(true)).toBe('1');
});

test('@parameters are bound by name (any case); other @names are left alone; an unused parameter is an error', () => {
	const sql = "SELECT Faultid FROM FAULTS WHERE Areaint = @Client AND Symptom <> '@@x' AND Sectio_ = @team";
	expect(
		bindSqlParameters(ctx, sql, [
			{ name: 'client', value: "3' OR 1=1 --" },
			{ name: '@team', value: 2 },
		]),
	).toBe("SELECT Faultid FROM FAULTS WHERE Areaint = '3'' OR 1=1 --' AND Symptom <> '@@x' AND Sectio_ = 2");
	expect(() => bindSqlParameters(ctx, 'SELECT 1', [{ name: 'client', value: 1 }])).toThrow(
		'Query Parameter "client" is not used in the SQL',
	);
});
