import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_INSTANCE, type HistoryEntry } from '../../../src/vscode/model';
import { buildHistoryExport, historyExportFileName, historyExportText } from '../../../src/vscode/historyExport';

const T0 = Date.UTC(2026, 10, 25, 9, 30);
const relative = (fileUri: string) => fileUri.replace('file:///ws/', '');

function entry(id: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		id,
		fileUri: `file:///ws/build/${id}.bin`,
		fileName: `${id}.bin`,
		size: 2048,
		suffix: 'bin',
		profile: 'dev',
		region: 'cn-shanghai',
		startedAt: T0,
		status: 'uploaded',
		...over,
	};
}

/** Fields copied to the export unchanged. */
const releaseFacts = {
	md5: 'd41d8cd98f00b204e9800998ecf8427e',
	sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	gitCommit: 'a'.repeat(40),
	gitDirty: false,
	firmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/x/new.bin',
	firmwareId: 'fw-1',
	firmwareName: 'new-1.2.0',
	destVersion: '1.2.0',
	productKey: 'a1PK',
	signMethod: 'SHA256',
	requestId: 'req-1',
} as const;

void test('exports every upload newest first with ISO times and the file path the caller names', () => {
	const registered = entry('new', { startedAt: T0 + 60_000, finishedAt: T0 + 65_000, status: 'registered', ...releaseFacts });
	const data = buildHistoryExport([entry('old', { status: 'failed', finishedAt: T0 + 1000 }), registered], {
		now: T0 + 120_000,
		filePath: relative,
	});
	assert.equal(data.exportedAt, '2026-11-25T09:32:00.000Z');
	assert.deepEqual(
		data.uploads.map((u) => u.fileName),
		['new.bin', 'old.bin'],
	);
	assert.deepEqual(data.uploads[0], {
		fileName: 'new.bin',
		filePath: 'build/new.bin',
		size: 2048,
		suffix: 'bin',
		status: 'registered',
		region: 'cn-shanghai',
		profile: 'dev',
		startedAt: '2026-11-25T09:31:00.000Z',
		finishedAt: '2026-11-25T09:31:05.000Z',
		...releaseFacts,
	});
	assert.equal(data.uploads[1].startedAt, '2026-11-25T09:30:00.000Z');
	assert.equal(data.uploads[1].status, 'failed');
});

void test('a package of another module, a delta package, keeps its module, type and SrcVersion in the export', () => {
	const delta = entry('mcu', { status: 'registered', ...releaseFacts, moduleName: 'MCU', type: 1, srcVersion: '1.1.0' });
	const [exported] = buildHistoryExport([delta], { now: T0, filePath: relative }).uploads;
	assert.deepEqual([exported.moduleName, exported.type, exported.srcVersion], ['MCU', 1, '1.1.0']);
	const [full] = buildHistoryExport([entry('app', { status: 'registered', ...releaseFacts })], { now: T0, filePath: relative }).uploads;
	assert.equal(
		['moduleName', 'type', 'srcVersion'].filter((key) => key in full).length,
		0,
		'the default module, a full package: left out',
	);
});

void test('leaves out what is not release information and everything that could be a secret', () => {
	const risky = {
		...entry('fw', { status: 'failed', finishedAt: T0, error: 'AccessDenied for LTAI5tKeyId', key: 'ota/x/fw.bin' }),
		accessKeySecret: 'S3cretValue',
		securityToken: 'StsTokenValue',
		firmwareUrl: 'https://b.oss-cn-shanghai.aliyuncs.com/ota/fw.bin?OSSAccessKeyId=LTAI5tKeyId&Signature=abcdSig&Expires=1',
	};
	const data = buildHistoryExport([risky as HistoryEntry], { now: T0, filePath: relative });
	const text = historyExportText(data);
	for (const secret of ['S3cretValue', 'StsTokenValue', 'abcdSig', 'LTAI5tKeyId', 'ota/x/fw.bin']) {
		assert.ok(!text.includes(secret), `${secret} is in the export`);
	}
	assert.deepEqual(Object.keys(data.uploads[0]).sort(), [
		'fileName',
		'filePath',
		'finishedAt',
		'firmwareUrl',
		'profile',
		'region',
		'size',
		'startedAt',
		'status',
		'suffix',
	]);
	assert.match(data.uploads[0].firmwareUrl ?? '', /^https:\/\/b\.oss-cn-shanghai\.aliyuncs\.com\/ota\/fw\.bin\?/);
});

void test('an Enterprise instance is exported as its IotInstanceId; the default instance and older rows export none', () => {
	const rows = [
		entry('ent', { startedAt: T0 + 2, instance: 'iot-06z00abc' }),
		entry('def', { startedAt: T0 + 1, instance: DEFAULT_INSTANCE }),
		entry('old', { startedAt: T0 }),
	];
	const uploads = buildHistoryExport(rows, { now: T0, filePath: relative }).uploads;
	assert.deepEqual(
		uploads.map((u) => [u.fileName, u.iotInstanceId, 'iotInstanceId' in u]),
		[
			['ent.bin', 'iot-06z00abc', true],
			['def.bin', undefined, false],
			['old.bin', undefined, false],
		],
	);
});

void test('a row whose package was deleted exports its status and when it was deleted', () => {
	const deleted = entry('gone', { status: 'deleted', finishedAt: T0, firmwareId: 'fw-1', deletedAt: T0 + 3_600_000 });
	const [upload] = buildHistoryExport([deleted], { now: T0, filePath: relative }).uploads;
	assert.deepEqual([upload.status, upload.firmwareId, upload.deletedAt], ['deleted', 'fw-1', '2026-11-25T10:30:00.000Z']);
});

void test('drops malformed rows and duplicate ids; fields an entry lacks are absent, not undefined', () => {
	const data = buildHistoryExport([entry('a'), { ...entry('a'), startedAt: T0 - 1 }, { id: 'broken' } as unknown as HistoryEntry], {
		now: T0,
		filePath: relative,
	});
	assert.equal(data.uploads.length, 1);
	assert.ok(!('finishedAt' in data.uploads[0]) && !('md5' in data.uploads[0]));
	const text = historyExportText(data);
	assert.ok(text.endsWith('}\n') && text.includes('\n  "uploads": [\n'));
	assert.deepEqual(JSON.parse(text), data);
});

void test('the default file name carries the local date', () => {
	assert.equal(historyExportFileName(new Date(2026, 10, 25, 23, 59)), 'iot-ota-uploads-2026-11-25.json');
	assert.equal(historyExportFileName(new Date(2027, 0, 5, 0, 0)), 'iot-ota-uploads-2027-01-05.json');
});
