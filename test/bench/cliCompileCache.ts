// One-off comparison for docs/performance.md (not part of `npm run bench`): `iot-ota` spawn to exit with Node's module
// compile cache (what the executable turns on, src/cli/compileCache.ts) against NODE_DISABLE_COMPILE_CACHE=1, in
// alternating rounds, for an upload of 1 MB to the sandbox and for `--help`. The API exists from Node 22.8: pass that
// Node (on older Node both variants run the same code and the figures only show the noise).
//   node --import tsx test/bench/cliCompileCache.ts [--node /path/to/node22] [--rounds 21]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliEnv } from './benchClient';
import { buildBundles } from './build';
import { ensureTestFile } from './files';
import { measure, type Measurement } from './measure';
import { clearObjects, startSandboxProcess } from './sandboxProcess';
import { median, round, table } from './stats';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { node: { type: 'string', default: process.execPath }, rounds: { type: 'string', default: '21' } },
	});
	const node = values.node!;
	const rounds = Number(values.rounds);
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-compile-cache-'));
	const load = loadavg()[0].toFixed(2);
	const bundles = await buildBundles(path.join(scratch, 'dist'));
	const sandbox = await startSandboxProcess(bundles.cli, path.join(scratch, 'sandbox'));
	try {
		const file = await ensureTestFile(path.join(process.cwd(), '.bench-cache'), 1);
		const env = { ...cliEnv(sandbox.info), XDG_CACHE_HOME: path.join(scratch, 'cache') };
		delete process.env.NODE_COMPILE_CACHE;
		delete process.env.NODE_DISABLE_COMPILE_CACHE;
		const commands = { upload: ['upload', file, '--endpoint', sandbox.info.endpoint, '--json'], help: ['--help'] };
		const run = (args: string[], cache: boolean) =>
			measure(node, [bundles.cli, ...args], cache ? env : { ...env, NODE_DISABLE_COMPILE_CACHE: '1' });
		const rows: Array<Array<string | number>> = [];
		for (const [name, args] of Object.entries(commands)) {
			await run(args, true); // fills the cache
			const runs = { on: [] as Measurement[], off: [] as Measurement[] };
			for (let i = 0; i < rounds; i++) {
				runs.off.push(await run(args, false));
				runs.on.push(await run(args, true));
				clearObjects(sandbox.info.dataDir);
			}
			const [off, on] = [median(runs.off.map((m) => m.wallMs)), median(runs.on.map((m) => m.wallMs))];
			rows.push([name, round(off, 1), round(on, 1), round(((on - off) / off) * 100, 1)]);
		}
		const { version } = JSON.parse((await measure(node, ['-p', 'JSON.stringify({ version: process.version })'])).stdout) as {
			version: string;
		};
		process.stdout.write(`${table(['spawn to exit', 'no cache ms', 'cache ms', 'change %'], rows)}\n`);
		process.stdout.write(
			`Node ${version}, medians of ${rounds} alternating rounds; load average ${load} at start, ${loadavg()[0].toFixed(2)} at end\n`,
		);
	} finally {
		await sandbox.stop();
		rmSync(scratch, { recursive: true, force: true });
	}
}

void main();
