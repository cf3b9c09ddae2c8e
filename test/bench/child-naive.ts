// Measured child: the approach of the seed's Java sample — read the whole file into memory, build the
// multipart body in memory, then POST it. A reference point, not something we ship.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { benchClient } from './benchClient';

async function main(): Promise<void> {
	const [file] = process.argv.slice(2);
	const client = benchClient();
	const started = process.hrtime.bigint();
	const ticket = await client.generateOtaUploadUrl('bin');
	const content = readFileSync(file);
	const boundary = `----naive${Date.now()}`;
	const fields: Array<[string, string]> = [
		['key', ticket.key],
		['OSSAccessKeyId', ticket.ossAccessKeyId],
		['policy', ticket.policy],
		['Signature', ticket.signature],
		['success_action_status', '200'],
	];
	const head = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
	const body = Buffer.concat([
		Buffer.from(
			`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fw.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
		),
		content,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	const status = await new Promise<number>((resolve, reject) => {
		const req = http.request(
			ticket.host,
			{
				method: 'POST',
				headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (status !== 200) {
		throw new Error(`naive upload answered HTTP ${status}`);
	}
	process.stdout.write(`${JSON.stringify({ ms, size: content.length })}\n`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
