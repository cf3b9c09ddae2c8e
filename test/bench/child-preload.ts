// Measured child of uploadPreload.ts, bundled like the extension (esbuild.js extensionBuilds: pop-core's RPC client and
// form-data stay in vendor/*.js beside it, loaded on first use). It holds what the extension host holds at activation:
// our code parsed, no vendor file loaded, the Node built-ins loaded. Then an idle wait (the user in the upload's pickers),
// then the timed first upload of the session: the API client made (pop-core loaded on first use) + uploadFirmware().
// BENCH_PRELOAD=1 loads the upload path's vendor files on an idle turn of that wait, as the upload commands do
// (src/core/uploadPreload.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { benchClient } from './benchClient';
import { uploadFirmware } from '../../src/core/uploader';
import { uploadPathPreloader } from '../../src/core/uploadPreload';
import { formData, popRpcClient } from '../../src/core/vendor';

/** The built-ins the vendor files require: VS Code's extension host has them loaded before any upload. */
function loadBuiltins(): void {
	const dir = path.join(__dirname, 'vendor');
	const names = new Set<string>();
	for (const file of readdirSync(dir)) {
		for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)) {
			const name = match[1].replace(/^node:/, '');
			if (builtinModules.includes(name)) {
				names.add(name);
			}
		}
	}
	for (const name of names) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a built-in named at run time
		require(name);
	}
}

async function main(): Promise<void> {
	const [file, idleMs] = [process.argv[2], Number(process.argv[3] ?? 50)];
	loadBuiltins();
	await import('node:fs/promises');
	const now = () => process.hrtime.bigint();
	const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
	const load: { popRpcMs?: number; formDataMs?: number } = {};
	if (process.env.BENCH_PRELOAD === '1') {
		// The extension's preloader, with loadUploadPath's two loads timed one by one.
		uploadPathPreloader(() => {
			const t0 = now();
			popRpcClient();
			const t1 = now();
			formData();
			load.popRpcMs = ms(t0, t1);
			load.formDataMs = ms(t1, now());
		})();
	}
	await new Promise((resolve) => setTimeout(resolve, idleMs));
	const cpuBefore = process.cpuUsage();
	const started = now();
	const client = benchClient();
	const result = await uploadFirmware(client, file, { hash: true });
	const ended = now();
	const cpu = process.cpuUsage(cpuBefore);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	process.stdout.write(`${JSON.stringify({ ms: ms(started, ended), cpuMs, size: result.size, md5: result.md5, ...load })}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exit(1);
	},
);
