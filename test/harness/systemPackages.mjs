// The system packages the code-server route needs (a browser; compilers and Kerberos headers while native modules
// still need building): found where installed, installed with apt-get when running as root on Debian/Ubuntu, and
// otherwise named with the exact command (platform.mjs installPlan).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findChromium, installPlan, parseOsRelease } from './platform.mjs';
import { fail, log, runLogged } from './setupSteps.mjs';

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function commandExists(name) {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function osRelease() {
	try {
		return parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
	} catch {
		return {};
	}
}

/** The browser the UI and mocha sessions drive (platform.mjs findChromium), or undefined. */
export function installedChromium() {
	return findChromium({ platform: process.platform, env: process.env, exists: existsSync });
}

/** What the code-server route lacks: a browser, and, while native modules still need compiling, the build tools. */
function missingNeeds({ needBuildTools }) {
	const missing = installedChromium() ? [] : ['chromium'];
	if (needBuildTools) {
		// code-server's native modules are compiled with node-gyp; kerberos needs the krb5 (GSSAPI) headers.
		if (!commandExists('krb5-config') && !existsSync('/usr/include/gssapi/gssapi.h')) {
			missing.push('krb5');
		}
		for (const tool of ['c++', 'make', 'python3']) {
			if (!commandExists(tool)) {
				missing.push(tool);
			}
		}
	}
	return missing;
}

/** Installs missing system packages (as root on Debian/Ubuntu), or ends the setup with the exact command to run. */
export async function ensureSystemPackages({ needBuildTools }) {
	const missing = missingNeeds({ needBuildTools });
	if (missing.length === 0) {
		return;
	}
	const plan = installPlan({ missing, osRelease: osRelease(), isRoot: isRoot() });
	if (!isRoot() || plan.manager !== 'apt') {
		const how = plan.command
			? `Install them with:\n  ${plan.command}`
			: `Install them with your package manager (a Chromium or Chrome, the Kerberos/GSSAPI development headers, a C++ compiler, make, python3).`;
		fail(
			'checking system packages',
			`Missing: ${plan.packages.join(', ')} (needed by the VS Code server route).\n${how}\n` +
				'A Chromium or Chrome elsewhere can be named with IOT_OTA_CHROMIUM=/path/to/browser. Or run the same suite in ' +
				'desktop VS Code instead (downloads it; needs a display, e.g. xvfb-run -a): IOT_OTA_VSCODE_ROUTE=electron npm test',
		);
	}
	log(`installing ${plan.packages.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runLogged('running apt-get update', 'apt-get', ['update'], { env });
	await runLogged(
		`installing ${plan.packages.join(' ')} with apt-get`,
		'apt-get',
		['install', '-y', '--no-install-recommends', ...plan.packages],
		{
			env,
		},
	);
	if (!installedChromium()) {
		fail('installing chromium', 'apt-get finished but no Chromium binary was found.');
	}
}

/**
 * What the unit tier's reader tests need besides Node (test/unit/config/readers.ts): a C++ compiler (headers through the
 * preprocessor), python3 ≥ 3.11 (tomllib, configparser), a Java runtime (java.util.Properties), and PyYAML where it can
 * be installed (else the yaml package's 1.1 mode stands in). As root on Debian/Ubuntu they are installed; otherwise the
 * result names the exact command. Resolves with undefined when nothing required is missing, else with that message.
 */
export async function ensureUnitTierPackages() {
	const pythonHas = (module) =>
		['python3', '/usr/bin/python3'].some((python) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
	const required = [
		...(commandExists('c++') ? [] : ['c++']),
		...(pythonHas('tomllib') ? [] : ['python3']),
		...(commandExists('java') ? [] : ['java']),
	];
	const optional = pythonHas('yaml') ? [] : ['pyyaml'];
	const missing = [...required, ...optional];
	if (missing.length === 0) {
		return undefined;
	}
	const plan = installPlan({ missing, osRelease: osRelease(), isRoot: isRoot() });
	if (isRoot() && plan.manager === 'apt') {
		log(`unit tier: installing ${plan.packages.join(', ')} with apt-get`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const run = (args) => spawnSync('apt-get', args, { env, stdio: 'inherit' }).status === 0;
		if (run(['update']) && run(['install', '-y', '--no-install-recommends', ...plan.packages])) {
			return undefined;
		}
	}
	if (required.length === 0) {
		log(
			`unit tier: PyYAML is not installed; YAML 1.1 is read with the yaml package's 1.1 mode instead (${plan.command ?? 'install PyYAML'})`,
		);
		return undefined;
	}
	const how = plan.command ? `Install them with:\n  ${plan.command}` : 'Install them with your package manager.';
	return `The unit tier needs ${plan.packages.join(', ')} (independent readers of the config files the engine writes: a C++ compiler, python3 ≥ 3.11, a Java runtime).\n${how}`;
}
