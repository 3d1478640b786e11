/**
 * `npm run emulator`: starts the HaloPSA emulator on its own.
 * Flags: --port N (or HALO_EMULATOR_PORT), --tenant T, --rate-limit MAX/SECONDS | off,
 * --rate-limit-wording true|wrong|none (how a 429 is worded: see quirks.ts), --tickets N,
 * --token-lifetime SECONDS, --seed demo|empty, --print-secret.
 */
import { DEFAULT_CLIENT, startEmulator } from './index';
import { RATE_LIMIT_WORDINGS, type RateLimitWording } from './quirks';

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
	const rate = flag('rate-limit');
	const [max, seconds] = (rate ?? '300/300').split('/').map(Number);
	const wording = (flag('rate-limit-wording') ?? 'true') as RateLimitWording;
	if (!RATE_LIMIT_WORDINGS.includes(wording))
		throw new Error(`--rate-limit-wording must be one of ${RATE_LIMIT_WORDINGS.join(', ')}`);
	const emulator = await startEmulator({
		port: Number(flag('port') ?? process.env.HALO_EMULATOR_PORT ?? 5680),
		tenant: flag('tenant') ?? null,
		rateLimit: rate === 'off' ? null : { max, windowMs: seconds * 1000 },
		rateLimitWording: wording,
		extraTickets: Number(flag('tickets') ?? 0),
		tokenLifetimeSeconds: Number(flag('token-lifetime') ?? 3600),
		seed: flag('seed') === 'empty' ? 'empty' : 'demo',
	});
	const tenant = flag('tenant');
	console.log(
		`HaloPSA emulator listening on ${emulator.url} (client id ${DEFAULT_CLIENT.clientId}${tenant ? `, tenant ${tenant}` : ''})`,
	);
	if (process.argv.includes('--print-secret')) console.log(`client secret: ${DEFAULT_CLIENT.clientSecret}`);
	const stop = () => void emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
