import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { insertIntoFile, readSnapshot, writeIfUnchanged } from '../../../src/core/configInsert/file';
import { OtaError } from '../../../src/core/errors';

let dir: string;
let counter = 0;

before(async () => {
	dir = await fs.mkdtemp(path.join(tmpdir(), 'config-insert-'));
});

after(async () => {
	await fs.rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string, mode = 0o644): Promise<string> {
	const sub = path.join(dir, String(++counter));
	await fs.mkdir(sub);
	const file = path.join(sub, name);
	await fs.writeFile(file, content);
	await fs.chmod(file, mode);
	return file;
}

function isConfigError(code: string, message: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof OtaError, String(error));
		assert.equal(error.source, 'config');
		assert.equal(error.code, code);
		assert.match(error.message, message);
		return true;
	};
}

async function filesIn(file: string): Promise<string[]> {
	return (await fs.readdir(path.dirname(file))).sort();
}

void test('insertIntoFile writes the value and reports the previous one', async () => {
	const file = await fixture('settings.json', '{\n  // keep me\n  "ota": { "url": "old" }\n}\n', 0o640);
	const result = await insertIntoFile(file, 'ota.url', 'https://host/fw.bin');
	assert.deepEqual(result, { format: 'json', changed: true, previousValue: 'old' });
	assert.equal(await fs.readFile(file, 'utf8'), '{\n  // keep me\n  "ota": { "url": "https://host/fw.bin" }\n}\n');
	assert.equal((await fs.stat(file)).mode & 0o777, 0o640, 'mode preserved');
	assert.deepEqual(await filesIn(file), ['settings.json'], 'no temp file left behind');
});

void test('insertIntoFile leaves the file untouched when the value is already there', async () => {
	const file = await fixture('.env', 'URL=same\n');
	const past = new Date('2020-01-01T00:00:00Z');
	await fs.utimes(file, past, past);
	const result = await insertIntoFile(file, 'URL', 'same');
	assert.deepEqual(result, { format: 'env', changed: false, previousValue: 'same' });
	assert.equal((await fs.stat(file)).mtimeMs, past.getTime());
});

void test('insertIntoFile honours an explicit format and keeps a BOM', async () => {
	const file = await fixture('device.txt', '\ufeffA=1\r\n');
	await assert.rejects(
		insertIntoFile(file, 'B', 'v'),
		isConfigError('UnknownConfigFormat', /Cannot tell the config format of device\.txt/),
	);
	const result = await insertIntoFile(file, 'B', 'v', { format: 'env' });
	assert.equal(result.changed, true);
	assert.equal(await fs.readFile(file, 'utf8'), '\ufeffA=1\r\nB=v\r\n');
});

void test('insertIntoFile refuses a read-only file (by mode bits, even for root)', async () => {
	const file = await fixture('platformio.ini', '[env]\n', 0o444);
	await assert.rejects(
		insertIntoFile(file, 'env.url', 'v'),
		isConfigError('ConfigFileReadOnly', /platformio\.ini is read-only\. The file was not changed\./),
	);
	assert.equal(await fs.readFile(file, 'utf8'), '[env]\n');
});

void test('insertIntoFile reports a missing file', async () => {
	await assert.rejects(
		insertIntoFile(path.join(dir, 'nope.yaml'), 'a', 'v'),
		isConfigError('ConfigFileNotFound', /Config file not found: .*nope\.yaml/),
	);
});

void test('insertIntoFile never rewrites a malformed file', async () => {
	const file = await fixture('cfg.toml', 'a = = 1\n');
	await assert.rejects(insertIntoFile(file, 'a', 'v'), isConfigError('ConfigSyntaxError', /^Malformed TOML at line 1/));
	assert.equal(await fs.readFile(file, 'utf8'), 'a = = 1\n');
	assert.deepEqual(await filesIn(file), ['cfg.toml']);
});

void test('insertIntoFile writes through a symlink and keeps the link', async () => {
	const target = await fixture('real.yaml', 'a: 1\n');
	const link = path.join(path.dirname(target), 'link.yaml');
	await fs.symlink(target, link);
	await insertIntoFile(link, 'b', 'v');
	assert.equal(await fs.readFile(target, 'utf8'), 'a: 1\nb: v\n');
	assert.equal((await fs.lstat(link)).isSymbolicLink(), true);
});

void test('insertIntoFile refuses files that are not UTF-8 text', async () => {
	const file = await fixture('latin1.properties', '');
	await fs.writeFile(file, Buffer.from([0x61, 0x3d, 0xe9, 0x0a]));
	await assert.rejects(insertIntoFile(file, 'b', 'v'), isConfigError('ConfigFileUnreadable', /is not UTF-8 text/));
});

void test('writeIfUnchanged refuses when the file changed after it was read', async () => {
	const file = await fixture('a.json', '{"a": 1}\n');
	const snapshot = await readSnapshot(file);
	await fs.writeFile(file, '{"a": 22}\n');
	await assert.rejects(
		writeIfUnchanged(snapshot, '{"a": "new"}\n'),
		isConfigError('ConfigFileChanged', /changed on disk while the value was being inserted/),
	);
	assert.equal(await fs.readFile(file, 'utf8'), '{"a": 22}\n', "the other writer's content survives");
	assert.deepEqual(await filesIn(file), ['a.json']);
});

void test('writeIfUnchanged notices a same-size change with the old mtime (content hash)', async () => {
	const file = await fixture('a.json', '{"a": 1}\n');
	const snapshot = await readSnapshot(file);
	await fs.writeFile(file, '{"a": 2}\n');
	await fs.utimes(file, new Date(snapshot.mtimeMs), new Date(snapshot.mtimeMs));
	await assert.rejects(writeIfUnchanged(snapshot, '{}\n'), isConfigError('ConfigFileChanged', /changed on disk/));
	assert.equal(await fs.readFile(file, 'utf8'), '{"a": 2}\n');
});

void test('writeIfUnchanged refuses when the file was deleted meanwhile', async () => {
	const file = await fixture('a.json', '{}\n');
	const snapshot = await readSnapshot(file);
	await fs.rm(file);
	await assert.rejects(writeIfUnchanged(snapshot, '{"a": 1}\n'), isConfigError('ConfigFileChanged', /was deleted or moved/));
	assert.deepEqual(await filesIn(file), [], 'nothing recreated');
});

void test('writeIfUnchanged replaces the file atomically with the same mode', async () => {
	const file = await fixture('b.yaml', 'a: 1\n', 0o600);
	const before = await fs.stat(file);
	const snapshot = await readSnapshot(file);
	await writeIfUnchanged(snapshot, 'a: 2\n');
	const afterStat = await fs.stat(file);
	assert.equal(await fs.readFile(file, 'utf8'), 'a: 2\n');
	assert.equal(afterStat.mode & 0o7777, 0o600);
	assert.notEqual(afterStat.ino, before.ino, 'a new inode: the file was renamed into place, not rewritten');
});

void test('a process that ends while the temp file is being written leaves no temp file (and the config as it was)', async () => {
	const original = `{ "ota": { "url": "" }, "pad": "${'x'.repeat(256 * 1024)}" }\n`;
	const file = await fixture('device.json', original);
	const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'exitDuringWrite.ts'), file], {
		cwd: path.resolve(__dirname, '..', '..', '..'),
		encoding: 'utf8',
		env: { ...process.env, NODE_OPTIONS: '' },
	});
	assert.equal(child.stdout.trim(), 'temp seen', child.stderr);
	assert.equal(child.status, 3);
	assert.deepEqual(await fs.readdir(path.dirname(file)), ['device.json']);
	assert.equal(await fs.readFile(file, 'utf8'), original);
});
