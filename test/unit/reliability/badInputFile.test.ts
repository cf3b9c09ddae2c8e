// Bad input through the CLI, the firmware file: missing, a directory, empty, too large, not a regular file,
// unreadable, a wrong or missing suffix. Each is refused with one exact message (see badInputSupport.ts), exit 2.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { cleanEnv, parseJsonOutput, runCli, type CliRun } from '../cli/cliHarness';
import type { BuiltCli } from '../../support/reliabilitySuite';
import { expectRefused, useBadInputSuite } from './badInputSupport';

const ALLOWED = 'bin, dav, apk, tar, gz, tar.gz, zip, gzip';

// Each case owns its files, so the cases run side by side.
void describe('reliability: bad input is refused with one exact message (CLI): the firmware file', { concurrency: 8 }, () => {
	const t = useBadInputSuite('iot-ota-rel-input-file-', { cli: true });
	const { creds, file, run, runOffline } = t;
	let work: string;
	let sandbox: Sandbox;
	let cli: BuiltCli;
	let firmware: string;
	let socketServer: Server;

	before(async () => {
		({ work, sandbox, cli } = t.suite);
		firmware = t.firmware;
		socketServer = createServer();
		await new Promise<void>((resolve) => socketServer.listen(file('fw-socket.bin'), resolve));
	});

	after(() => socketServer?.close());

	const fileCases: Array<[string, (p: string) => void, string, (p: string) => string]> = [
		[
			'a missing file',
			() => undefined,
			'FileNotFound',
			(p) => `Firmware file not found: ${p} Build the firmware first, or pick an existing file.`,
		],
		[
			'a directory',
			(p) => mkdirSync(p),
			'UsageError',
			(p) =>
				`${p} is a folder: iot-ota upload takes firmware files. Name the files in it, e.g. iot-ota upload ${path.join(p, '*.bin')} (several files go up as one package with --create --product-key PK).`,
		],
		[
			'a 0-byte file',
			(p) => writeFileSync(p, ''),
			'FileEmpty',
			(p) => `Firmware file is empty (0 bytes): ${p} Rebuild the firmware; the build may have failed.`,
		],
		[
			'a sparse file one byte over 1,000 MB',
			(p) => {
				writeFileSync(p, '');
				truncateSync(p, 1_048_576_001);
			},
			'FileTooLarge',
			(p) =>
				`Firmware file is too large: 1,048,576,001 bytes; the OTA limit is 1,000 MB (1,048,576,000 bytes): ${p} Split the package or use a delta (differential) package.`,
		],
		[
			'a FIFO',
			(p) => spawnSyncOk('mkfifo', [p]),
			'NotARegularFile',
			(p) => `Firmware path is not a regular file (FIFO, socket or device): ${p} Pick the built firmware file.`,
		],
		[
			'a symbolic link loop',
			(p) => (symlinkSync(`${p}.other`, p), symlinkSync(p, `${p}.other`)),
			'FileIsSymlinkLoop',
			(p) => `Firmware path is a symbolic link loop: ${p} Point the link at the real firmware file.`,
		],
		[
			'a broken symbolic link',
			(p) => symlinkSync(`${p}.gone`, p),
			'FileNotFound',
			(p) => `Firmware path is a symbolic link to a file that does not exist: ${p} Rebuild the firmware or fix the link.`,
		],
	];
	fileCases.forEach(([what, setup, code, message], i) => {
		void test(`firmware: ${what} → ${code}, exit 2, nothing sent`, async () => {
			const p = file(`case-${i}.bin`);
			setup(p);
			await expectRefused(runOffline(['upload', p]), { exit: 2, code, message: message(p), offline: true });
		});
	});

	void test('process level (spawned): a local mistake exits 2 with the same single JSON object', async () => {
		const p = file('spawned-missing.bin');
		await expectRefused(run(['upload', p]), {
			exit: 2,
			code: 'FileNotFound',
			message: `Firmware file not found: ${p} Build the firmware first, or pick an existing file.`,
		});
	});

	void test('firmware: a Unix socket and a device (/dev/null) → NotARegularFile, exit 2', async () => {
		for (const p of [file('fw-socket.bin'), '/dev/null']) {
			await expectRefused(runOffline(['upload', p, '--suffix', 'bin']), {
				exit: 2,
				code: 'NotARegularFile',
				message: `Firmware path is not a regular file (FIFO, socket or device): ${p} Pick the built firmware file.`,
				offline: true,
			});
		}
	});

	void test('firmware: a file the user may not read → FileNotReadable, exit 2 (as root: checked as uid 65534)', async () => {
		const p = file('secret.bin');
		writeFileSync(p, 'x'.repeat(100));
		chmodSync(p, 0o000);
		const args = [cli.cliPath, 'upload', p, '--endpoint', sandbox.endpoint, '--json'];
		let result: CliRun;
		if (process.getuid?.() === 0) {
			// chmod 000 does not stop root, so the CLI runs as "nobody": the honest permission-denied path.
			chmodSync(work, 0o755);
			chmodSync(path.dirname(cli.cliPath), 0o755);
			result = await spawnAs(65534, args, cleanEnv(work, creds()));
		} else {
			result = await runCli(cli.cliPath, args.slice(1), { env: cleanEnv(path.join(work, 'home'), creds()), cwd: work });
		}
		await expectRefused(result, {
			exit: 2,
			code: 'FileNotReadable',
			message: `Firmware file is not readable (permission denied): ${p} Fix the file permissions and try again.`,
		});
	});

	void test('firmware: a name without a known suffix → InvalidFileSuffix naming the allowed ones, exit 2', async () => {
		const p = file('fw.elf');
		writeFileSync(p, 'ELF');
		await expectRefused(runOffline(['upload', p]), {
			exit: 2,
			code: 'InvalidFileSuffix',
			message: `"fw.elf" has no allowed OTA suffix (${ALLOWED}). Rename the file to end in one of them, or choose the suffix (--suffix on the command line; in VS Code, iotOta.suffixMode "ask").`,
			offline: true,
		});
	});

	void test('firmware: --suffix outside the allow-list → InvalidFileSuffix, exit 2', async () => {
		await expectRefused(runOffline(['upload', firmware, '--suffix', 'tgz']), {
			exit: 2,
			code: 'InvalidFileSuffix',
			message: `Unsupported firmware file suffix "tgz". Allowed suffixes: ${ALLOWED}.`,
			offline: true,
		});
	});

	void test('firmware: a .zip that is not a ZIP is refused (as inspect exits 2); uploaded as what it is, it goes up', async () => {
		const p = file('fw.zip');
		writeFileSync(p, 'not a zip at all');
		await expectRefused(runOffline(['upload', p]), {
			exit: 2,
			code: 'ContentsDoNotMatchSuffix',
			message:
				'"fw.zip" is named .zip but its contents do not look like a ZIP archive (PK\\x03\\x04); check that this is the right file. ' +
				'If it is a raw image, upload it as .bin (--suffix bin on the command line); otherwise pick the right file.',
			offline: true,
		});
		const result = await run(['upload', p, '--suffix', 'bin']);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '', 'the suffix was chosen: the refusal it answers is not repeated as a warning');
		assert.match(String(parseJsonOutput(result).firmwareUrl), /\.bin$/);
	});
});

function spawnSyncOk(command: string, args: string[]): void {
	const { status } = spawnSync(command, args);
	assert.equal(status, 0, `${command} ${args.join(' ')}`);
}

/** Runs node with `args` as another user (root only). */
function spawnAs(uid: number, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { uid, gid: uid, env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
		child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}
