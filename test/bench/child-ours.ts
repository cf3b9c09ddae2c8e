// Measured child: the core uploader in-process (ticket + streamed PostObject + MD5/SHA-256 unless BENCH_HASH=0).
// Bundled by the bench (build.ts), so the process holds what the CLI would, without a TypeScript loader.
import { IotClient } from '../../src/core/iotClient';
import { uploadFirmware } from '../../src/core/uploader';

async function main(): Promise<void> {
	const [file] = process.argv.slice(2);
	const client = new IotClient({
		region: 'cn-shanghai',
		endpoint: process.env.BENCH_ENDPOINT,
		credentials: { accessKeyId: process.env.BENCH_AK_ID ?? '', accessKeySecret: process.env.BENCH_AK_SECRET ?? '' },
	});
	const started = process.hrtime.bigint();
	const result = await uploadFirmware(client, file, { hash: process.env.BENCH_HASH !== '0' });
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	process.stdout.write(`${JSON.stringify({ ms, size: result.size, md5: result.md5, sha256: result.sha256 })}\n`);
}

main().then(
	// Keep-alive sockets of the API client must not hold the process open (the CLI exits the same way).
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
