// Where the VS Code tier can run, decided from the platform and what is installed (pure functions, unit-tested in
// test/unit/harness/platform.test.ts; the launchers pass in the real process, environment and file system).
//
// Two routes run the same mocha suite (test/integration) against the extension's test build:
//  - code-server: the VS Code server from the npm package `code-server` under a Node from the npm package
//    node-linux-<arch>, driven in a local Chromium; works offline once set up, and also runs the UI checks. Linux only
//    (x64, arm64): the npm Node builds for other systems stop at old versions, and code-server has no Windows build.
//  - electron: desktop VS Code through @vscode/test-electron (downloaded once, or IOT_OTA_VSCODE_EXECUTABLE); needs
//    the network for the download and a display (on Linux, `xvfb-run -a`); no UI checks (they drive the web workbench).
import path from 'node:path';

export const ROUTES = ['code-server', 'electron'];

/** The npm package with the Node binary for this system, or undefined where the code-server route cannot run. */
export function nodePackageName(platform, arch) {
	return platform === 'linux' && (arch === 'x64' || arch === 'arm64') ? `node-linux-${arch}` : undefined;
}

/**
 * The route for this run: IOT_OTA_VSCODE_ROUTE when set (an unknown value is an error); else code-server on Linux
 * x64/arm64 and electron everywhere else. Returns { route, reason }.
 */
export function chooseRoute({ platform, arch, env }) {
	const forced = env.IOT_OTA_VSCODE_ROUTE?.trim();
	if (forced) {
		if (!ROUTES.includes(forced)) {
			throw new Error(`IOT_OTA_VSCODE_ROUTE=${forced} is not a route; use one of: ${ROUTES.join(', ')}`);
		}
		if (forced === 'code-server' && !nodePackageName(platform, arch)) {
			throw new Error(`IOT_OTA_VSCODE_ROUTE=code-server needs Linux on x64 or arm64 (this is ${platform}-${arch}); use electron`);
		}
		return { route: forced, reason: `IOT_OTA_VSCODE_ROUTE=${forced}` };
	}
	if (nodePackageName(platform, arch)) {
		return { route: 'code-server', reason: `${platform}-${arch}: VS Code server + Chromium, offline once set up` };
	}
	return { route: 'electron', reason: `${platform}-${arch}: desktop VS Code through @vscode/test-electron (no code-server route here)` };
}

/** Browser binaries tried in order (IOT_OTA_CHROMIUM first): the first that exists is used. */
export function chromiumCandidates({ platform, env }) {
	const fromEnv = env.IOT_OTA_CHROMIUM ? [env.IOT_OTA_CHROMIUM] : [];
	if (platform === 'linux') {
		return [
			...fromEnv,
			'/usr/bin/chromium',
			'/usr/bin/chromium-browser',
			'/snap/bin/chromium',
			'/usr/bin/google-chrome-stable',
			'/usr/bin/google-chrome',
			'/usr/bin/microsoft-edge',
		];
	}
	if (platform === 'darwin') {
		return [
			...fromEnv,
			'/Applications/Chromium.app/Contents/MacOS/Chromium',
			'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
			'/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
		];
	}
	if (platform === 'win32') {
		const programFiles = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
		return [
			...fromEnv,
			...programFiles.flatMap((dir) => [
				path.win32.join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
				path.win32.join(dir, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
			]),
		];
	}
	return fromEnv;
}

/** The first candidate `exists` accepts, or undefined. */
export function findChromium({ platform, env, exists }) {
	return chromiumCandidates({ platform, env }).find((file) => exists(file));
}

/** Package names of what the code-server route needs, per package manager. */
// `java` and `pyyaml` are the unit tier's independent readers of the config files the engine writes.
const PACKAGES = {
	apt: {
		chromium: 'chromium',
		krb5: 'libkrb5-dev',
		'c++': 'g++',
		make: 'make',
		python3: 'python3',
		java: 'default-jre-headless',
		pyyaml: 'python3-yaml',
	},
	dnf: {
		chromium: 'chromium',
		krb5: 'krb5-devel',
		'c++': 'gcc-c++',
		make: 'make',
		python3: 'python3',
		java: 'java-17-openjdk-headless',
		pyyaml: 'python3-pyyaml',
	},
	pacman: {
		chromium: 'chromium',
		krb5: 'krb5',
		'c++': 'gcc',
		make: 'make',
		python3: 'python',
		java: 'jre-openjdk-headless',
		pyyaml: 'python-yaml',
	},
	zypper: {
		chromium: 'chromium',
		krb5: 'krb5-devel',
		'c++': 'gcc-c++',
		make: 'make',
		python3: 'python3',
		java: 'java-17-openjdk-headless',
		pyyaml: 'python3-PyYAML',
	},
};
const INSTALL = {
	apt: (names) => `apt-get update && apt-get install -y --no-install-recommends ${names}`,
	dnf: (names) => `dnf install -y ${names}`,
	pacman: (names) => `pacman -S --needed ${names}`,
	zypper: (names) => `zypper install -y ${names}`,
};

/** The package manager of a Linux distribution from /etc/os-release's ID and ID_LIKE, or undefined. */
export function packageManager(osRelease) {
	const ids = `${osRelease.ID ?? ''} ${osRelease.ID_LIKE ?? ''}`.split(/\s+/).filter(Boolean);
	if (ids.some((id) => ['debian', 'ubuntu'].includes(id))) {
		return 'apt';
	}
	if (ids.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) {
		return 'dnf';
	}
	if (ids.includes('arch')) {
		return 'pacman';
	}
	if (ids.some((id) => id.startsWith('suse') || id.startsWith('opensuse'))) {
		return 'zypper';
	}
	return undefined;
}

/** Parses /etc/os-release text into { ID, ID_LIKE, … }. */
export function parseOsRelease(text) {
	return Object.fromEntries(
		text
			.split('\n')
			.map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
			.filter(Boolean)
			.map(([, key, value]) => [key, value.replace(/^"|"$/g, '')]),
	);
}

/**
 * What to tell (or run) for missing needs (`chromium`, `krb5`, `c++`, `make`, `python3`): { manager, packages,
 * command } where `command` is the exact shell command (prefixed with sudo when not root), or undefined when the
 * distribution is not known, then `packages` lists the generic needs.
 */
export function installPlan({ missing, osRelease, isRoot }) {
	const manager = packageManager(osRelease);
	if (!manager) {
		return { manager: undefined, packages: missing, command: undefined };
	}
	const packages = missing.map((need) => PACKAGES[manager][need]);
	const command = INSTALL[manager](packages.join(' '));
	return { manager, packages, command: isRoot ? command : `sudo sh -c '${command}'` };
}
