import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { compileCacheDir, enableCompileCache } from '../../../src/cli/compileCache';
import { buildCli } from './cliHarness';

void describe('the CLI compile cache', () => {
	void test('lives in the user’s own cache directory, never in the shared temporary one', () => {
		assert.equal(compileCacheDir({}, 'linux', '/home/ana'), '/home/ana/.cache/iot-ota/compile-cache');
		assert.equal(compileCacheDir({ XDG_CACHE_HOME: '/var/cache/ana' }, 'linux', '/home/ana'), '/var/cache/ana/iot-ota/compile-cache');
		assert.equal(compileCacheDir({}, 'darwin', '/Users/ana'), '/Users/ana/Library/Caches/iot-ota/compile-cache');
		assert.equal(
			compileCacheDir({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana'),
			'C:\\Users\\ana\\AppData\\Local\\iot-ota\\compile-cache',
		);
		assert.equal(compileCacheDir({}, 'win32', 'C:\\Users\\ana'), 'C:\\Users\\ana\\AppData\\Local\\iot-ota\\compile-cache');
	});

	void test('a relative cache or home directory is never used: it would put the cache in the current folder', () => {
		assert.equal(compileCacheDir({ XDG_CACHE_HOME: '.cache' }, 'linux', '/home/ana'), '/home/ana/.cache/iot-ota/compile-cache');
		assert.equal(
			compileCacheDir({ LOCALAPPDATA: 'AppData\\Local' }, 'win32', 'C:\\Users\\ana'),
			'C:\\Users\\ana\\AppData\\Local\\iot-ota\\compile-cache',
		);
		assert.equal(compileCacheDir({}, 'linux', ''), undefined);
		assert.equal(compileCacheDir({ XDG_CACHE_HOME: 'cache' }, 'linux', 'home'), undefined);
		assert.equal(compileCacheDir({}, 'darwin', ''), undefined);
		assert.equal(compileCacheDir({}, 'win32', ''), undefined);
	});

	void test('NODE_COMPILE_CACHE names another directory', () => {
		assert.equal(compileCacheDir({ NODE_COMPILE_CACHE: '/tmp/mine', XDG_CACHE_HOME: '/x' }, 'linux', '/home/ana'), '/tmp/mine');
	});

	void test('is turned on through Node’s API where it exists, and is a no-op where it does not', () => {
		const api = Module as unknown as { enableCompileCache?: (dir: string) => unknown };
		const original = api.enableCompileCache;
		const calls: string[] = [];
		try {
			api.enableCompileCache = (dir) => calls.push(dir);
			enableCompileCache({}, 'linux', '/home/ana');
			assert.deepEqual(calls, ['/home/ana/.cache/iot-ota/compile-cache']);
			enableCompileCache({}, 'linux', '');
			assert.deepEqual(calls, ['/home/ana/.cache/iot-ota/compile-cache'], 'turned on without an absolute home');
			delete api.enableCompileCache;
			assert.doesNotThrow(() => enableCompileCache({}, 'linux', '/home/ana'));
		} finally {
			if (original) {
				api.enableCompileCache = original;
			} else {
				delete api.enableCompileCache;
			}
		}
	});

	void test('the iot-ota executable turns it on before the CLI bundle is loaded', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-compile-cache-'));
		const cli = await buildCli();
		try {
			// Stands in for Node ≥ 22.8's API and records, at the call, whether the CLI bundle was loaded yet.
			const recorder = path.join(dir, 'recorder.cjs');
			writeFileSync(
				recorder,
				`require('node:module').enableCompileCache = (d) => process.stderr.write('cache ' + d + ' bundle-loaded=' + Object.keys(require.cache).some((f) => f.endsWith('cli-main.js')) + '\\n');`,
			);
			const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: dir };
			delete env.NODE_COMPILE_CACHE;
			const run = spawnSync(process.execPath, ['--require', recorder, cli.cliPath, '--version'], {
				env,
				encoding: 'utf8',
			});
			assert.equal(run.status, 0, run.stderr);
			assert.match(run.stdout, /^\d+\.\d+\.\d+/);
			assert.equal(run.stderr, `cache ${path.join(dir, 'iot-ota', 'compile-cache')} bundle-loaded=false\n`);
		} finally {
			cli.dispose();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
