/**
 * The Custom API Call's path rule: a path under the Resource Server, never a URL of its own,
 * so the credential's token is only ever sent to Halo.
 */
import { customCallPath } from '../../nodes/HaloPsa/shared/hooks';

test.each([
	['/Tickets', '/Tickets'],
	['Tickets/12', '/Tickets/12'],
	['  /Invoice/PDF/7 ', '/Invoice/PDF/7'],
	['/api/ClientContract/NextRef', '/ClientContract/NextRef'],
	['/API/Client', '/Client'],
	['/Webhook/3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f', '/Webhook/3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f'],
])('%s is sent as %s', (given, sent) => {
	expect(customCallPath(given)).toBe(sent);
});

test.each([
	['', /empty/],
	['https://evil.example/api/Tickets', /full URL/],
	['http://127.0.0.1:9/x', /full URL/],
	['//evil.example/Tickets', /full URL/],
	['javascript:alert(1)', /full URL/],
	['\\\\evil\\share', /full URL/],
	['/Tickets/../../auth/token', /leaves the Resource Server path/],
	['/Tickets/%2e%2e/%2e%2e/auth/token', /leaves the Resource Server path/],
	['/Tickets/%2F..%2Fauth', /leaves the Resource Server path/],
	['/Tickets/./1', /leaves the Resource Server path/],
	['/Tickets?client_id=1', /Query Parameters/],
	['/Tickets#x', /Query Parameters/],
	['/Tickets//1', /empty segment/],
	['/Tickets/%E0%A4%A', /not a valid path segment/],
])('%s is refused', (given, why) => {
	expect(() => customCallPath(given)).toThrow(why);
});
