import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import {
	detectedVersionHint,
	detectVersion,
	foldersUpTo,
	sanitizeVersion,
	versionFromGitDescribe,
	versionFromPackageJson,
	versionFromPlatformioIni,
	versionFromVersionTxt,
	withDetectedVersion,
	type VersionProbe,
} from '../../../src/core/flow/versionDetect';
import { OtaError } from '../../../src/core/errors';

void test('sanitizeVersion fits DestVersion charset', () => {
	assert.equal(sanitizeVersion(' "1.2.3" '), '1.2.3');
	assert.equal(sanitizeVersion('v1.2.3+build 5'), 'v1.2.3-build-5');
	assert.equal(sanitizeVersion('--'), undefined);
	assert.equal(sanitizeVersion('x'.repeat(80))?.length, 64);
});

void test('platformio.ini: custom_version wins over version', () => {
	assert.equal(versionFromPlatformioIni('[env:esp32]\nversion = 0.9\ncustom_version = 1.4.0 ; release\n'), '1.4.0');
	assert.equal(versionFromPlatformioIni('[env]\nversion = "2.0.1"\n'), '2.0.1');
	assert.equal(versionFromPlatformioIni('[env]\nboard = esp32dev\n'), undefined);
});

void test('version.txt, package.json and git describe', () => {
	assert.equal(versionFromVersionTxt('# comment\n\n3.1.4\n'), '3.1.4');
	assert.equal(versionFromPackageJson('{"name":"x","version":"1.0.0-rc.1"}'), '1.0.0-rc.1');
	assert.equal(versionFromPackageJson('not json'), undefined);
	assert.equal(versionFromGitDescribe('v1.2.0\n'), 'v1.2.0');
	assert.equal(versionFromGitDescribe('v1.2.0-3-gabc1234'), 'v1.2.0-3-gabc1234');
	assert.equal(versionFromGitDescribe('abc1234'), undefined);
	assert.equal(versionFromGitDescribe(''), undefined);
});

void test('foldersUpTo walks from the file folder to the workspace root', () => {
	const root = path.resolve('/ws');
	assert.deepEqual(foldersUpTo(path.join(root, '.pio', 'build', 'esp32'), root), [
		path.join(root, '.pio', 'build', 'esp32'),
		path.join(root, '.pio', 'build'),
		path.join(root, '.pio'),
		root,
	]);
	assert.deepEqual(foldersUpTo(root, root), [root]);
});

void test('foldersUpTo: a file outside the root is looked at in its own folder alone; with no root, up to the file system root', () => {
	const root = path.resolve('/ws');
	assert.deepEqual(foldersUpTo(path.resolve('/elsewhere/out'), root), [path.resolve('/elsewhere/out')]);
	// A folder beside the root whose name starts with the root's is outside it: nothing above the root is read.
	assert.deepEqual(foldersUpTo(path.resolve('/ws2/build'), root), [path.resolve('/ws2/build')]);
	assert.deepEqual(foldersUpTo(path.resolve('/a/b'), undefined), [path.resolve('/a/b'), path.resolve('/a'), path.resolve('/')]);
});

function probe(files: Record<string, string>, describe?: string): VersionProbe {
	return {
		readText: async (file) => files[path.resolve(file)],
		gitDescribe: async () => describe,
	};
}

void test('detectVersion: git describe first, then the nearest file', async () => {
	const root = path.resolve('/ws');
	const dir = path.join(root, '.pio', 'build', 'esp32');
	const files = {
		[path.join(root, 'platformio.ini')]: '[env]\ncustom_version = 2.3.0\n',
		[path.join(root, 'package.json')]: '{"version":"9.9.9"}',
		[path.join(root, '.pio', 'version.txt')]: '2.4.0-beta\n',
	};
	assert.deepEqual(await detectVersion(dir, root, probe(files, 'v5.0.0')), { version: 'v5.0.0', source: 'git describe', from: dir });
	assert.deepEqual(await detectVersion(dir, root, probe(files)), {
		version: '2.4.0-beta',
		source: 'version.txt',
		from: path.join(root, '.pio', 'version.txt'),
	});
	assert.equal((await detectVersion(root, root, probe(files)))?.source, 'platformio.ini');
	assert.equal(await detectVersion(dir, root, probe({})), undefined);
});

void test('withDetectedVersion: a DestVersionRequired names what was detected; anything else, or nothing found, stays as it is', async () => {
	const root = path.resolve('/ws');
	const file = path.join(root, 'build', 'app.bin');
	const required = new OtaError({
		code: 'DestVersionRequired',
		source: 'validation',
		message: 'DestVersion is required.',
		hint: 'Give it.',
	});
	const named = await withDetectedVersion(required, file, root, probe({}, 'v1.2.0'));
	assert.ok(named instanceof OtaError);
	assert.equal(
		named.hint,
		'git describe gives v1.2.0: add --dest-version v1.2.0 if that is the version devices report after the update.',
	);
	assert.equal(named.message, required.message);
	const ini = path.join(root, 'platformio.ini');
	assert.equal(
		detectedVersionHint({ version: '2.3.0', source: 'platformio.ini', from: ini }),
		`${ini} gives 2.3.0: add --dest-version 2.3.0 if that is the version devices report after the update.`,
	);
	assert.equal(await withDetectedVersion(required, file, root, probe({})), required);
	const other = new OtaError({ code: 'VersionMismatch', source: 'validation', message: 'No.' });
	assert.equal(await withDetectedVersion(other, file, root, probe({}, 'v1.2.0')), other);
});
