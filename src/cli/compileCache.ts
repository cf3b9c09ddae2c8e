import Module from 'node:module';
import path from 'node:path';

/**
 * Where the CLI keeps Node's module compile cache: the directory NODE_COMPILE_CACHE names, else one of the user's own.
 * Not Node's default (`os.tmpdir()/node-compile-cache`): on Linux that directory is shared by every user, and a cache
 * another user can write is code this process would run. For the same reason a relative XDG_CACHE_HOME or LOCALAPPDATA
 * is ignored (the XDG spec says so), and without an absolute home there is no cache: a relative path would put it in the
 * current folder, which may be anyone's (a cloned repository).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
	if (env.NODE_COMPILE_CACHE) {
		return env.NODE_COMPILE_CACHE;
	}
	const paths = platform === 'win32' ? path.win32 : path.posix;
	const absolute = (dir: string | undefined) => (dir && paths.isAbsolute(dir) ? dir : undefined);
	const inHome = (...parts: string[]) => (absolute(home) ? paths.join(home, ...parts) : undefined);
	const base =
		platform === 'win32'
			? (absolute(env.LOCALAPPDATA) ?? inHome('AppData', 'Local'))
			: platform === 'darwin'
				? inHome('Library', 'Caches')
				: (absolute(env.XDG_CACHE_HOME) ?? inHome('.cache'));
	return base && paths.join(base, 'iot-ota', 'compile-cache');
}

type EnableCompileCache = (directory: string) => unknown;

/**
 * Node ≥ 22.8 (module.enableCompileCache; the NODE_COMPILE_CACHE variable alone exists from 22.1) keeps the bytecode
 * of the modules it compiles (the CLI bundle, its vendor files) on disk and reuses it while their content is unchanged;
 * what that saves a command, spawn to exit, is measured in docs/performance.md.
 * Older Node has no such API, and Node never throws here (it reports a failure, e.g. an unwritable directory, in its
 * answer), so the CLI runs the same either way; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): void {
	const enable = (Module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
	const directory = compileCacheDir(env, platform, home);
	if (directory) {
		enable?.(directory);
	}
}
