/**
 * Halo's behaviours that clients trip over, kept in one place (shared/halo-api/README.md).
 */
/** Halo silently caps page_size at 100 (HaloAPI#90: page_size=1000 gave 100 of 717 rows). */
export const DEFAULT_PAGE_CAP = 100;
/** page_size when pageinate=true and no page_size is given */
export const DEFAULT_PAGE_SIZE = 50;
/** Halo's own 429 text (PowerShellWarrantyReports#51), with the configured numbers */
export const rateLimitText = (max: number, windowMs: number) =>
	`Rate Limit Reached - ${max} Requests per rolling ${
		windowMs % 60_000 === 0 ? `${windowMs / 60_000} minute` : `${windowMs / 1000} second`
	} window`;
/**
 * How a 429 is worded: `true` states the limit kept; `wrong` always states Halo's documented
 * 300 per 5 minutes, whatever is kept; `none` is the HTML page a proxy or WAF sends instead.
 */
export type RateLimitWording = 'true' | 'wrong' | 'none';
export const RATE_LIMIT_WORDINGS: RateLimitWording[] = ['true', 'wrong', 'none'];
/** The body and headers of a 429, worded as `wording` says, for a limit of `max` per `windowMs`. */
export const rateLimitAnswer = (
	wording: RateLimitWording,
	max: number,
	windowMs: number,
): { body: unknown; headers?: Record<string, string> } => {
	if (wording === 'none')
		return { body: '<html><body>429 Too Many Requests</body></html>', headers: { 'Content-Type': 'text/html' } };
	return { body: { error: wording === 'wrong' ? rateLimitText(300, 300_000) : rateLimitText(max, windowMs) } };
};
/** POST of an array creates/updates each element; a bare object is accepted and wrapped (README §9.10). */
export const wrapBody = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);
/** Query booleans arrive as the strings true/false. */
export const isTrue = (value: unknown) => String(value).toLowerCase() === 'true';
/** datesearch names from Halo's spec examples ('dateoccured' is Halo's spelling) to ticket fields. */
export const DATE_FIELDS: Record<string, string> = {
	dateoccured: 'dateoccurred',
	dateoccurred: 'dateoccurred',
	datecleared: 'dateclosed',
	dateclosed: 'dateclosed',
	lastactiondate: 'lastactiondate',
	last_update: 'last_update',
};
/** Resources whose POST answers 201 in the newest spec (README §9.3); others 200. */
export const CREATED_201 = new Set(['tickets', 'actions']);
