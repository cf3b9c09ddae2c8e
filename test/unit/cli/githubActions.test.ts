// GitHub Actions awareness: with GITHUB_ACTIONS set, failures also become ::error:: annotations and a finished upload
// appends its summary to $GITHUB_STEP_SUMMARY; without it, neither happens.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { escapeAnnotation, uploadStepSummary, watchStepSummary } from '../../../src/cli/githubActions';
import { escapeMarkdown } from '../../../src/core/format';
import { printable } from '../../../src/core/printable';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir } from './cliHarness';

void test('annotation data and terminal text carry no control characters', () => {
	assert.equal(escapeAnnotation('50% done\r\nnext'), '50%25 done%0D%0Anext');
	assert.equal(printable('ok\u001b[2J\u0007 bell\tand\nline \u202Egnp.exe \u0085'), 'ok?[2J? bell and line ?gnp.exe ?');
});

void describe('iot-ota upload in GitHub Actions', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;
	let firmwarePath: string;
	let summaryFile: string;

	const env = (extra: NodeJS.ProcessEnv) =>
		cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
			...extra,
		});

	before(async () => {
		work = tempDir('iot-ota-cli-gha-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
		firmwarePath = path.join(work, 'app.bin');
		writeFileSync(firmwarePath, randomBytes(64 * 1024));
		summaryFile = path.join(work, 'summary.md');
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('a registered upload appends its summary (FirmwareId included); stdout stays one JSON object', async () => {
		writeFileSync(summaryFile, '');
		const args = [
			'upload',
			firmwarePath,
			'--endpoint',
			sandbox.endpoint,
			'--create',
			'--product-key',
			sandbox.productKey,
			'--dest-version',
			'1.0.0',
			'--json',
		];
		const run = await runCli(cli.cliPath, args, { env: env({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile }), cwd: work });
		assert.equal(run.code, 0, run.stderr);
		const result = parseJsonOutput(run);
		const summary = readFileSync(summaryFile, 'utf8');
		assert.match(summary, /^### iot-ota upload\n/);
		assert.ok(summary.includes(`| FirmwareId | \`${String(result.firmwareId)}\` |`), summary);
		assert.ok(summary.includes(`| FirmwareUrl | ${escapeMarkdown(String(result.firmwareUrl))} |`), summary);
		assert.ok(!summary.includes(sandbox.accessKeySecret));
	});

	void test('a failure is also an ::error:: annotation on stderr', async () => {
		const run = await runCli(cli.cliPath, ['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json'], {
			env: env({ GITHUB_ACTIONS: 'true', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-value' }),
			cwd: work,
		});
		assert.equal(run.code, 3);
		assert.match(run.stderr, /^::error::.*SignatureDoesNotMatch/m);
		assert.equal((parseJsonOutput(run).error as { code: string }).code, 'SignatureDoesNotMatch');
	});

	void test('outside GitHub Actions: no summary after a success, no annotation after a failure', async () => {
		writeFileSync(summaryFile, '');
		const ok = await runCli(cli.cliPath, ['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json'], {
			env: env({ GITHUB_STEP_SUMMARY: summaryFile }),
			cwd: work,
		});
		assert.equal(ok.code, 0, ok.stderr);
		assert.equal(readFileSync(summaryFile, 'utf8'), '');
		const failed = await runCli(cli.cliPath, ['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json'], {
			env: env({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-value' }),
			cwd: work,
		});
		assert.equal(failed.code, 3);
		assert.ok(!failed.stderr.includes('::error::'));
	});
});

void test('step summaries: a backtick or a line break in a JobId, TaskId or FirmwareId cannot end its code span or forge a line', () => {
	const watch = watchStepSummary({
		jobId: 'j1`\n# forged',
		outcome: 'failed',
		exitCode: 1,
		failures: [{ deviceName: 'dev1', taskId: 't1` | [x](https://h.example) `' }],
	});
	assert.equal(watch.split('\n')[0], '### iot-ota watch: job `j1? # forged` failed (exit 1)');
	assert.ok(watch.includes('| dev1 | `t1? \\| [x](https://h.example) ?` |'), watch);
	const upload = uploadStepSummary({ fileName: 'a.bin', size: 1, md5: 'm', firmwareUrl: 'u', firmwareId: 'f`[x](y)`' });
	assert.ok(upload.includes('| FirmwareId | `f?[x](y)?` |'), upload);
});

void test('step summaries: a link, a pipe or a line break in a file name, device name or cause stays text in its own cell', () => {
	const upload = uploadStepSummary({
		fileName: '[x](https://h.example)|b\n| forged | row |',
		size: 1,
		md5: 'm',
		firmwareUrl: 'u',
		inserted: { file: '<img src=x>.h', path: 'a|b' },
	});
	assert.ok(upload.includes('| File | \\[x\\]\\(https://h\\.example\\)\\|b \\| forged \\| row \\| |\n'), upload);
	assert.ok(upload.includes('| Written to | \\<img src\\=x\\>\\.h at `a\\|b` |\n'), upload);
	assert.ok(!upload.includes('\n| forged'), upload);
	const watch = watchStepSummary({
		jobId: 'j1',
		outcome: 'failed',
		exitCode: 1,
		failures: [{ deviceName: 'd|1', taskId: 't1', cause: '[c](https://h.example)', fix: 'a\r\n| b' }],
	});
	assert.ok(watch.includes('| d\\|1 | `t1` | \\[c\\]\\(https://h\\.example\\) | a \\| b |'), watch);
});

/** A GFM table row's cells as GitHub (cmark-gfm) splits them: a backslash and the ASCII punctuation after it are one pair. */
function gfmCells(row: string): string[] {
	const cells: string[] = [];
	let current = '';
	for (let i = 0; i < row.length; i++) {
		if (row[i] === '\\' && /[!-/:-@[-`{-~]/.test(row[i + 1] ?? '')) {
			current += row.slice(i, i + 2);
			i++;
		} else if (row[i] === '|') {
			cells.push(current);
			current = '';
		} else {
			current += row[i];
		}
	}
	return [...cells, current].slice(1, -1).map((cell) => cell.trim());
}

void test('step summaries: a backslash before a pipe in a TaskId, FirmwareId or key path cannot split its code cell', () => {
	const hostile = 'x\\|[l](https://h.example)\\\\|y';
	const upload = uploadStepSummary({
		fileName: 'a.bin',
		size: 1,
		md5: 'm',
		firmwareUrl: 'u',
		firmwareId: hostile,
		inserted: { file: 'c.h', path: hostile },
	});
	const rows = upload.split('\n').filter((row) => row.startsWith('| FirmwareId') || row.startsWith('| Written to'));
	assert.deepEqual(
		rows.map((row) => gfmCells(row).length),
		[2, 2],
		upload,
	);
	const watch = watchStepSummary({ jobId: 'j1', outcome: 'failed', exitCode: 1, failures: [{ deviceName: 'd', taskId: hostile }] });
	const failure = watch.split('\n').find((row) => row.startsWith('| d '));
	const cells = gfmCells(failure ?? '');
	assert.equal(cells.length, 4, watch);
	assert.ok(cells[1].startsWith('`x') && cells[1].endsWith('|y`'), 'the whole TaskId stays in its one code span');
});
