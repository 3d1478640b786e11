/**
 * Fields of Halo records that hold another integration's secret. The node never outputs them:
 * a webhook's Basic-auth password (`basic_password`) and the value of its header authentication
 * (`authentication_header`, Webhook schema in Halo's OpenAPI document).
 */
export const HALO_SECRET_FIELDS = ['basic_password', 'authentication_header'];

/**
 * The same paths for n8n's `sensitiveOutputFields` (n8n-workflow 2.x, INodeTypeDescription): n8n
 * redacts them in execution data it shows, as a second guard behind `withoutSecretFields`.
 */
export const HALO_SENSITIVE_OUTPUT_FIELDS = [...HALO_SECRET_FIELDS];

/**
 * A copy of a JSON value without the secret fields, at any depth (a list envelope, a record with
 * its webhooks joined in). Values that are not plain objects or arrays are returned as they are.
 */
export function withoutSecretFields<T>(value: T): T {
	if (Array.isArray(value)) return value.map((entry) => withoutSecretFields(entry) as unknown) as T;
	if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		if (HALO_SECRET_FIELDS.includes(key.toLowerCase())) continue;
		copy[key] = withoutSecretFields(entry);
	}
	return copy as T;
}
