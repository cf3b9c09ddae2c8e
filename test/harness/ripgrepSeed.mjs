// Older code-server releases (VS Code ≤ 1.9x) depend on @vscode/ripgrep, whose postinstall downloads the `rg` binary
// from GitHub, which the offline route cannot reach. Its download step first looks in
// $TMPDIR/vscode-ripgrep-cache-<package version>/ for the release asset, so the set-up puts one there, built from the
// `rg` that the npm package @vscode/ripgrep-universal carries (the package newer VS Code builds use), and runs the
// install with that TMPDIR. Everything comes from the npm registry.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { log, runLogged } from './setupSteps.mjs';

const RIPGREP_UNIVERSAL = '@vscode/ripgrep-universal@1.18.0';
/** @vscode/ripgrep's getTarget() on Linux. */
const LINUX_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** `npm pack` one package into `dir` and unpack it there; resolves with the unpacked `package/` folder. */
async function fetchPackage(spec, dir, env) {
	mkdirSync(dir, { recursive: true });
	await runLogged(`fetching ${spec}`, 'npm', ['pack', spec, '--pack-destination', dir], { cwd: dir, env });
	const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
	await runLogged(`unpacking ${spec}`, 'tar', ['-xzf', path.join(dir, tarball), '-C', dir]);
	return path.join(dir, 'package');
}

/** The asset name @vscode/ripgrep's postinstall looks for (its VERSION constant and the Linux target). */
export function ripgrepAssetName(postinstallSource, arch) {
	const version = /const VERSION = '([^']+)'/.exec(postinstallSource)?.[1];
	const target = LINUX_TARGETS[arch];
	return version && target ? `ripgrep-${version}-${target}.tar.gz` : undefined;
}

/**
 * When code-server@`version` pins @vscode/ripgrep, prepares the asset it would download in a temp folder under
 * `scratchRoot` and resolves with that folder (to be the install's TMPDIR); resolves undefined when nothing is needed.
 */
export async function seedRipgrepDownload({ codeServer, scratchRoot, env }) {
	const scratch = mkdtempSync(path.join(scratchRoot, 'ripgrep-seed-'));
	try {
		const codeServerPackage = await fetchPackage(`code-server@${codeServer}`, path.join(scratch, 'code-server'), env);
		const shrinkwrap = path.join(codeServerPackage, 'lib', 'vscode', 'npm-shrinkwrap.json');
		const pinned = existsSync(shrinkwrap)
			? JSON.parse(readFileSync(shrinkwrap, 'utf8')).packages?.['node_modules/@vscode/ripgrep']?.version
			: undefined;
		if (!pinned) {
			return undefined;
		}
		const ripgrep = await fetchPackage(`@vscode/ripgrep@${pinned}`, path.join(scratch, 'ripgrep'), env);
		const asset = ripgrepAssetName(readFileSync(path.join(ripgrep, 'lib', 'postinstall.js'), 'utf8'), process.arch);
		if (!asset) {
			return undefined;
		}
		const universal = await fetchPackage(RIPGREP_UNIVERSAL, path.join(scratch, 'universal'), env);
		const tmp = mkdtempSync(path.join(scratchRoot, 'install-tmp-'));
		const cacheFolder = path.join(tmp, `vscode-ripgrep-cache-${pinned}`);
		mkdirSync(cacheFolder, { recursive: true });
		await runLogged('packing rg for @vscode/ripgrep', 'tar', [
			'-czf',
			path.join(cacheFolder, asset),
			'-C',
			path.join(universal, 'bin', `linux-${process.arch}`),
			'rg',
		]);
		log(`@vscode/ripgrep ${pinned} will find ${asset} (rg from ${RIPGREP_UNIVERSAL}) instead of downloading it from GitHub`);
		return tmp;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}
