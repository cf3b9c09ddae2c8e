import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../../src/sandbox';
import { call, callError, popClient, upload } from './support';
import { signedUrl } from '../../support/ossDownload';

void describe('sandbox state on disk', () => {
	let root: string;
	before(async () => {
		root = await fs.mkdtemp(path.join(tmpdir(), 'sandbox-persist-'));
	});
	after(() => fs.rm(root, { recursive: true, force: true }));

	void test('keys, objects and firmware survive a restart with the same dataDir', async () => {
		const dataDir = path.join(root, 'restart');
		const data = Buffer.from('persisted firmware');
		const first = await startSandbox({ dataDir });
		let firmwareId: string;
		let url: string;
		try {
			const { t, res } = await upload(first, data);
			assert.equal(res.status, 204);
			url = t.FirmwareUrl;
			const created = await call(popClient(first), 'CreateOTAFirmware', {
				FirmwareUrl: url,
				FirmwareName: 'persisted',
				DestVersion: '2.0.0',
				ProductKey: first.productKey,
			});
			firmwareId = created.Data.FirmwareId as string;
		} finally {
			await first.stop();
		}
		assert.equal(
			(await fs.readdir(dataDir)).some((name) => name.endsWith('.tmp')),
			false,
			'no leftover temp JSON',
		);

		const second = await startSandbox({ dataDir });
		try {
			assert.equal(second.accessKeySecret, first.accessKeySecret);
			assert.deepEqual(second.sts, first.sts);
			const info = (await call(popClient(second), 'QueryOTAFirmware', { FirmwareId: firmwareId })).FirmwareInfo;
			assert.equal(info.FirmwareName, 'persisted');
			assert.equal(info.FirmwareSign, createHash('md5').update(data).digest('hex'));
			// The object is still there (under the new port's URL).
			const key = new URL(url).pathname;
			const download = await fetch(signedUrl(second, `${second.ossHost}${key}`));
			assert.deepEqual(Buffer.from(await download.arrayBuffer()), data);
		} finally {
			await second.stop();
		}
		await fs.access(dataDir);
	});

	void test('objects recorded by an earlier sandbox (MD5, no etag) keep the MD5 as their ETag', async () => {
		const dataDir = path.join(root, 'legacy');
		const data = Buffer.from('firmware stored by an older sandbox');
		const md5 = createHash('md5').update(data).digest('hex');
		const first = await startSandbox({ dataDir });
		let key: string;
		try {
			key = new URL((await upload(first, data)).t.FirmwareUrl).pathname;
		} finally {
			await first.stop();
		}
		const stateFile = path.join(dataDir, 'state.json');
		const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { objects: Record<string, { etag?: string; md5?: string }> };
		for (const object of Object.values(state.objects)) {
			delete object.etag;
			object.md5 = md5;
		}
		await fs.writeFile(stateFile, JSON.stringify(state));
		const second = await startSandbox({ dataDir });
		try {
			const res = await fetch(signedUrl(second, `${second.ossHost}${key}`, { method: 'HEAD' }), { method: 'HEAD' });
			assert.equal(res.status, 200);
			assert.equal(res.headers.get('etag'), `"${md5.toUpperCase()}"`);
		} finally {
			await second.stop();
		}
	});

	void test('a given secret overrides the stored one; a new dataDir gets its own secret', async () => {
		const a = await startSandbox({ dataDir: path.join(root, 'a') });
		const b = await startSandbox({ dataDir: path.join(root, 'b') });
		const c = await startSandbox({ dataDir: path.join(root, 'a'), accessKeyId: 'LTAI5tMyOwnKey', accessKeySecret: 'my-own-secret' });
		try {
			assert.equal(a.accessKeyId, 'LTAI5tSandboxDemoKey');
			assert.notEqual(a.accessKeySecret, b.accessKeySecret);
			assert.equal(c.accessKeyId, 'LTAI5tMyOwnKey');
			assert.equal(
				(
					await call(popClient(c, { accessKeyId: 'LTAI5tMyOwnKey', accessKeySecret: 'my-own-secret' }), 'QueryProductList', {
						CurrentPage: 1,
						PageSize: 1,
					})
				).Success,
				true,
			);
			assert.equal(
				(
					await callError(popClient(c, { accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret }), 'QueryProductList', {
						CurrentPage: 1,
						PageSize: 1,
					})
				).code,
				'InvalidAccessKeyId.NotFound',
			);
		} finally {
			await Promise.all([a.stop(), b.stop(), c.stop()]);
		}
	});

	void test('without a dataDir a temp dir is used and removed by stop()', async () => {
		const sandbox = await startSandbox();
		await fs.access(path.join(sandbox.dataDir, 'identity.json'));
		await sandbox.stop();
		await assert.rejects(fs.access(sandbox.dataDir));
	});

	void test('leftovers of a crash (temp uploads, unrecorded object files, half-written JSON) are cleaned at start', async () => {
		const dataDir = path.join(root, 'crash');
		await fs.mkdir(path.join(dataDir, 'tmp'), { recursive: true });
		await fs.mkdir(path.join(dataDir, 'objects'), { recursive: true });
		await fs.writeFile(path.join(dataDir, 'tmp', 'upload-dead.part'), 'partial');
		await fs.writeFile(path.join(dataDir, 'objects', 'f'.repeat(64)), 'orphan');
		await fs.writeFile(path.join(dataDir, 'state.json.4242.0badc0de.tmp'), '{"half": ');
		const sandbox = await startSandbox({ dataDir });
		try {
			assert.deepEqual(await fs.readdir(path.join(dataDir, 'tmp')), []);
			assert.deepEqual(await fs.readdir(path.join(dataDir, 'objects')), []);
			assert.deepEqual((await fs.readdir(dataDir)).sort(), ['identity.json', 'objects', 'ota', 'tmp']);
		} finally {
			await sandbox.stop();
		}
	});

	void test('unregistered uploads expire after the TTL: checked on access', async () => {
		let clock = Date.now();
		const sandbox = await startSandbox({ unregisteredTtlMs: 10 * 60_000, now: () => clock });
		try {
			const kept = await upload(sandbox, Buffer.from('registered'));
			await call(popClient(sandbox), 'CreateOTAFirmware', {
				FirmwareUrl: kept.t.FirmwareUrl,
				FirmwareName: 'kept',
				DestVersion: '1.0',
				ProductKey: sandbox.productKey,
			});
			const dropped = await upload(sandbox, Buffer.from('never registered'));
			const objectFile = path.join(sandbox.dataDir, 'objects', createHash('sha256').update(dropped.t.Key).digest('hex'));
			await fs.access(objectFile);

			clock += 10 * 60_000 + 1; // still within the 15-minute Timestamp window of real-time clients
			const expired = once(sandbox.events, 'objectExpired');
			assert.equal((await fetch(signedUrl(sandbox, dropped.t.FirmwareUrl))).status, 404);
			assert.deepEqual((await expired)[0], { key: dropped.t.Key });
			await assert.rejects(fs.access(objectFile));
			const late = await callError(popClient(sandbox), 'CreateOTAFirmware', {
				FirmwareUrl: dropped.t.FirmwareUrl,
				FirmwareName: 'late',
				DestVersion: '1.0',
				ProductKey: sandbox.productKey,
			});
			assert.equal(late.code, 'iot.ota.InvalidFirmwareUrl');
			assert.equal((await fetch(signedUrl(sandbox, kept.t.FirmwareUrl))).status, 200, 'registered uploads do not expire');
		} finally {
			await sandbox.stop();
		}
	});

	void test('unregistered uploads expire after the TTL: the periodic sweep', async () => {
		const sandbox = await startSandbox({ unregisteredTtlMs: 300 });
		try {
			const expired = once(sandbox.events, 'objectExpired');
			const { t } = await upload(sandbox, Buffer.from('short-lived'));
			const [event] = (await expired) as [{ key: string }];
			assert.equal(event.key, t.Key);
			assert.deepEqual(await fs.readdir(path.join(sandbox.dataDir, 'objects')), []);
			const state = JSON.parse(await fs.readFile(path.join(sandbox.dataDir, 'state.json'), 'utf8')) as { objects: object };
			assert.deepEqual(state.objects, {});
		} finally {
			await sandbox.stop();
		}
	});
});
