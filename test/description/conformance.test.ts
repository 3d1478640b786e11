/**
 * Checks on the assembled node description that eslint-plugin-n8n-nodes-base cannot see
 * (fields made by factories), plus package-level conventions.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { HaloPsaApi } from '../../credentials/HaloPsaApi.credentials';
import pkg from '../../package.json';
import { HaloPsa } from '../../nodes/HaloPsa/HaloPsa.node';
import { allProperties, description, operationsOf, visibleFor } from './walk';

const properties = allProperties();

test('node identity: declarative, usable as a tool, credential wired', () => {
	expect(description.name).toBe('haloPsa');
	expect(description.usableAsTool).toBe(true);
	expect(description.requestDefaults?.baseURL).toMatch(/^=\{\{.*\$credentials/);
	expect(typeof description.requestOperations?.pagination).toBe('function');
	expect(description.credentials).toEqual([{ name: new HaloPsaApi().name, required: true }]);
	expect('execute' in (description as object)).toBe(false);
});

test('credential name cannot clash with the built-in or other community HaloPSA credentials', () => {
	const credential = new HaloPsaApi();
	expect(['haloPSAApi', 'haloPsaApi']).not.toContain(credential.name);
	expect(credential.name).toMatch(/^[a-z][A-Za-z]*Api$/);
	expect(credential.displayName).not.toBe('HaloPSA API');
	const expirable = credential.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable);
	expect(expirable.map((p) => p.name)).toEqual(['accessToken']);
});

test('every property has displayName, name, type and default', () => {
	for (const property of properties) {
		expect(property).toEqual(
			expect.objectContaining({ displayName: expect.any(String), name: expect.any(String), type: expect.any(String) }),
		);
		expect(property).toHaveProperty('default');
	}
});

test('options are sorted by name and collection options by display name', () => {
	const unsorted: string[] = [];
	for (const property of [...properties, ...description.properties]) {
		if ((property.type === 'options' || property.type === 'multiOptions') && Array.isArray(property.options)) {
			const names = (property.options as INodePropertyOptions[]).map((o) => o.name);
			if (names.join('|') !== [...names].sort((a, b) => a.localeCompare(b)).join('|')) unsorted.push(property.name);
		}
		if (property.type === 'collection') {
			const names = (property.options as INodeProperties[]).map((o) => o.displayName);
			if (names.join('|') !== [...names].sort((a, b) => a.localeCompare(b)).join('|')) unsorted.push(property.name);
		}
	}
	expect(unsorted).toEqual([]);
});

test('every operation has an action; Get Many actions read "Get many ..."', () => {
	const pairs = operationsOf();
	expect(pairs.length).toBeGreaterThan(35);
	for (const { operation, option } of pairs) {
		expect(option.action).toEqual(expect.any(String));
		if (operation === 'getAll') expect(option.action).toMatch(/^Get many /);
	}
});

test('every operation goes through the runner (send.paginate) and a limit defaults to 50', () => {
	for (const { option } of operationsOf()) expect(option.routing?.send?.paginate).toBe(true);
	for (const limit of properties.filter((p) => p.name === 'limit')) {
		expect(limit.default).toBe(50);
		expect(limit.typeOptions?.minValue).toBe(1);
	}
});

test('display names are Title Case', () => {
	const small = new Set(['a', 'an', 'and', 'or', 'of', 'to', 'in', 'by', 'for', 'from', 'the', 'per']);
	for (const property of properties) {
		for (const word of property.displayName
			.replace(/\(.*?\)/g, '')
			.split(/\s+/)
			.filter(Boolean)) {
			if (small.has(word)) continue;
			expect(`${property.displayName}: ${word[0]}`).toBe(`${property.displayName}: ${word[0].toUpperCase()}`);
		}
	}
});

test('dynamic dropdowns follow n8n wording', () => {
	for (const property of properties.filter((p) => p.typeOptions?.loadOptionsMethod)) {
		expect(property.displayName).toMatch(/ (Name or ID|Names or IDs)$/);
		expect(property.description).toMatch(/^(Action type.*)?Choose from the list, or specify/);
	}
});

test('no two visible top-level parameters share a name for any resource/operation', () => {
	for (const { resource, operation } of operationsOf()) {
		const names = visibleFor(resource, operation).map((p) => p.name);
		expect({ resource, operation, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({
			resource,
			operation,
			duplicates: [],
		});
	}
});

test('package.json: community keyword, n8n block on dist files, no runtime dependencies', () => {
	expect(pkg.name).toBe('n8n-nodes-halopsa');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect((pkg as Record<string, unknown>).dependencies).toBeUndefined();
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/HaloPsaApi.credentials.js']);
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(file).toMatch(/^dist\/.*\.js$/);
	expect(pkg.engines.node).toBe('>=20.15');
});

test('every loadOptionsMethod and searchListMethod named in the description exists on the node', () => {
	const node = new HaloPsa();
	const named = (key: 'loadOptionsMethod' | 'searchListMethod') =>
		[
			...new Set(
				allProperties().flatMap((p) => [
					p.typeOptions?.[key] as string | undefined,
					...(p.modes ?? []).map(
						(mode) => (mode.typeOptions as Record<string, unknown> | undefined)?.[key] as string | undefined,
					),
				]),
			),
		].filter((name): name is string => !!name);
	const loadOptions = named('loadOptionsMethod');
	const searches = named('searchListMethod');
	expect(loadOptions.length).toBeGreaterThan(10);
	expect(searches.length).toBeGreaterThan(5);
	expect(loadOptions.filter((name) => typeof node.methods.loadOptions[name] !== 'function')).toEqual([]);
	expect(searches.filter((name) => typeof node.methods.listSearch[name] !== 'function')).toEqual([]);
});

test('no secret-looking field is a plain string: passwords, secrets, tokens and keys are password fields', () => {
	const secretName = /(password|secret|token|api_?key|private_?key)$/i;
	const plain = allProperties()
		.filter((p) => secretName.test(p.name) && p.type === 'string' && !p.typeOptions?.password)
		.map((p) => p.name);
	expect(plain).toEqual([]);
	expect(allProperties().some((p) => p.name === 'basic_password' && p.typeOptions?.password === true)).toBe(true);
});
