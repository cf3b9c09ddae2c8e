import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnose, diagnosisLine, doctorJob, type DiagnosisInput } from '../../../src/core/lifecycle';
import type { OtaTask } from '../../../src/core/lifecycle/types';
import { FakeOta, job, task } from './fakeOta';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const HOUR_AGO = '2025-01-01T11:00:00.000Z';

function failedTask(extra: Partial<OtaTask>): OtaTask {
	return task('J1', 7, 'FAILED', extra);
}

function code(input: DiagnosisInput): string | undefined {
	return diagnose(input)?.code;
}

void describe('diagnosis of failed tasks', () => {
	void test('a device reporting another version than DestVersion: the image was built or registered with the wrong version', () => {
		const d = diagnose({
			task: failedTask({ taskDesc: 'report version is not conform' }),
			device: { status: 'ONLINE', version: '1.2.0-dirty' },
		});
		assert.equal(
			d && diagnosisLine(d),
			"the device reports 1.2.0-dirty: the image's version differs from DestVersion 1.2.0 — rebuild the image with that version, or register the package with the version the image reports",
		);
		// The reported version alone is evidence enough when the TaskDesc says something else.
		assert.equal(code({ task: failedTask({ taskDesc: 'x' }), device: { version: '9.9.9' } }), 'version-mismatch');
		assert.equal(code({ task: failedTask({ taskDesc: 'report version is not conform' }) }), 'version-mismatch');
	});

	void test('the device steps of docs/protocols.md §12.4 and the timeout', () => {
		assert.equal(code({ task: failedTask({ taskDesc: 'timeout', timeout: '30' }) }), 'timeout');
		assert.equal(code({ task: failedTask({ taskDesc: 'OTA下载失败' }) }), 'download-failed');
		assert.equal(code({ task: failedTask({ taskDesc: 'checksum mismatch' }) }), 'checksum-failed');
		assert.equal(code({ task: failedTask({ taskDesc: 'burn failed' }) }), 'flash-failed');
		assert.equal(code({ task: failedTask({ taskDesc: 'OTA升级失败，请求不到升级包信息。' }) }), 'device-failed');
		const timeout = diagnose({ task: failedTask({ taskDesc: 'timeout', timeout: '30' }), device: { version: '1.0.0' } });
		assert.match(timeout?.cause ?? '', /within the 30-minute timeout.*still reports 1\.0\.0/);
	});

	void test('a device busy in an older job: cancel that task or overwrite', () => {
		const mine = failedTask({ taskDesc: '', utcCreate: '2025-01-01T10:00:00Z' });
		const older = task('J0', 7, 'QUEUED', { utcCreate: '2025-01-01T09:00:00Z' });
		const d = diagnose({ task: mine, unfinished: [older] });
		assert.equal(d?.code, 'busy-elsewhere');
		assert.match(d?.fix ?? '', /iot-ota cancel J0 --devices dev-00007/);
		// A task created later (e.g. a retry elsewhere) is not the cause.
		assert.notEqual(
			code({ task: mine, unfinished: [task('J9', 7, 'QUEUED', { utcCreate: '2025-01-01T11:00:00Z' })] }),
			'busy-elsewhere',
		);
	});

	void test('cancelled tasks and rollbacks after success', () => {
		assert.equal(code({ task: task('J', 1, 'CANCELED') }), 'cancelled');
		assert.equal(code({ task: task('J', 1, 'SUCCEEDED'), device: { version: '1.0.0' } }), 'rolled-back');
		assert.equal(code({ task: task('J', 1, 'SUCCEEDED'), device: { version: '1.2.0' } }), undefined);
	});
});

void describe('diagnosis of stuck tasks', () => {
	const stuck = (status: OtaTask['status'], extra: Partial<OtaTask> = {}): DiagnosisInput => ({
		task: task('J', 1, status, { utcModified: HOUR_AGO, ...extra }),
		now: NOW,
	});

	void test('waiting for confirmation, offline, never reporting, 100 % without the version, no timeout', () => {
		assert.equal(code(stuck('CONFIRM')), 'waiting-confirm');
		assert.equal(code({ ...stuck('QUEUED'), device: { status: 'OFFLINE' } }), 'offline');
		assert.equal(code({ ...stuck('QUEUED'), job: { jobId: 'J', needPush: false } }), 'not-pulled');
		assert.equal(code(stuck('NOTIFIED')), 'never-reports');
		assert.equal(code(stuck('IN_PROGRESS', { progress: '100.00', timeout: '60' })), 'no-version-after-100');
		assert.equal(code(stuck('IN_PROGRESS', { progress: '40.00' })), 'no-timeout');
	});

	void test('recent activity is not stuck', () => {
		assert.equal(code({ ...stuck('NOTIFIED'), now: Date.parse(HOUR_AGO) + 60_000 }), undefined);
		assert.equal(code({ ...stuck('IN_PROGRESS', { progress: '40.00', timeout: '60' }) }), undefined);
	});
});

void test('doctor gathers device state, versions and other tasks for failed tasks only', async () => {
	const fake = new FakeOta()
		.add(job('J1'), [failedTask({ taskDesc: 'report version is not conform' }), task('J1', 8, 'SUCCEEDED')])
		.add(job('J0'), []);
	fake.devices.set('dev-00007', { status: 'ONLINE', version: '1.2.0-dirty' });
	const report = await doctorJob(fake, 'J1', { now: () => NOW });
	assert.deepEqual(
		report.findings.map((f) => [f.task.deviceName, f.device?.version, f.diagnosis?.code]),
		[['dev-00007', '1.2.0-dirty', 'version-mismatch']],
	);
	assert.equal(fake.called('listUnfinishedTasks').length, 1);
	assert.equal(report.notExamined, 0);
});

void test('doctor checks the device name before any call', async () => {
	const fake = new FakeOta().add(job('J1'), [failedTask({})]);
	for (const deviceName of ['a b', 'a,b', ' ']) {
		await assert.rejects(doctorJob(fake, 'J1', { deviceName, now: () => NOW }), { code: 'InvalidListEntry' });
	}
	assert.deepEqual(fake.calls, []);
});
