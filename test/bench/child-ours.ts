// Measured child: the core uploader in-process (ticket + streamed PostObject + MD5/SHA-256 unless BENCH_HASH=0).
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
	process.stdout.write(`${JSON.stringify({ ms, size: result.size, md5: result.md5 })}\n`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
