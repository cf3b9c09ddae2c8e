import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	FILE_MESSAGES,
	inferSuffix,
	MAX_FIRMWARE_TEXT,
	openFirmwareFile,
	parseSuffix,
	type FirmwareFileInfo,
} from '../../../src/core/limits';
import { MAX_FIRMWARE_BYTES } from '../../../src/core/types';
import { scratchDir } from './stubOss';

const scratch = scratchDir();

/** The pre-flight's file checks: the path opened once, checked through its descriptor, then closed. */
async function checkFirmwareFile(filePath: string): Promise<FirmwareFileInfo> {
	const file = await openFirmwareFile(filePath);
	await file.handle.close();
	return file.info;
}
after(() => scratch.cleanup());

async function rejectsWith(filePath: string, code: string, message: string): Promise<void> {
	await assert.rejects(checkFirmwareFile(filePath), (error: unknown) => {
		assert.ok(error instanceof OtaError);
		assert.equal(error.source, 'validation');
		assert.equal(error.code, code);
		assert.equal(error.message, message);
		return true;
	});
}

void describe('inferSuffix', () => {
	const table: Array<[string, string | undefined]> = [
		['fw.bin', 'bin'],
		['FW.BIN', 'bin'],
		['fw.tar.gz', 'tar.gz'],
		['FW.TAR.GZ', 'tar.gz'],
		['fw.gz', 'gz'],
		['fw.gzip', 'gzip'],
		['fw.tar', 'tar'],
		['app.apk', 'apk'],
		['camera.dav', 'dav'],
		['pkg.zip', 'zip'],
		['fw.tgz', undefined],
		['fw.elf', undefined],
		['firmware', undefined],
		['.bin', undefined],
		['build/esp32/fw.v1.2.bin', 'bin'],
		['C:\\build\\FW.Zip', 'zip'],
		['dir.bin/firmware', undefined],
	];
	for (const [name, expected] of table) {
		void test(`${name} → ${expected ?? 'unknown'}`, () => assert.equal(inferSuffix(name), expected));
	}
});

void describe('parseSuffix', () => {
	void test('normalises case and a leading dot', () => {
		assert.equal(parseSuffix('BIN'), 'bin');
		assert.equal(parseSuffix('.tar.gz'), 'tar.gz');
		assert.equal(parseSuffix(' zip '), 'zip');
	});
	void test('rejects anything outside the allow-list with the list in the message', () => {
		assert.throws(
			() => parseSuffix('tgz'),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'InvalidFileSuffix' &&
				error.source === 'validation' &&
				error.message === 'Unsupported firmware file suffix "tgz". Allowed suffixes: bin, dav, apk, tar, gz, tar.gz, zip, gzip.',
		);
	});
});

void describe('checkFirmwareFile', () => {
	void test('accepts a readable firmware file and reports its size and suffix', async () => {
		const file = scratch.file('ok.bin', Buffer.from([0xe9, 1, 2, 3]));
		assert.deepEqual(await checkFirmwareFile(file), { path: file, size: 4, inferredSuffix: 'bin', warnings: [] });
	});

	void test('missing file', async () => {
		const file = path.join(scratch.dir, 'missing.bin');
		await rejectsWith(file, 'FileNotFound', `Firmware file not found: ${file}`);
	});

	void test('a path through a regular file counts as missing', async () => {
		const file = scratch.file('plain.bin', Buffer.from('x'));
		await rejectsWith(path.join(file, 'inner.bin'), 'FileNotFound', `Firmware file not found: ${path.join(file, 'inner.bin')}`);
	});

	void test('broken symbolic link', async () => {
		const link = path.join(scratch.dir, 'dangling.bin');
		symlinkSync(path.join(scratch.dir, 'nowhere.bin'), link);
		await rejectsWith(link, 'FileNotFound', `Firmware path is a symbolic link to a file that does not exist: ${link}`);
	});

	void test('directory', async () => {
		const dir = path.join(scratch.dir, 'build.bin');
		mkdirSync(dir);
		await rejectsWith(dir, 'FileIsDirectory', `Firmware path is a directory, not a file: ${dir}`);
	});

	void test('symbolic link loop', async () => {
		const a = path.join(scratch.dir, 'loop-a.bin');
		const b = path.join(scratch.dir, 'loop-b.bin');
		symlinkSync(b, a);
		symlinkSync(a, b);
		await rejectsWith(a, 'FileIsSymlinkLoop', `Firmware path is a symbolic link loop: ${a}`);
	});

	void test('FIFO is not a regular file (and is never opened, so nothing blocks)', async () => {
		const fifo = path.join(scratch.dir, 'pipe.bin');
		execFileSync('mkfifo', [fifo]);
		await rejectsWith(fifo, 'NotARegularFile', `Firmware path is not a regular file (FIFO, socket or device): ${fifo}`);
	});

	void test('empty file', async () => {
		const file = scratch.file('empty.bin', Buffer.alloc(0));
		await rejectsWith(file, 'FileEmpty', `Firmware file is empty (0 bytes): ${file}`);
	});

	void test('sparse file one byte over 1,000 MB', async () => {
		const file = scratch.file('huge.bin', Buffer.alloc(0));
		truncateSync(file, MAX_FIRMWARE_BYTES + 1);
		await rejectsWith(
			file,
			'FileTooLarge',
			`Firmware file is too large: 1,048,576,001 bytes; the OTA limit is 1,000 MB (1,048,576,000 bytes): ${file}`,
		);
	});

	void test('sparse file of exactly 1,000 MB is accepted', async () => {
		const file = scratch.file('limit.bin', Buffer.alloc(0));
		truncateSync(file, MAX_FIRMWARE_BYTES);
		assert.equal((await checkFirmwareFile(file)).size, MAX_FIRMWARE_BYTES);
	});

	// chmod 000 does not stop root, and the unit tests usually run as root. Then the check runs in a
	// child process that drops to uid/gid 65534 (nobody), where the permission bits do apply.
	void test('unreadable file (chmod 000)', async () => {
		const file = scratch.file('secret.bin', Buffer.from('firmware'));
		chmodSync(file, 0o000);
		const expected = { code: 'FileNotReadable', message: `Firmware file is not readable (permission denied): ${file}` };
		if (process.getuid?.() !== 0) {
			await rejectsWith(file, expected.code, expected.message);
			return;
		}
		chmodSync(scratch.dir, 0o755);
		const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'checkFileChild.ts'), file], {
			uid: 65534,
			gid: 65534,
			cwd: path.resolve(__dirname, '..', '..', '..'),
			encoding: 'utf8',
			env: { ...process.env, NODE_OPTIONS: '' },
		});
		assert.equal(child.status, 0, child.stderr);
		assert.deepEqual(JSON.parse(child.stdout.trim()), { error: expected });
	});

	void test('magic bytes that match the suffix give no warning', async () => {
		const tar = Buffer.alloc(1024);
		tar.write('ustar', 257, 'latin1');
		const files = [
			scratch.file('a.zip', Buffer.from([0x50, 0x4b, 3, 4, 0])),
			scratch.file('empty-archive.zip', Buffer.from([0x50, 0x4b, 5, 6, 0])),
			scratch.file('a.apk', Buffer.from([0x50, 0x4b, 3, 4, 0])),
			scratch.file('a.gz', Buffer.from([0x1f, 0x8b, 8])),
			scratch.file('a.gzip', Buffer.from([0x1f, 0x8b, 8])),
			scratch.file('a.tar.gz', Buffer.from([0x1f, 0x8b, 8])),
			scratch.file('a.tar', tar),
		];
		for (const file of files) {
			assert.deepEqual((await checkFirmwareFile(file)).warnings, [], file);
		}
	});

	void test('contents that contradict the name are not warned about here: the image check refuses them (one rule, one message)', async () => {
		const files = [
			scratch.file('b.zip', Buffer.from('not a zip at all')),
			scratch.file('b.tar.gz', Buffer.from('PK\x03\x04')),
			scratch.file('b.tar', Buffer.alloc(100)),
			scratch.file('b.apk', Buffer.from([0x1f, 0x8b])),
		];
		for (const file of files) {
			assert.deepEqual((await checkFirmwareFile(file)).warnings, [], file);
		}
	});

	void test('a name without an allowed suffix is a warning (the suffix is chosen later), with a hint from the contents', async () => {
		const info = await checkFirmwareFile(scratch.file('fw.tgz', Buffer.from([0x1f, 0x8b, 8, 0])));
		assert.equal(info.inferredSuffix, undefined);
		assert.deepEqual(info.warnings, [FILE_MESSAGES.noAllowedSuffix('fw.tgz', 'gzip data (1f 8b)')]);
		assert.equal(
			info.warnings[0],
			'"fw.tgz" has no allowed OTA suffix (bin, dav, apk, tar, gz, tar.gz, zip, gzip). Its contents look like gzip data (1f 8b).',
		);
	});
});

void test('the size limit text states MAX_FIRMWARE_BYTES exactly', () => {
	assert.equal(MAX_FIRMWARE_TEXT, `1,000 MB (${MAX_FIRMWARE_BYTES.toLocaleString('en-US')} bytes)`);
});
