// Measured child: the core uploader in-process (ticket + streamed PostObject + MD5/SHA-256 unless BENCH_HASH=0).
// Bundled by the bench (build.ts), so the process holds what the CLI would, without a TypeScript loader.
import { benchClient } from './benchClient';
import { uploadFirmware } from '../../src/core/uploader';

async function main(): Promise<void> {
	const [file] = process.argv.slice(2);
	const client = benchClient();
	// One untimed ticket first: the API client is then as warm as the bench's own, which fetches curl's tickets.
	// (The cold first call costs ~25 ms here; the CLI figures include it.)
	await client.generateOtaUploadUrl('bin');
	let uploadStarted: bigint | undefined;
	const started = process.hrtime.bigint();
	const result = await uploadFirmware(client, file, {
		hash: process.env.BENCH_HASH !== '0',
		onProgress: (p) => {
			if (p.phase === 'uploading' && uploadStarted === undefined) {
				uploadStarted = process.hrtime.bigint();
			}
		},
	});
	const ended = process.hrtime.bigint();
	const ms = Number(ended - started) / 1e6;
	// Pre-flight check + ticket, and the PostObject alone (body, hashes, answer).
	const ticketMs = Number((uploadStarted ?? started) - started) / 1e6;
	process.stdout.write(`${JSON.stringify({ ms, ticketMs, size: result.size, md5: result.md5, sha256: result.sha256 })}\n`);
}

main().then(
	// Keep-alive sockets of the API client must not hold the process open (the CLI exits the same way).
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
