import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandArgs } from '../../../src/cli/args';
import { INSPECT_SPEC } from '../../../src/cli/commands/inspect';
import { connectionArgs } from '../../../src/cli/connection';
import { insertTargetFrom, UPLOAD_SPEC, uploadOptionsFrom } from '../../../src/cli/commands/upload';
import { exitCodeFor, pendingRegistrationText, SafeOutput, type CliContext } from '../../../src/cli/io';
import { createProgressReporter, describeProgress } from '../../../src/cli/progress';
import { cancelledButRegistered, OtaError } from '../../../src/core/errors';
import type { UploadProgress } from '../../../src/core/types';

function captureContext(): { ctx: CliContext; stdout: string[]; stderr: string[] } {
	const stdout: string[] = [];
	const stderr: string[] = [];
	const ctx: CliContext = {
		env: {},
		stdout: { write: (s: string) => stdout.push(s) },
		stderr: { write: (s: string) => stderr.push(s) },
		signal: new AbortController().signal,
		cwd: '/work',
	};
	return { ctx, stdout, stderr };
}

void describe('argument parsing', () => {
	void test('unknown flags are usage errors that list the valid flags', () => {
		assert.throws(
			() => parseCommandArgs(UPLOAD_SPEC, ['fw.bin', '--bogus']),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'UsageError' &&
				/--bogus/.test(error.message) &&
				/--dest-version/.test(error.hint ?? ''),
		);
	});

	void test('a missing file argument and extra arguments are usage errors; upload takes several files (a package)', () => {
		assert.throws(() => parseCommandArgs(UPLOAD_SPEC, []), /Missing argument/);
		assert.deepEqual(parseCommandArgs(UPLOAD_SPEC, ['a.bin', 'b.bin']).positionals, ['a.bin', 'b.bin']);
		assert.throws(() => parseCommandArgs(INSPECT_SPEC, ['a.bin', 'b.bin']), /Unexpected argument "b.bin"/);
	});

	void test('create flags without --create, and --create without its required flags, are refused', () => {
		const parse = (argv: string[]) => uploadOptionsFrom(parseCommandArgs(UPLOAD_SPEC, argv), '/work');
		assert.throws(() => parse(['fw.bin', '--dest-version', '1.0']), /only apply together with --create/);
		assert.throws(() => parse(['fw.bin', '--create', '--dest-version', '1']), /--create needs --product-key/);
		assert.throws(() => parse(['fw.bin', '--force-new']), /--force-new only apply together with --create/);
		// Without --dest-version the image's own version is taken (prepareFlow refuses when it declares none).
		const fromImage = parse(['fw.bin', '--create', '--product-key', 'pk', '--differential', '--src-version', '0.9']);
		assert.deepEqual(
			{ v: fromImage.create?.destVersion, type: fromImage.create?.type, src: fromImage.create?.srcVersion },
			{ v: undefined, type: 1, src: '0.9' },
		);
		assert.throws(
			() => parse(['fw.bin', '--create', '--product-key', 'pk', '--dest-version', '1', '--sign-method', 'crc']),
			/MD5 or SHA256/,
		);
		const ok = parse(['fw.bin', '--create', '--product-key', 'pk', '--dest-version', '1', '--sign-method', 'sha256']);
		assert.equal(ok.file, '/work/fw.bin');
		assert.deepEqual(
			{ pk: ok.create?.productKey, v: ok.create?.destVersion, s: ok.create?.signMethod },
			{ pk: 'pk', v: '1', s: 'SHA256' },
		);
	});

	void test('--insert splits FILE#KEY at the last #', () => {
		assert.deepEqual(insertTargetFrom('cfg/a#b.json#ota.url', '/p'), { file: '/p/cfg/a#b.json', keyPath: 'ota.url' });
		assert.throws(() => insertTargetFrom('config.json', '/p'), /FILE#KEY.PATH/);
		assert.throws(() => insertTargetFrom('config.json#', '/p'), /FILE#KEY.PATH/);
	});
});

void describe('exit codes and error output', () => {
	const err = (source: OtaError['source'], code = 'X') => new OtaError({ code, source, message: 'm' });

	void test('map each error source to its documented exit code', () => {
		assert.equal(exitCodeFor(err('validation')), 2);
		assert.equal(exitCodeFor(err('config')), 2);
		assert.equal(exitCodeFor(err('credentials')), 3);
		assert.equal(exitCodeFor(err('api', 'SignatureDoesNotMatch')), 3);
		assert.equal(exitCodeFor(err('api', 'iot.prod.NotExistedProduct')), 4);
		assert.equal(exitCodeFor(err('oss')), 4);
		assert.equal(exitCodeFor(err('network')), 4);
		assert.equal(exitCodeFor(err('cancelled')), 130);
	});

	void test('--json failures are one JSON object with code, message and requestId; secrets are masked', () => {
		const { ctx, stdout } = captureContext();
		const out = new SafeOutput(ctx);
		out.addSecrets('TopSecretValue123');
		const code = out.fail(
			new OtaError({ code: 'Boom', source: 'api', message: 'bad TopSecretValue123', requestId: 'RID-1', hint: 'Do X.' }),
			true,
		);
		assert.equal(code, 4);
		assert.equal(stdout.length, 1);
		assert.deepEqual(JSON.parse(stdout[0]), { error: { code: 'Boom', message: 'bad *** Do X.', requestId: 'RID-1' } });
	});

	void test('human failures go to stderr; cancellation prints "Cancelled"', () => {
		const { ctx, stdout, stderr } = captureContext();
		const out = new SafeOutput(ctx);
		assert.equal(out.fail(new OtaError({ code: 'Cancelled', source: 'cancelled', message: 'Cancelled during upload.' }), false), 130);
		assert.deepEqual(stdout, []);
		assert.deepEqual(stderr, ['Cancelled\n']);
	});

	void test('a cancel that left a package registered is an error naming the CLI command that deletes it (exit 130, text and JSON, which also has the FirmwareId as a field)', () => {
		const kept = cancelledButRegistered('fw-1', 'Throttled');
		const message = 'Cancelled, but the OTA firmware fw-1 registered just before could not be deleted (Throttled).';
		const hint = 'Delete it with: iot-ota firmware delete fw-1 --yes';
		const human = captureContext();
		assert.equal(new SafeOutput(human.ctx).fail(kept, false), 130);
		assert.deepEqual(human.stderr, [`Error: ${message} ${hint} (CancelledButRegistered)\n`]);
		const json = captureContext();
		assert.equal(new SafeOutput(json.ctx).fail(kept, true), 130);
		assert.deepEqual(JSON.parse(json.stdout[0]), {
			error: { code: 'CancelledButRegistered', message: `${message} ${hint}`, firmwareId: 'fw-1' },
		});
	});

	void test('the delete line repeats the run’s connection flags (quoted for the shell), and no other flag', () => {
		const words = connectionArgs({
			profile: 'work',
			region: 'cn-shanghai',
			instance: 'iot-cn-1',
			endpoint: 'http://10.0.0.2:8080/?a=b&c',
			'allow-insecure-endpoint': true,
			'product-key': 'pk',
			name: 'fw',
			verbose: true,
		});
		const connection =
			"--region cn-shanghai --instance iot-cn-1 --endpoint 'http://10.0.0.2:8080/?a=b&c' --allow-insecure-endpoint --profile work";
		assert.equal(words.join(' '), connection);
		assert.deepEqual(connectionArgs({ 'product-key': 'pk', region: ' ' }), []);
		const human = captureContext();
		const out = new SafeOutput(human.ctx);
		out.setConnectionArgs(words);
		out.fail(cancelledButRegistered('fw-1', 'Throttled'), false);
		const hint = `Delete it with: iot-ota firmware delete fw-1 --yes ${connection} (CancelledButRegistered)\n`;
		assert.ok(human.stderr[0].endsWith(hint), human.stderr[0]);
		// `firmware delete` without --yes suggests its line from the same words: they are worked out once per run.
		assert.equal(out.deletePackageLine('fw-2'), `iot-ota firmware delete fw-2 --yes ${connection}`);
	});

	void test('a FirmwareId the endpoint answered is quoted in the delete line, so pasting it runs nothing else', () => {
		const human = captureContext();
		new SafeOutput(human.ctx).fail(cancelledButRegistered('fw-1; touch pwned', 'Throttled'), false);
		assert.ok(human.stderr[0].includes("Delete it with: iot-ota firmware delete 'fw-1; touch pwned' --yes"), human.stderr[0]);
		const undo = pendingRegistrationText({ step: 'undo', firmwareId: 'fw-2 $(id)' });
		assert.ok(undo.endsWith("Delete it with: iot-ota firmware delete 'fw-2 $(id)' --yes"), undo);
	});

	void test('a registration in doubt: both follow-up lines (look, delete) repeat the run’s connection flags', () => {
		const connection = ['--region', 'cn-beijing', '--profile', "'my work'"];
		const text = pendingRegistrationText(
			{ step: 'create', request: { firmwareName: 'fw', productKey: 'pk', destVersion: '1.0.0' } },
			connection,
		);
		assert.ok(
			text.endsWith(
				"Look for it with: iot-ota firmware list --product-key pk --dest-version 1.0.0 --region cn-beijing --profile 'my work'; " +
					"delete it (iot-ota firmware delete '<FirmwareId>' --yes --region cn-beijing --profile 'my work') if it is not wanted.",
			),
			text,
		);
	});
});

void describe('progress', () => {
	const progress = (bytesSent: number, extra: Partial<UploadProgress> = {}): UploadProgress => ({
		phase: 'uploading',
		bytesSent,
		totalBytes: 4 * 1024 * 1024,
		bytesPerSecond: 1024 * 1024,
		attempt: 1,
		...extra,
	});

	void test('describes percent, MB sent/total, MB/s and ETA', () => {
		assert.equal(describeProgress(progress(1024 * 1024)), ' 25%  1.0 / 4.0 MB  1.0 MB/s  ETA 3 s');
		assert.equal(describeProgress(progress(0, { bytesPerSecond: 0 })), '  0%  0.0 / 4.0 MB  --  ETA --');
	});

	void test('a TTY bar is redrawn at most 10 times per second', () => {
		let now = 0;
		const writes: string[] = [];
		const reporter = createProgressReporter({ isTTY: true, write: (s: string) => writes.push(s) }, () => now);
		for (let i = 0; i < 100; i++) {
			now += 10; // 1 s in total
			reporter.update(progress(i * 1000));
		}
		assert.ok(writes.length <= 11, `redrawn ${writes.length} times`);
		assert.ok(writes.every((w) => w.startsWith('\r')));
		reporter.finish();
		assert.equal(writes.at(-1), '\n');
	});

	void test('without a TTY only periodic plain lines and retries are printed', () => {
		let now = 0;
		const writes: string[] = [];
		const reporter = createProgressReporter({ write: (s: string) => writes.push(s) }, () => now);
		for (let i = 0; i < 50; i++) {
			now += 100; // 5 s in total
			reporter.update(progress(i * 1000));
		}
		reporter.update(progress(0, { attempt: 2, phase: 'retrying' }));
		reporter.finish();
		assert.equal(writes.length, 3);
		assert.ok(writes.every((w) => w.endsWith('\n') && !w.includes('\r')));
		assert.match(writes[2], /attempt 2/);
	});
});
