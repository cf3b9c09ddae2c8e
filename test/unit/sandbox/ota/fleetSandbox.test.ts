// The fleet inside a running sandbox: devices really download the package from the OSS listener through
// the signed push URL, check it against the push, and report the version the (injected) reader finds in
// the image. Time scale 6000: a device's minute-long upgrade takes about 10 ms.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../../src/core/logger';
import { FAULTS_PATH, startSandbox, type Sandbox } from '../../../../src/sandbox';
import type { JobRecord, TaskRecord } from '../../../../src/sandbox/ota/model';
import type { FirmwareRecord } from '../../../../src/sandbox/storeRecords';
import { espImage, mcubootImage } from '../../../support/firmware';
import { call, popClient, upload } from '../support';

/** A plain version marker, read the way a test would: independently of the project's image reader. */
async function markerVersion(filePath: string): Promise<string | undefined> {
	reads += 1;
	return /FWVERSION=([\w.-]+);/.exec(await readFile(filePath, 'latin1'))?.[1];
}
let reads = 0;

function image(version: string): Buffer {
	return Buffer.concat([Buffer.alloc(64 * 1024, 0xa5), Buffer.from(`FWVERSION=${version};`), Buffer.alloc(4096, 0x5a)]);
}

function jobEnded(sandbox: Sandbox, job: JobRecord): Promise<void> {
	return new Promise((resolve) => {
		const check = ({ task }: { task: TaskRecord }): void => {
			if (task.job === job && job.status === 'COMPLETED') {
				sandbox.events.off('taskChanged', check);
				resolve();
			}
		};
		sandbox.events.on('taskChanged', check);
	});
}

/** Uploads `bytes` and registers them as `destVersion` under `name`. */
async function registerImage(sandbox: Sandbox, bytes: Buffer, name: string, destVersion: string): Promise<FirmwareRecord> {
	const { t } = await upload(sandbox, bytes);
	const created = await call(popClient(sandbox), 'CreateOTAFirmware', {
		FirmwareUrl: t.FirmwareUrl,
		FirmwareName: name,
		DestVersion: destVersion,
		ProductKey: sandbox.productKey,
	});
	const record = sandbox.ota.firmware(created.Data.FirmwareId as string);
	assert.ok(record);
	return record;
}

/** Verifies `fw` on one device and returns its task once the job ended. */
async function verifyOn(sandbox: Sandbox, fw: FirmwareRecord, deviceName: string): Promise<TaskRecord> {
	const job = sandbox.ota.createVerifyJob(fw, { productKey: sandbox.productKey, deviceNames: [deviceName] });
	await jobEnded(sandbox, job);
	return job.tasks[0];
}

void describe('the virtual fleet in a running sandbox', () => {
	let sandbox: Sandbox;

	before(async () => {
		sandbox = await startSandbox({ devices: 12, timeScale: 6000, readFirmwareVersion: markerVersion });
	});

	after(async () => {
		await sandbox?.stop();
	});

	function register(version: string, destVersion: string): Promise<FirmwareRecord> {
		return registerImage(sandbox, image(version), `fw-${version}-${destVersion}`.replace(/\./g, '_'), destVersion);
	}

	void test('verification on 3 devices downloads once, reads the image version, and verifies the package', async () => {
		const fw = await register('2.0.0', '2.0.0');
		reads = 0;
		const job = sandbox.ota.createVerifyJob(fw, {
			productKey: sandbox.productKey,
			deviceNames: ['dev-00001', 'dev-00002', 'dev-00003'],
		});
		await jobEnded(sandbox, job);
		assert.deepEqual(
			job.tasks.map((t) => [t.status, t.device.versions.default]),
			[
				['SUCCEEDED', '2.0.0'],
				['SUCCEEDED', '2.0.0'],
				['SUCCEEDED', '2.0.0'],
			],
		);
		assert.equal(reads, 1, 'identical devices reuse the verdict of one real download');
		const info = (await call(popClient(sandbox), 'QueryOTAFirmware', { FirmwareId: fw.firmwareId })).FirmwareInfo;
		assert.equal(info.Status, 1);
	});

	void test('an image built as 1.9.9 registered as 2.1.0 fails: "report version is not conform", Status 3', async () => {
		const fw = await register('1.9.9', '2.1.0');
		const job = sandbox.ota.createVerifyJob(fw, { productKey: sandbox.productKey, deviceNames: ['dev-00004'] });
		await jobEnded(sandbox, job);
		assert.deepEqual([job.tasks[0].status, job.tasks[0].desc], ['FAILED', 'report version is not conform']);
		assert.equal(job.tasks[0].device.versions.default, '1.9.9');
		assert.equal((await call(popClient(sandbox), 'QueryOTAFirmware', { FirmwareId: fw.firmwareId })).FirmwareInfo.Status, 3);
	});

	void test('a download the OSS refuses makes the device report -2 (download failed)', async () => {
		const fw = await register('3.0.0', '3.0.0');
		sandbox.faults.add({ target: 'oss', action: 'GetObject', kind: 'status', status: 503 });
		const job = sandbox.ota.createVerifyJob(fw, { productKey: sandbox.productKey, deviceNames: ['dev-00005'] });
		await jobEnded(sandbox, job);
		assert.equal(job.tasks[0].status, 'FAILED');
		assert.match(job.tasks[0].desc, /^download failed: HTTP 503/);
	});

	void test('device rules on the fault endpoint change behaviours; GET reports the fleet', async () => {
		const url = `${sandbox.endpoint}${FAULTS_PATH}`;
		const post = (body: unknown): Promise<Response> => fetch(url, { method: 'POST', body: JSON.stringify(body) });
		const added = await post({ target: 'device', behaviour: 'fail-flash', devices: ['dev-00006', 'dev-00007'] });
		assert.equal(added.status, 201);
		assert.equal(((await added.json()) as { devices: number }).devices, 2);
		assert.equal((await post({ target: 'device', online: false, match: 'dev-0001*' })).status, 201);
		const listed = (await (await fetch(url)).json()) as {
			fleet: { devices: number; online: number; behaviours: Record<string, number> };
		};
		assert.deepEqual(listed.fleet.behaviours['fail-flash'], 2);
		assert.equal(listed.fleet.devices - listed.fleet.online, 3, 'dev-00010…dev-00012 went offline');
		const bad = await post({ target: 'device', behaviour: 'explode' });
		assert.equal(bad.status, 400);
		assert.match(((await bad.json()) as { error: string }).error, /'behaviour' must be one of ok, offline/);

		const fw = await register('4.0.0', '4.0.0');
		const job = sandbox.ota.createVerifyJob(fw, { productKey: sandbox.productKey, deviceNames: ['dev-00006', 'dev-00008'] });
		await jobEnded(sandbox, job);
		assert.deepEqual(
			job.tasks.map((t) => [t.device.deviceName, t.status, t.desc]),
			[
				['dev-00006', 'FAILED', 'burn failed'],
				['dev-00008', 'SUCCEEDED', ''],
			],
		);
	});
});

void describe('the fleet with the default image reader (src/core/image)', () => {
	let sandbox: Sandbox;

	before(async () => {
		sandbox = await startSandbox({ devices: 3, timeScale: 6000 });
	});

	after(async () => {
		await sandbox?.stop();
	});

	void test('an ESP-IDF image built as 1.2.0-dirty and registered as 1.2.0 fails verification; one built as 1.3.0 passes', async () => {
		const verify = async (built: string, destVersion: string, device: string): Promise<TaskRecord> => {
			const fw = await registerImage(sandbox, espImage({ app: { version: built } }), `esp-${built.replace(/\./g, '_')}`, destVersion);
			return verifyOn(sandbox, fw, device);
		};
		const dirty = await verify('1.2.0-dirty', '1.2.0', 'dev-00001');
		assert.deepEqual(
			[dirty.status, dirty.desc, dirty.device.versions.default],
			['FAILED', 'report version is not conform', '1.2.0-dirty'],
		);
		const clean = await verify('1.3.0', '1.3.0', 'dev-00002');
		assert.deepEqual([clean.status, clean.device.versions.default], ['SUCCEEDED', '1.3.0']);
	});

	void test('an MCUboot image 1.4.2+7 registered under the DestVersion spelling 1.4.2.7 passes verification', async () => {
		const fw = await registerImage(
			sandbox,
			mcubootImage({ version: { major: 1, minor: 4, revision: 2, build: 7 } }),
			'zephyr-1_4_2_7',
			'1.4.2.7',
		);
		const task = await verifyOn(sandbox, fw, 'dev-00003');
		assert.deepEqual([task.status, task.device.versions.default], ['SUCCEEDED', '1.4.2.7']);
	});
});

void describe('the fleet with the core reader and a version marker (versionMarker, iot-ota sandbox --version-marker)', () => {
	const sandboxes: Sandbox[] = [];

	after(async () => {
		await Promise.all(sandboxes.map((s) => s.stop()));
	});

	/** A plain image built as 1.9.9, registered as 2.1.0 and verified on one device of a fresh sandbox. */
	async function verifyMislabelled(versionMarker?: string): Promise<TaskRecord> {
		const sandbox = await startSandbox({ devices: 1, timeScale: 6000, versionMarker });
		sandboxes.push(sandbox);
		return verifyOn(sandbox, await registerImage(sandbox, image('1.9.9'), 'plain-1_9_9', '2.1.0'), 'dev-00001');
	}

	void test('with the marker the device reads 1.9.9 from the image and the task fails; without it, it reports the pushed version', async () => {
		const marked = await verifyMislabelled('FWVERSION=([\\w.-]+);');
		assert.deepEqual(
			[marked.status, marked.desc, marked.device.versions.default],
			['FAILED', 'report version is not conform', '1.9.9'],
		);
		const unmarked = await verifyMislabelled();
		assert.deepEqual([unmarked.status, unmarked.device.versions.default], ['SUCCEEDED', '2.1.0']);
	});

	void test('a marker too slow to search an image: devices read images without it (pushed version) and the log says so once', async () => {
		const warnings: string[] = [];
		const logger = { ...silentLogger, warn: (line: string) => warnings.push(line) };
		const sandbox = await startSandbox({ devices: 2, timeScale: 6000, versionMarker: 'FWVERSION=([\\w.-]+);|(a+)+$', logger });
		sandboxes.push(sandbox);
		// The run of "a" comes first, so the pattern's second branch backtracks there before the first reaches FWVERSION.
		const bytes = Buffer.concat([Buffer.alloc(256 * 1024, 'a'), Buffer.from('b FWVERSION=1.9.9;')]);
		const first = await verifyOn(sandbox, await registerImage(sandbox, bytes, 'slow-a', '2.1.0'), 'dev-00001');
		const second = await verifyOn(sandbox, await registerImage(sandbox, bytes, 'slow-b', '2.2.0'), 'dev-00002');
		assert.deepEqual(
			[first.status, first.device.versions.default, second.status, second.device.versions.default],
			['SUCCEEDED', '2.1.0', 'SUCCEEDED', '2.2.0'],
		);
		const slow = warnings.filter((line) => line.includes('VersionMarkerTooSlow'));
		assert.equal(slow.length, 1, JSON.stringify(warnings));
		assert.match(
			slow[0],
			/^sandbox: devices read images without the version marker from now on: The version marker took longer than 200 milliseconds to search a MB of .* and was stopped\. Give a pattern that runs in linear time: .* \(VersionMarkerTooSlow\)$/,
		);
	});

	void test('a marker that is not a regular expression is refused at start', async () => {
		await assert.rejects(startSandbox({ devices: 1, versionMarker: 'FW(' }), { code: 'InvalidVersionMarker' });
	});
});
