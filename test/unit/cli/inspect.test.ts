// `iot-ota inspect`: the bundled CLI run as users run it — human output, one --json object, exit codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { espImage, FixtureDir, flipByte, gzip, mcubootImage, nrfDfuZip, pattern, tarArchive } from '../../support/firmware';
import { buildCli, cleanEnv, parseJsonOutput, runCli } from './cliHarness';

void describe('iot-ota inspect', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	const dir = new FixtureDir();
	const env = cleanEnv(dir.dir);
	const inspect = (...args: string[]) => runCli(cli.cliPath, ['inspect', ...args], { env, cwd: dir.dir });

	before(async () => {
		cli = await buildCli();
	});

	after(() => {
		cli.dispose();
		dir.dispose();
	});

	void test('--json prints one object with the identity fields and exits 0 for a consistent image', async () => {
		dir.write('app.bin', espImage());
		const run = await inspect('app.bin', '--json');
		assert.equal(run.code, 0, run.stderr);
		const json = parseJsonOutput(run);
		for (const key of ['file', 'size', 'format', 'chip', 'project', 'version', 'versionSource', 'buildDate', 'toolchain']) {
			assert.ok(key in json, `no ${key}`);
		}
		assert.equal(json.format, 'esp-idf');
		assert.equal(json.version, '1.2.0');
		assert.equal(json.file, `${dir.dir}/app.bin`);
		assert.deepEqual(json.integrity, {
			verdict: 'verified',
			checks: [
				{ name: 'ESP image checksum', label: { kind: 'esp-checksum' }, status: 'verified', stored: '0x04', computed: '0x04' },
				{
					name: 'ESP image SHA-256',
					label: { kind: 'esp-sha256' },
					status: 'verified',
					stored: 'c10ab3ec4b0be4cf713a37f7cf6f57e80f19d1987502df69f83e7b50f6181772',
					computed: 'c10ab3ec4b0be4cf713a37f7cf6f57e80f19d1987502df69f83e7b50f6181772',
				},
			],
		});
		assert.deepEqual(json.signature, { present: false, kinds: [] });
		assert.match(String(json.md5), /^[0-9a-f]{32}$/);
		assert.match(String(json.sha256), /^[0-9a-f]{64}$/);
		assert.deepEqual(json.suffix, { suffix: 'bin', status: 'match' });
		assert.equal(json.consistent, true);
		assert.equal(run.stderr, '');
	});

	void test('human output names every field and ends with "Consistent."', async () => {
		dir.write('dfu_application.zip', await nrfDfuZip(mcubootImage({ signature: 'ed25519' }), '1.4.2+7'));
		const run = await inspect('dfu_application.zip');
		assert.equal(run.code, 0, run.stderr);
		const lines = run.stdout.split('\n');
		const field = (name: string) =>
			lines
				.find((line) => line.startsWith(`${name}:`))
				?.slice(name.length + 1)
				.trim();
		assert.equal(field('Format'), 'ZIP archive');
		assert.equal(field('Chip'), 'nrf52840dk/nrf52840');
		assert.equal(field('Version'), '1.4.2+7 (manifest.json, nRF DFU manifest), also written 1.4.2.7');
		assert.equal(field('Integrity'), 'verified: ZIP CRC-32 of 2 entries, app_update.bin: MCUboot SHA-256 TLV');
		assert.equal(field('Signature'), 'app_update.bin: Ed25519');
		assert.equal(field('Suffix'), '.zip matches the contents');
		assert.equal(field('Entries'), '2');
		assert.match(run.stdout, /app_update\.bin {2}3\.\d KB {2}MCUboot image 1\.4\.2\+7/);
		assert.equal(lines.at(-2), 'Consistent.');
	});

	void test('a damaged image exits 2 and says which check failed, in --json too', async () => {
		dir.write('bad.bin', flipByte(mcubootImage(), 0x300));
		const human = await inspect('bad.bin');
		assert.equal(human.code, 2);
		assert.match(human.stdout, /^Integrity: {2}DAMAGED: MCUboot SHA-256 TLV \(stored [0-9a-f]{64}, computed [0-9a-f]{64}\)$/m);
		assert.match(human.stdout, /Not consistent: the contents are damaged/);
		const json = parseJsonOutput(await inspect('bad.bin', '--json'));
		assert.equal((json.integrity as { verdict: string }).verdict, 'damaged');
		assert.equal(json.consistent, false);
	});

	void test('an entry name with a line break or a control character cannot forge a line of the human output', async () => {
		const name = 'app.bin\nConsistent.\u001b[2K\u202e';
		dir.write('forged.tar', await tarArchive([[name, flipByte(espImage(), -1)]]));
		const human = await inspect('forged.tar');
		assert.equal(human.code, 2);
		const forged = human.stdout.split('\n').filter((line) => line.startsWith('Consistent.'));
		assert.deepEqual(forged, [], human.stdout);
		assert.match(human.stdout, /^Integrity: {2}DAMAGED: app\.bin Consistent\.\?\[2K\?: ESP image SHA-256 \(stored /m);
		assert.match(human.stdout, /^ {2}app\.bin Consistent\.\?\[2K\? {2}1\.4 KB {2}ESP-IDF application image 1\.2\.0$/m);
		assert.match(human.stdout, /^Version: {4}1\.2\.0 \(app\.bin Consistent\.\?\[2K\?, ESP-IDF app description\)$/m);
		for (const raw of ['\u001b', '\u202e']) {
			assert.ok(!human.stdout.includes(raw), `no raw U+${raw.codePointAt(0)?.toString(16)}`);
		}
	});

	void test('contents that do not match the suffix exit 2; unknown contents exit 0 with "version unknown"', async () => {
		dir.write('firmware.bin', gzip(espImage()));
		const mismatch = await inspect('firmware.bin');
		assert.equal(mismatch.code, 2);
		assert.match(mismatch.stdout, /Suffix: {5}"firmware\.bin" is named \.bin but its contents are gzip data/);
		dir.write('blob.bin', pattern(5000));
		const unknown = await inspect('blob.bin');
		assert.equal(unknown.code, 0, unknown.stderr);
		assert.match(unknown.stdout, /^Version: {4}unknown \(the file declares none\)$/m);
		assert.match(unknown.stdout, /^Integrity: {2}nothing to verify$/m);
	});

	void test('--version-marker reads a version from unknown contents; a bad pattern is a usage error', async () => {
		dir.write('vendor.bin', Buffer.concat([pattern(3000), Buffer.from('<ver=8.1.0>')]));
		const json = parseJsonOutput(await inspect('vendor.bin', '--version-marker', '<ver=([^>]+)>', '--json'));
		assert.equal(json.version, '8.1.0');
		assert.equal(json.versionSource, 'marker');
		const bad = await inspect('vendor.bin', '--version-marker', '(', '--json');
		assert.equal(bad.code, 2);
		assert.equal((parseJsonOutput(bad).error as { code: string }).code, 'InvalidVersionMarker');
	});

	void test('--version-marker that backtracks catastrophically is reported: exit 2, VersionMarkerTooSlow naming the file', async () => {
		const file = dir.write('slow.bin', Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'a'), Buffer.from('b')]));
		const run = await inspect('slow.bin', '--version-marker', '(a+)+$', '--json');
		assert.equal(run.code, 2, run.stderr);
		assert.deepEqual(parseJsonOutput(run).error, {
			code: 'VersionMarkerTooSlow',
			message: `The version marker took longer than 200 milliseconds to search a MB of ${file} and was stopped. Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.`,
		});
	});

	void test('a missing file is one error (exit 2); inspect is listed in the help', async () => {
		const missing = await inspect('nope.bin');
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /^Error: Firmware file not found: .*nope\.bin/);
		assert.equal(missing.stdout, '');
		const help = await runCli(cli.cliPath, ['--help'], { env });
		assert.match(help.stdout, /^ {2}inspect +Read what a firmware file says about itself/m);
		const commandHelp = await inspect('--help');
		assert.match(commandHelp.stdout, /--version-marker REGEX/);
		assert.match(commandHelp.stdout, /Exit codes: 0 the file is consistent, 2 it is damaged/);
	});
});
