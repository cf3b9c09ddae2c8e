// Every file the CLI reads is opened once without blocking and checked through the descriptor it got (issue #11 §4):
// a path swapped for a FIFO or a link cannot hang the CLI or change what is uploaded, and a FIFO where a config file,
// a device list, the aliyun config or the GitHub step summary should be is refused (or skipped) at once. The swap is
// made deterministic by the sandbox's hold rule: the firmware is replaced while GenerateOTAUploadURL is held.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import { readRegularFile } from '../../../src/core/safeFile';
import type { Sandbox } from '../../../src/sandbox';
import { cleanEnv, parseJsonOutput, runCli, startCli, type CliRun } from '../cli/cliHarness';
import { signedUrl } from '../../support/ossDownload';
import { installTripwire, withDeadline } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();
const onWindows = process.platform === 'win32';

void describe('reliability: files are opened once, without blocking, and checked through their descriptor', { skip: onWindows }, () => {
	const suite = useSandboxSuite('iot-ota-rel-swap-', { sandbox: { qps: 1000 }, cli: true, caseDir: true });
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	afterEach(() => tripwire.assertClean());

	const mkfifo = (file: string): string => {
		execFileSync('mkfifo', [file]);
		return file;
	};
	const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

	/** Uploads fw.bin; while the ticket request is held, `swap` replaces the path. Returns the run and the original bytes. */
	async function uploadSwapped(swap: (firmware: string) => void): Promise<{ run: CliRun; original: Buffer }> {
		const firmware = path.join(suite.caseDir, 'fw.bin');
		const original = randomBytes(300 * 1024);
		writeFileSync(firmware, original);
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'hold' });
		const { done } = startCli(suite.cli.cliPath, ['upload', 'fw.bin', '--endpoint', sandbox.endpoint, '--json'], {
			env: suite.cliEnv(),
			cwd: suite.caseDir,
		});
		await withDeadline(sandbox.faults.whenHeld('api', 'GenerateOTAUploadURL'), 10_000, 'the ticket request held');
		swap(firmware);
		sandbox.faults.release();
		return { run: await withDeadline(done, 20_000, 'the CLI after the swap'), original };
	}

	async function uploaded(run: CliRun): Promise<Buffer> {
		assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
		const { firmwareUrl } = parseJsonOutput(run) as { firmwareUrl: string };
		const res = await fetch(signedUrl(sandbox, firmwareUrl));
		assert.equal(res.status, 200);
		return Buffer.from(await res.arrayBuffer());
	}

	void test('upload: the firmware replaced by a FIFO after its check → no hang: the descriptor opened first is uploaded', async () => {
		const { run, original } = await uploadSwapped((firmware) => {
			unlinkSync(firmware);
			mkfifo(firmware);
		});
		assert.equal(sha256(await uploaded(run)), sha256(original));
	});

	void test('upload: the firmware replaced by a link to another file after its check → the checked file is uploaded, not the other', async () => {
		const other = path.join(suite.caseDir, 'not-the-firmware.bin');
		writeFileSync(other, randomBytes(300 * 1024));
		const { run, original } = await uploadSwapped((firmware) => {
			renameSync(firmware, path.join(suite.caseDir, 'moved.bin'));
			symlinkSync(other, firmware);
		});
		assert.equal(sha256(await uploaded(run)), sha256(original));
	});

	void test('rollout --device-file naming a FIFO → refused at once (exit 2), nothing waits for a writer', async () => {
		const fifo = mkfifo(path.join(suite.caseDir, 'devices.txt'));
		const run = await withDeadline(
			runCli(suite.cli.cliPath, ['rollout', 'F1', '--device-file', fifo, '--endpoint', sandbox.endpoint, '--json'], {
				env: suite.cliEnv(),
				cwd: suite.caseDir,
			}),
			20_000,
			'rollout with a FIFO device file',
		);
		assert.equal(run.code, 2, run.stderr);
		const { error } = parseJsonOutput(run) as { error: { code: string; message: string } };
		assert.equal(
			error.message,
			`--device-file: cannot read ${fifo} (ENOTREGULAR). Give a regular file of at most 20 MB with one DeviceName per line.`,
		);
	});

	void test('an aliyun CLI config that is a FIFO → AliyunConfigUnreadable at once (exit 3)', async () => {
		const home = path.join(suite.caseDir, 'home');
		mkdirSync(path.join(home, '.aliyun'), { recursive: true });
		mkfifo(path.join(home, '.aliyun', 'config.json'));
		const run = await withDeadline(
			runCli(suite.cli.cliPath, ['products', '--endpoint', sandbox.endpoint, '--json'], { env: cleanEnv(home), cwd: suite.caseDir }),
			20_000,
			'a FIFO aliyun config',
		);
		assert.equal(run.code, 3, run.stderr);
		assert.equal((parseJsonOutput(run) as { error: { code: string } }).error.code, 'AliyunConfigUnreadable');
	});

	void test('GITHUB_STEP_SUMMARY naming a FIFO → the upload succeeds, the summary is skipped with a warning', async () => {
		writeFileSync(path.join(suite.caseDir, 'fw.bin'), randomBytes(64 * 1024));
		const summary = mkfifo(path.join(suite.caseDir, 'summary.md'));
		const run = await withDeadline(
			runCli(suite.cli.cliPath, ['upload', 'fw.bin', '--endpoint', sandbox.endpoint, '--json'], {
				env: suite.cliEnv({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }),
				cwd: suite.caseDir,
			}),
			20_000,
			'a FIFO step summary',
		);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /^warning: could not write the GitHub step summary: /m);
	});

	void test('readRegularFile: a FIFO, a device and a file over the limit are refused without reading', async () => {
		const fifo = mkfifo(path.join(suite.caseDir, 'pipe'));
		await assert.rejects(readRegularFile(fifo, 1024), { code: 'ENOTREGULAR' });
		await assert.rejects(readRegularFile('/dev/zero', 1024), { code: 'ENOTREGULAR' });
		writeFileSync(path.join(suite.caseDir, 'big'), Buffer.alloc(2048));
		await assert.rejects(readRegularFile(path.join(suite.caseDir, 'big'), 1024), { code: 'EFBIG' });
		assert.equal((await readRegularFile(path.join(suite.caseDir, 'big'), 2048)).length, 2048);
	});
});
