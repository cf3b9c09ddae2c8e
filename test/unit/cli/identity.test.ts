// The image's identity before anything ships, through the CLI as users run it (node cli.js) against the sandbox:
// the version guard, the damaged-image guard and the reuse of a package with the same content.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { espImage, flipByte, mcubootImage, pattern } from '../../support/firmware';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir, type CliRun } from './cliHarness';

void describe('iot-ota upload: the image is read before anything ships', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let client: IotClient;
	let work: string;

	const env = () =>
		cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
		});
	const file = (name: string, bytes: Buffer): string => {
		const p = path.join(work, name);
		writeFileSync(p, bytes);
		return p;
	};
	const upload = (firmware: string, ...args: string[]): Promise<CliRun> =>
		runCli(cli.cliPath, ['upload', firmware, '--endpoint', sandbox.endpoint, ...args], { env: env(), cwd: work });
	const create = (firmware: string, ...args: string[]): Promise<CliRun> =>
		upload(firmware, '--json', '--create', '--product-key', sandbox.productKey, ...args);
	/** The sandbox's own request log: what the run sent (it is cleared before each test). */
	const sent = (): string[] => sandbox.requests.entries.map((e) => e.action);

	before(async () => {
		work = tempDir('iot-ota-cli-identity-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
		client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox.sts });
	});
	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});
	beforeEach(() => sandbox.requests.clear());

	void test('an image registered under the version it declares; without --dest-version that version is taken', async () => {
		const esp = file('match.bin', espImage({ app: { version: '1.2.0', projectName: 'match' } }));
		const matching = await create(esp, '--dest-version', '1.2.0');
		assert.equal(matching.code, 0, matching.stderr);
		assert.equal((await client.queryOtaFirmware(String(parseJsonOutput(matching).firmwareId))).destVersion, '1.2.0');

		// MCUboot's own spelling 2.0.1+3 has a "+", which DestVersion does not allow: the mcumgr spelling is taken.
		const zephyr = file('zephyr.signed.bin', mcubootImage({ version: { major: 2, minor: 0, revision: 1, build: 3 } }));
		const implicit = await create(zephyr);
		assert.equal(implicit.code, 0, implicit.stderr);
		const info = await client.queryOtaFirmware(String(parseJsonOutput(implicit).firmwareId));
		assert.equal(info.destVersion, '2.0.1.3');
		assert.equal(info.firmwareName, `zephyr_signed-2_0_1_3-${String(parseJsonOutput(implicit).sha256).slice(0, 8)}`);
	});

	void test('another --dest-version is refused before any request, naming both versions; --allow-version-mismatch registers it', async () => {
		const esp = file('mismatch.bin', espImage({ app: { version: '1.2.0', projectName: 'mismatch' } }));
		const refused = await upload(esp, '--create', '--product-key', sandbox.productKey, '--dest-version', '1.3.0');
		assert.equal(refused.code, 2, refused.stderr);
		assert.equal(
			refused.stderr,
			'Error: The image declares version 1.2.0 (ESP-IDF app description) but DestVersion is 1.3.0: devices would report 1.2.0 after the update and the OTA verification would fail. ' +
				'Register it as 1.2.0, or rebuild the image; if the image is right as it is, allow the mismatch (--allow-version-mismatch on the command line). (VersionMismatch)\n',
		);
		assert.deepEqual(sent(), []);

		const allowed = await create(esp, '--dest-version', '1.3.0', '--allow-version-mismatch');
		assert.equal(allowed.code, 0, allowed.stderr);
		assert.match(allowed.stderr, /^warning: The image declares version 1\.2\.0 \(ESP-IDF app description\) but DestVersion is 1\.3\.0/);
		assert.equal((await client.queryOtaFirmware(String(parseJsonOutput(allowed).firmwareId))).destVersion, '1.3.0');
	});

	void test('an image that declares no version needs --dest-version', async () => {
		const plain = file('plain.bin', pattern(5000, 3));
		const refused = await upload(plain, '--create', '--product-key', sandbox.productKey);
		assert.equal(refused.code, 2);
		assert.equal(
			refused.stderr,
			'Error: DestVersion is required: "plain.bin" (unrecognised contents) declares no version to take it from. ' +
				'Give the version devices report after the update (--dest-version on the command line), e.g. 1.2.0. (DestVersionRequired)\n',
		);
		assert.deepEqual(sent(), []);
	});

	void test('damaged ESP-IDF and MCUboot images are refused before any request, with one message naming the failed check', async () => {
		const esp = file('damaged-esp.bin', flipByte(espImage({ hashAppended: false }), 400));
		const mcuboot = file('damaged-mcuboot.bin', flipByte(mcubootImage(), 0x200 + 100));
		const espRun = await upload(esp, '--json');
		assert.equal(espRun.code, 2);
		const espError = parseJsonOutput(espRun).error as { code: string; message: string };
		assert.equal(espError.code, 'DamagedImage');
		assert.match(
			espError.message,
			/^The image is damaged \(ESP image checksum: stored 0x[0-9a-f]{2}, computed 0x[0-9a-f]{2}\); rebuild it/,
		);
		const mcubootRun = await upload(mcuboot, '--create', '--product-key', sandbox.productKey, '--dest-version', '1.4.2.7');
		assert.equal(mcubootRun.code, 2);
		assert.match(mcubootRun.stderr, /^Error: The image is damaged \(MCUboot SHA-256 TLV: stored [0-9a-f]{64}, computed [0-9a-f]{64}\)/);
		assert.deepEqual(sent(), []);
	});

	void test('the same product, version and content: the package is reused, nothing uploaded; --force-new uploads anyway', async () => {
		const image = file('dup.bin', espImage({ app: { version: '3.1.0', projectName: 'dup' } }));
		const first = parseJsonOutput(await create(image));
		assert.equal(first.reused, undefined);
		sandbox.requests.clear();

		const config = path.join(work, 'dup.env');
		writeFileSync(config, 'OTA_URL=\n');
		const again = await create(image, '--insert', `${config}#OTA_URL`);
		assert.equal(again.code, 0, again.stderr);
		const reused = parseJsonOutput(again);
		assert.deepEqual(
			{ ...reused, inserted: undefined },
			{
				reused: true,
				uploaded: false,
				firmwareId: first.firmwareId,
				firmwareName: `dup-3_1_0-${String(first.sha256).slice(0, 8)}`,
				destVersion: '3.1.0',
				firmwareUrl: first.firmwareUrl,
				size: first.size,
				md5: first.md5,
				sha256: first.sha256,
				inserted: undefined,
			},
		);
		assert.equal(readFileSync(config, 'utf8'), `OTA_URL=${String(first.firmwareUrl)}\n`);
		assert.deepEqual(sent(), ['ListOTAFirmware'], 'one lookup, no upload ticket, no upload, no registration');
		assert.deepEqual(sandbox.requests.entries[0].params, {
			CurrentPage: '1',
			PageSize: '100',
			DestVersion: '3.1.0',
			RegionId: 'cn-shanghai',
		});

		const human = await upload(image, '--create', '--product-key', sandbox.productKey);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /^Not uploaded: dup\.bin \(\S+ \S+\) is already registered with the same product, version and content/);
		assert.match(
			human.stdout,
			new RegExp(`Reused "dup-3_1_0-[0-9a-f]{8}" \\(FirmwareId ${String(first.firmwareId)}, version 3\\.1\\.0\\)`),
		);

		sandbox.requests.clear();
		const sameName = await create(image, '--force-new');
		assert.equal(sameName.code, 4, 'the default name is taken by the package of the same content');
		assert.match(String((parseJsonOutput(sameName).error as { message: string }).message), /FirmwareName is unique in the account/);
		const forced = await create(image, '--force-new', '--name', 'dup-second');
		assert.equal(forced.code, 0, forced.stderr);
		const second = parseJsonOutput(forced);
		assert.notEqual(second.firmwareId, first.firmwareId);
		assert.equal(second.reused, undefined);
		assert.ok(sent().includes('PostObject'), 'uploaded again');
		assert.ok(!sent().slice(0, sent().indexOf('GenerateOTAUploadURL')).includes('ListOTAFirmware'), 'no lookup before the upload');
	});

	void test('a differential package: the guard and the default apply to the destination version', async () => {
		const delta = file('delta.bin', mcubootImage({ version: { major: 2, minor: 0, revision: 0, build: 0 } }));
		const run = await create(delta, '--differential', '--src-version', '1.0.0');
		assert.equal(run.code, 0, run.stderr);
		const info = await client.queryOtaFirmware(String(parseJsonOutput(run).firmwareId));
		assert.deepEqual({ type: info.type, src: info.srcVersion, dest: info.destVersion }, { type: 1, src: '1.0.0', dest: '2.0.0' });

		sandbox.requests.clear();
		const wrongWay = await create(delta, '--differential', '--src-version', '2.0.0', '--dest-version', '2.1.0');
		assert.equal(wrongWay.code, 2);
		assert.match(
			String((parseJsonOutput(wrongWay).error as { message: string }).message),
			/declares version 2\.0\.0 .* but DestVersion is 2\.1\.0/,
		);
		assert.deepEqual(sent(), []);
	});
});
