// Measured child: the core uploader in-process (ticket + streamed PostObject + MD5/SHA-256 unless BENCH_HASH=0).
// Bundled by the bench (build.ts), so the process holds what the CLI would, without a TypeScript loader.
// BENCH_WARM=1 uploads the file once, untimed, before the timed upload (a process that has uploaded before).
// BENCH_LOOP=1 also samples this process's event-loop delay during the upload (what an extension host would feel):
// a 1 ms timer, each sample the time between two of its callbacks (so an idle loop reads ~1.1 ms).
import { benchClient } from './benchClient';
import { uploadFirmware } from '../../src/core/uploader';

async function main(): Promise<void> {
	const [file] = process.argv.slice(2);
	const client = benchClient();
	// One untimed ticket first: the API client is then as warm as the bench's own, which fetches curl's tickets.
	// (The cold first call costs ~25 ms here; the CLI figures include it.)
	await client.generateOtaUploadUrl('bin');
	// Loaded before the clock, as in both shells: the CLI's bundle loads it at start (upload's argument checks import
	// it), VS Code's extension host has it. Otherwise the ~1.2 ms Node takes to load it would count as the upload's.
	await import('node:fs/promises');
	if (process.env.BENCH_WARM === '1') {
		// The extension host's case after its first upload: the upload path is compiled and its modules are loaded.
		await uploadFirmware(client, file, { hash: process.env.BENCH_HASH !== '0' });
	}
	// perf_hooks only when asked: the CLI does not load it, so neither may the process whose first upload is timed.
	const loop = process.env.BENCH_LOOP === '1' ? (await import('node:perf_hooks')).monitorEventLoopDelay({ resolution: 1 }) : undefined;
	loop?.enable();
	const now = () => process.hrtime.bigint();
	let uploadStarted: bigint | undefined;
	let lastByte: bigint | undefined;
	const started = now();
	const result = await uploadFirmware(client, file, {
		hash: process.env.BENCH_HASH !== '0',
		onProgress: (p) => {
			if (p.phase === 'uploading' && p.bytesSent === 0) {
				uploadStarted = now();
			} else if (p.phase === 'uploading' && p.bytesSent === p.totalBytes) {
				lastByte = now();
			}
		},
	});
	const ended = now();
	loop?.disable();
	const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
	const figures = {
		ms: ms(started, ended),
		// Pre-flight check + ticket; the body up to its last byte accepted by the socket; the rest (answer, digests).
		ticketMs: ms(started, uploadStarted ?? started),
		uploadMs: ms(uploadStarted ?? started, lastByte ?? ended),
		afterMs: ms(lastByte ?? ended, ended),
		size: result.size,
		md5: result.md5,
		sha256: result.sha256,
		...(loop ? { loop: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6, meanMs: loop.mean / 1e6 } } : {}),
	};
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().then(
	// Keep-alive sockets of the API client must not hold the process open (the CLI exits the same way).
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
