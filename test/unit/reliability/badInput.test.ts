// Bad input through the CLI (`iot-ota upload … --json`): every case is refused with ONE
// message, pinned here word for word (message + hint as the JSON shows it), the documented exit code,
// and — for local mistakes — before any network call. Most cases run the CLI's entry point in this process
// (same argument parsing, output and exit-code mapping; spawning ~50 processes would cost ~15 s of CPU);
// the cases that depend on the process itself (another uid, stderr warnings, exit status) spawn dist-like bundles.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { runCli as runCliInProcess } from '../../../src/cli/main';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, type CliRun } from '../cli/cliHarness';
import { installTripwire, removeDir, tempDir, waitFor, withDeadline } from '../../support/reliability';

const tripwire = installTripwire();
const ALLOWED = 'bin, dav, apk, tar, gz, tar.gz, zip, gzip';

interface Expected {
	exit: number;
	code: string;
	/** Exact JSON message: the error message, a space, then the hint. */
	message: string;
	requestId?: boolean;
	/** Local mistakes must fail before anything is sent. */
	offline?: boolean;
}

/**
 * An endpoint that must never be reached: local mistakes are pointed at it, and any request it sees fails
 * that test alone (so the cases can run concurrently and one regression does not cascade).
 */
async function untouchedEndpoint(): Promise<{ endpoint: string; hits: () => number; close: () => Promise<void> }> {
	let hits = 0;
	const server = createHttpServer((_req, res) => {
		hits++;
		res.writeHead(500).end('this endpoint must not be called');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits: () => hits,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const OFFLINE_CREDS = {
	ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tOfflineCheckKey',
	ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'OfflineCheckSecret0123456789',
};

// Each case spawns its own CLI process and owns its files, so the cases run side by side.
void describe('reliability: bad input is refused with one exact message (CLI)', { concurrency: 8 }, () => {
	let work: string;
	let sandbox: Sandbox;
	let enterprise: Sandbox;
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let firmware: string;
	let socketServer: Server;

	const creds = (target: Sandbox = sandbox): NodeJS.ProcessEnv => ({
		ALIBABA_CLOUD_ACCESS_KEY_ID: target.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: target.accessKeySecret,
	});
	const run = (args: string[], env: NodeJS.ProcessEnv = creds(), target: Sandbox = sandbox): Promise<CliRun> =>
		runCli(cli.cliPath, [...args, ...(args.includes('--endpoint') ? [] : ['--endpoint', target.endpoint]), '--json'], {
			env: cleanEnv(path.join(work, 'home'), env),
			cwd: work,
		});
	const file = (name: string): string => path.join(work, name);
	/** `iot-ota <args>` through the CLI's entry point in this process, with its own env (no aliyun profile of the machine). */
	async function inProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
		let stdout = '';
		let stderr = '';
		const code = await runCliInProcess(args, {
			env: { HOME: path.join(work, 'home'), ALIBABA_CLOUD_IGNORE_PROFILE: 'TRUE', ...env },
			stdout: { write: (chunk: string) => (stdout += chunk) },
			stderr: { write: (chunk: string) => (stderr += chunk) },
			signal: new AbortController().signal,
			cwd: work,
		});
		return { code, signal: null, stdout, stderr };
	}
	const runNet = (args: string[], env: NodeJS.ProcessEnv = creds(), target: Sandbox = sandbox): Promise<CliRun> =>
		inProcess([...args, '--endpoint', target.endpoint, '--json'], env);

	/** A local mistake: the CLI gets an endpoint (and proxy) that must stay untouched. */
	async function runOffline(args: string[], env: NodeJS.ProcessEnv = OFFLINE_CREDS): Promise<CliRun & { hits: number }> {
		const guard = await untouchedEndpoint();
		try {
			const result = await inProcess([...args, '--endpoint', guard.endpoint, '--json'], {
				HTTPS_PROXY: guard.endpoint,
				HTTP_PROXY: guard.endpoint,
				...env,
			});
			return { ...result, hits: guard.hits() };
		} finally {
			await guard.close();
		}
	}

	async function expectRefused(
		result: (CliRun & { hits?: number }) | Promise<CliRun & { hits?: number }>,
		expected: Expected,
	): Promise<{ code: string; message: string; requestId?: string }> {
		const outcome: CliRun & { hits?: number } = await result;
		assert.equal(outcome.code, expected.exit, `exit code; stdout=${outcome.stdout} stderr=${outcome.stderr}`);
		const body = parseJsonOutput(outcome) as { error: { code: string; message: string; requestId?: string } };
		assert.deepEqual(Object.keys(body), ['error']);
		assert.equal(body.error.code, expected.code);
		assert.equal(body.error.message, expected.message);
		if (expected.requestId) {
			assert.match(body.error.requestId ?? '', /^[0-9A-F-]{36}$/, 'no RequestId');
		} else {
			assert.equal(body.error.requestId, undefined);
		}
		if (expected.offline) {
			assert.equal(outcome.hits, 0, 'a request was sent for a local mistake');
		}
		return body.error;
	}

	before(async () => {
		work = tempDir('iot-ota-rel-input-');
		[cli, sandbox, enterprise] = await Promise.all([
			buildCli(),
			startSandbox({ dataDir: path.join(work, 'sandbox'), qps: 1000 }),
			startSandbox({ dataDir: path.join(work, 'enterprise'), qps: 1000, requireInstanceId: true }),
		]);
		firmware = file('fw.bin');
		writeFileSync(firmware, Buffer.alloc(4096, 7));
		socketServer = createServer();
		await new Promise<void>((resolve) => socketServer.listen(file('fw-socket.bin'), resolve));
	});

	afterEach(() => tripwire.assertClean());

	after(async () => {
		socketServer?.close();
		await withDeadline(Promise.all([sandbox?.stop(), enterprise?.stop()]), 10_000, 'sandbox.stop()');
		cli?.dispose();
		removeDir(work);
	});

	// ── the firmware file ─────────────────────────────────────────────────────────────────────────

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
			'FileIsDirectory',
			(p) => `Firmware path is a directory, not a file: ${p} Pick the built firmware file inside it.`,
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

	// ── credentials ───────────────────────────────────────────────────────────────────────────────

	const MISSING =
		'No Alibaba Cloud credentials found. Either set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys), or configure the aliyun CLI (`aliyun configure`, stored in ~/.aliyun/config.json; choose a profile with --profile).';
	const credentialCases: Array<[string, () => NodeJS.ProcessEnv, Expected]> = [
		[
			'empty id and secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' }),
			{ exit: 3, code: 'MissingCredentials', message: MISSING, offline: true },
		],
		[
			'a whitespace-only secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: '   ' }),
			{
				exit: 3,
				code: 'IncompleteEnvCredentials',
				message:
					'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not. Set both variables, or unset both to use another credential source.',
				offline: true,
			},
		],
		[
			'an id with a space inside',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5t Sandbox', ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret }),
			{
				exit: 3,
				code: 'InvalidAccessKeyId',
				message: 'The AccessKey ID contains spaces. Copy the AccessKey ID again without spaces or line breaks.',
				offline: true,
			},
		],
		[
			'a secret with a line break inside',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'abc\ndef' }),
			{
				exit: 3,
				code: 'InvalidAccessKeySecret',
				message: 'The AccessKey Secret contains spaces. Copy the AccessKey Secret again without spaces or line breaks.',
				offline: true,
			},
		],
		[
			'a wrong secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'WrongSecretWrongSecret0123' }),
			{
				exit: 3,
				code: 'SignatureDoesNotMatch',
				message:
					'GenerateOTAUploadURL failed: Specified signature is not matched with our calculation. Check the AccessKey Secret: it does not match the AccessKey ID.',
				requestId: true,
			},
		],
		[
			'an unknown AccessKey ID',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tNobodyHasThisKey', ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret }),
			{
				exit: 3,
				code: 'InvalidAccessKeyId.NotFound',
				message: 'GenerateOTAUploadURL failed: Specified access key is not found. Check the AccessKey ID: no such key exists.',
				requestId: true,
			},
		],
		[
			'an STS key without its token',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.sts.accessKeySecret }),
			{
				exit: 3,
				code: 'MissingSecurityToken',
				message:
					'The AccessKey ID is a temporary STS key but no STS security token was given. Provide the SecurityToken returned together with the STS key (ALIBABA_CLOUD_SECURITY_TOKEN), or use a permanent AccessKey.',
				offline: true,
			},
		],
		[
			'an STS key with another token',
			() => ({
				ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.sts.accessKeySecret,
				ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISnotTheRightToken/+=',
			}),
			{
				exit: 3,
				code: 'InvalidSecurityToken.MismatchWithAccessKey',
				message:
					'GenerateOTAUploadURL failed: Specified SecurityToken mismatch with the AccessKey. Check the STS token: it must be the one issued with this STS AccessKey ID.',
				requestId: true,
			},
		],
	];
	for (const [what, env, expected] of credentialCases) {
		void test(`credentials: ${what} → ${expected.code}, exit ${expected.exit}`, async () => {
			await expectRefused(expected.offline ? runOffline(['upload', firmware], env()) : runNet(['upload', firmware], env()), expected);
		});
	}

	void test('credentials: without --json a rejected key is exactly one "Error:" line on stderr (no extra warn line), nothing on stdout', async () => {
		const result = await inProcess(['upload', firmware, '--endpoint', sandbox.endpoint], {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'WrongSecretWrongSecret0123',
		});
		assert.equal(result.code, 3);
		assert.equal(result.stdout, '');
		assert.match(
			result.stderr,
			/^Error: GenerateOTAUploadURL failed: Specified signature is not matched with our calculation\. Check the AccessKey Secret: it does not match the AccessKey ID\. \(SignatureDoesNotMatch, RequestId: [0-9A-F-]{36}\)\n$/,
		);
	});

	void test('credentials: an expired STS token (gateway InvalidSecurityToken.Expired) → exit 3 with the refresh hint', async () => {
		// A sandbox of its own: the injected answer must not be taken by a concurrent case.
		const own = await startSandbox({ dataDir: path.join(work, 'sts-expired') });
		try {
			own.faults.add({
				target: 'api',
				action: 'GenerateOTAUploadURL',
				kind: 'status',
				status: 400,
				code: 'InvalidSecurityToken.Expired',
			});
			const env = {
				ALIBABA_CLOUD_ACCESS_KEY_ID: own.sts.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: own.sts.accessKeySecret,
				ALIBABA_CLOUD_SECURITY_TOKEN: own.sts.securityToken,
			};
			await expectRefused(runNet(['upload', firmware], env, own), {
				exit: 3,
				code: 'InvalidSecurityToken.Expired',
				message:
					'GenerateOTAUploadURL failed: The request processing has failed due to some unknown error (fault injected by the sandbox). Refresh the STS token: it has expired.',
				requestId: true,
			});
		} finally {
			await own.stop();
		}
	});

	void test('instance: an Enterprise-only account without --instance → iot.system.InstanceNotFound with the hint, exit 4', async () => {
		const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: enterprise.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: enterprise.accessKeySecret };
		await expectRefused(runNet(['upload', firmware], env, enterprise), {
			exit: 4,
			code: 'iot.system.InstanceNotFound',
			message:
				'GenerateOTAUploadURL failed: The specified instance does not exist. Set the IotInstanceId of your Enterprise instance (IoT Platform console → Instances), or check that it belongs to this region.',
			requestId: true,
		});
		await expectRefused(runNet(['upload', firmware, '--instance', 'iot-not-mine'], env, enterprise), {
			exit: 4,
			code: 'iot.system.InstanceNotFound',
			message:
				'GenerateOTAUploadURL failed: The specified instance does not exist. Check the IotInstanceId: it must be the ID of an Enterprise instance in this region.',
			requestId: true,
		});
		const ok = await runNet(['upload', firmware, '--instance', enterprise.enterpriseInstanceId], env, enterprise);
		assert.equal(ok.code, 0, ok.stdout + ok.stderr);
	});

	// ── CreateOTAFirmware fields ──────────────────────────────────────────────────────────────────

	// Built when the test runs: the sandbox and the firmware path only exist after before().
	const create =
		(...extra: string[]) =>
		(): string[] => ['upload', firmware, '--create', '--product-key', sandbox.productKey, ...extra];
	const long41 = `a${'b'.repeat(40)}`;
	const fieldCases: Array<[string, () => string[], string, string]> = [
		[
			'a 41-character name',
			create('--dest-version', '1.0', '--name', long41),
			'InvalidFirmwareName',
			`Invalid FirmwareName "${long41}": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.`,
		],
		[
			'a name with "!" and a space',
			create('--dest-version', '1.0', '--name', 'fw v1!'),
			'InvalidFirmwareName',
			'Invalid FirmwareName "fw v1!": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.',
		],
		[
			'a name starting with "_"',
			create('--dest-version', '1.0', '--name', '_fw'),
			'InvalidFirmwareName',
			'Invalid FirmwareName "_fw": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.',
		],
		[
			'a version with a space',
			create('--dest-version', '1 0'),
			'InvalidDestVersion',
			'Invalid DestVersion "1 0": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a version with "+build"',
			create('--dest-version', '1.0.0+build.5'),
			'InvalidDestVersion',
			'Invalid DestVersion "1.0.0+build.5": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a 65-character version',
			create('--dest-version', '9'.repeat(65)),
			'InvalidDestVersion',
			`Invalid DestVersion "${'9'.repeat(65)}": must be 1–64 characters: letters, digits, ".", "_" and "-".`,
		],
		[
			'an empty version',
			create('--dest-version', ''),
			'InvalidDestVersion',
			'Invalid DestVersion "": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a source version with "/"',
			create('--dest-version', '2.0', '--src-version', '1/0'),
			'InvalidSrcVersion',
			'Invalid SrcVersion "1/0": must be 1–64 characters: letters, digits, ".", "_" and "-"; required for a delta package (Type 1) and different from DestVersion.',
		],
		[
			'a module name with a space',
			create('--dest-version', '2.0', '--module', 'wifi fw'),
			'InvalidModuleName',
			'Invalid ModuleName "wifi fw": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a 101-character description',
			create('--dest-version', '2.0', '--desc', 'd'.repeat(101)),
			'InvalidFirmwareDesc',
			'Invalid FirmwareDesc: must be at most 100 characters (got 101).',
		],
		[
			'a product key with "-"',
			() => ['upload', firmware, '--create', '--product-key', 'a1-bad', '--dest-version', '2.0'],
			'InvalidProductKey',
			'Invalid ProductKey "a1-bad": must be a product key of 1–64 letters and digits.',
		],
	];
	for (const [what, args, code, message] of fieldCases) {
		void test(`CreateOTAFirmware: ${what} → ${code}, exit 2, nothing uploaded`, async () => {
			await expectRefused(runOffline(args()), { exit: 2, code, message, offline: true });
		});
	}

	// ── config targets ────────────────────────────────────────────────────────────────────────────

	const configCases: Array<[string, string, string, string, string, (p: string) => string]> = [
		[
			'malformed JSON',
			'bad.json',
			'{ "ota": ',
			'ota.url',
			'ConfigSyntaxError',
			() => 'Malformed JSON at line 1, column 10: value expected. The file was not changed. Fix the syntax error and try again.',
		],
		[
			'malformed YAML',
			'bad.yaml',
			'ota: x\n  y: z\n',
			'ota.url',
			'ConfigSyntaxError',
			() =>
				'Malformed YAML at line 1, column 6: Nested mappings are not allowed in compact mappings. The file was not changed. Fix the syntax error and try again.',
		],
		[
			'a key path through a string',
			'str.json',
			'{ "ota": "x" }\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is a string, not an object, so it cannot hold the key "url". The file was not changed.',
		],
		[
			'a key path through a YAML number',
			'num.yaml',
			'ota: 3\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is a number, not an object, so it cannot hold the key "url". The file was not changed.',
		],
		[
			'a key path through an array',
			'arr.json',
			'{ "ota": [1] }\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is an array; pick an item with an index, e.g. "ota[0].url". The file was not changed.',
		],
		[
			'an empty key in the path',
			'empty-key.json',
			'{}\n',
			'a..b',
			'InvalidKeyPath',
			() =>
				'Invalid key path "a..b": empty key at position 3. The file was not changed. Use dots between keys (a.b.c), [0] for array items, and quotes for keys containing dots: a."b.c" or a["b.c"].',
		],
		[
			'a file that does not exist',
			'absent.json',
			'',
			'ota.url',
			'ConfigNotFound',
			(p) => `The config file ${p} does not exist. Create it first, or check the path before the #.`,
		],
	];
	for (const [what, name, text, keyPath, code, message] of configCases) {
		void test(`config: ${what} → ${code}, exit 2, refused before the upload, file unchanged`, async () => {
			const p = file(name);
			if (code !== 'ConfigNotFound') {
				writeFileSync(p, text);
			}
			await expectRefused(runOffline(['upload', firmware, '--insert', `${p}#${keyPath}`]), {
				exit: 2,
				code,
				message: message(p),
				offline: true,
			});
			if (code !== 'ConfigNotFound') {
				assert.equal(readFileSync(p, 'utf8'), text);
			}
		});
	}

	void test('config: a read-only target is refused before the upload (ConfigFileReadOnly), and left unchanged', async () => {
		const p = file('locked.json');
		const text = '{ "ota": { "url": "" } }\n';
		writeFileSync(p, text);
		chmodSync(p, 0o444);
		await expectRefused(runOffline(['upload', firmware, '--insert', `${p}#ota.url`]), {
			exit: 2,
			code: 'ConfigFileReadOnly',
			message: `Config file ${p} is read-only. The file was not changed. Make it writable (e.g. chmod u+w) and try again.`,
			offline: true,
		});
		assert.equal(readFileSync(p, 'utf8'), text);
	});

	void test('config: the target deleted during the upload → one ConfigFileNotFound error that still hands over the FirmwareUrl', async () => {
		// Its own sandbox: the delay rule must not be taken by a concurrent case.
		const own = await startSandbox({ dataDir: path.join(work, 'deleted-meanwhile'), qps: 1000 });
		try {
			const p = file('vanishing.json');
			writeFileSync(p, '{ "ota": { "url": "" } }\n');
			own.faults.add({ target: 'oss', action: 'PostObject', kind: 'delay', ms: 300 });
			const storedKeys: string[] = [];
			own.events.on('objectStored', (e: { key: string }) => storedKeys.push(e.key));
			const pending = runNet(['upload', firmware, '--insert', `${p}#ota.url`], creds(own), own);
			await waitFor(() => (own.stats.apiCalls.GenerateOTAUploadURL ?? 0) === 1, 5000, 'the upload to start');
			rmSync(p);
			const outcome = await pending;
			const error = await expectRefused(outcome, {
				exit: 2,
				code: 'ConfigFileNotFound',
				message: `Config file not found: ${p}. The file was not changed.`,
			});
			assert.equal(own.stats.ossUploads, 1);
			// The upload itself worked: the user must not lose the URL it produced (as a field or in the message).
			const firmwareUrl = `${own.ossHost}/${storedKeys[0]}`;
			assert.ok(
				outcome.stdout.includes(firmwareUrl),
				`the FirmwareUrl ${firmwareUrl} of the finished upload is not in the output: ${JSON.stringify(error)}`,
			);
		} finally {
			await own.stop();
		}
	});

	// ── endpoint ──────────────────────────────────────────────────────────────────────────────────

	const endpointHint =
		'Use a URL such as https://iot.cn-shanghai.aliyuncs.com, or leave the endpoint empty to derive it from the region.';
	const endpointCases: Array<[string, string, string, string]> = [
		[
			'not a URL',
			'iot dot example',
			'InvalidEndpoint',
			`The IoT endpoint "iot dot example" is not usable: it is not a URL. ${endpointHint}`,
		],
		[
			'an ftp:// URL',
			'ftp://127.0.0.1/',
			'InvalidEndpoint',
			`The IoT endpoint "ftp://127.0.0.1/" is not usable: the scheme must be https (got ftp). ${endpointHint}`,
		],
		[
			'a URL with a query string',
			'https://iot.cn-shanghai.aliyuncs.com/?x=1',
			'InvalidEndpoint',
			`The IoT endpoint "https://iot.cn-shanghai.aliyuncs.com/?x=1" is not usable: it must not contain a query string or fragment. ${endpointHint}`,
		],
		[
			'credentials in the URL (not echoed)',
			'https://LTAI:s3cr3tValue@iot.example.com',
			'InvalidEndpoint',
			`The IoT endpoint "https://***@iot.example.com" is not usable: it must not contain a user name or password. ${endpointHint}`,
		],
		[
			'plain http to a non-loopback host',
			'http://iot.example.com',
			'InsecureEndpoint',
			'The IoT endpoint iot.example.com uses plain http, which would send your credentials unencrypted. Use https, or explicitly allow insecure endpoints for testing.',
		],
	];
	for (const [what, endpoint, code, message] of endpointCases) {
		void test(`endpoint: ${what} → ${code}, exit 2, nothing sent`, async () => {
			// Any request would go through the "proxy", a local guard that counts it: nothing leaves 127.0.0.1 even on a regression.
			const guard = await untouchedEndpoint();
			try {
				const result = await inProcess(['upload', firmware, '--endpoint', endpoint, '--json'], {
					...OFFLINE_CREDS,
					HTTPS_PROXY: guard.endpoint,
					HTTP_PROXY: guard.endpoint,
				});
				await expectRefused({ ...result, hits: guard.hits() }, { exit: 2, code, message, offline: true });
			} finally {
				await guard.close();
			}
		});
	}

	void test('endpoint: plain http to an address the loopback check does not recognise works only with --allow-insecure-endpoint', async () => {
		// [::ffff:127.0.0.1] is this machine, but it is not on the loopback list: the flag is what lets it through.
		const mapped = sandbox.endpoint.replace('127.0.0.1', '[::ffff:127.0.0.1]');
		const refused = await run(['upload', firmware, '--endpoint', mapped]);
		assert.equal(refused.code, 2, refused.stdout);
		assert.equal((parseJsonOutput(refused).error as { code: string }).code, 'InsecureEndpoint');
		const allowed = await run(['upload', firmware, '--endpoint', mapped, '--allow-insecure-endpoint']);
		assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
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
