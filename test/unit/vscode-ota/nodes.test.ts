import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	DevicesNode,
	JobNode,
	LoadMoreNode,
	PackageNode,
	ProductNode,
	TaskGroupNode,
	TaskNode,
	bulkTarget,
	otaRefFromArg,
	otaRefsFromArgs,
	verificationOf,
} from '../../../src/vscode/ota/nodes';
import { job, progress } from './fixtures';

const product = new ProductNode('a1PK', 'Lamp');
const pkg = new PackageNode(product, { firmwareId: 'fw1', firmwareName: 'lamp', destVersion: '1.2.0', status: 1, moduleName: 'wifi' });
const jobNode = new JobNode(pkg, job({ jobId: 'j1', jobType: 'VERIFY_FIRMWARE' }));

void test('verification states from QueryOTAFirmware Status', () => {
	assert.deepEqual([-1, 0, 1, 2, 3, undefined, 9].map(verificationOf), [
		'notRequired',
		'unverified',
		'verified',
		'verifying',
		'verifyFailed',
		'unknown',
		'unknown',
	]);
});

void test('contextValues: kind first, then the flags menus match', () => {
	assert.equal(product.contextValue, 'ota.product');
	assert.equal(pkg.contextValue, 'ota.package verified');
	assert.equal(jobNode.contextValue, 'ota.job IN_PROGRESS verify unwatched');
	const watched = new JobNode(pkg, job({ jobId: 'j2', selectionType: 'DYNAMIC' }));
	watched.watchPhase = 'watching';
	watched.progress = progress({ FAILED: 2, CONFIRM: 1, SUCCEEDED: 4 });
	assert.equal(watched.contextValue, 'ota.job IN_PROGRESS upgrade dynamic watched hasFailed hasConfirm');
	// The manifest's regexes: a watched job, an unwatched one.
	assert.ok(/^ota\.job\b.*\bwatched\b/.test(watched.contextValue));
	assert.ok(!/^ota\.job\b.*\bwatched\b/.test(jobNode.contextValue), '"unwatched" must not match the watched pattern');
	assert.ok(/^ota\.job (PLANNED|IN_PROGRESS)\b.*\bunwatched\b/.test(jobNode.contextValue));
	assert.equal(new TaskGroupNode(jobNode, 'FAILED', 3).contextValue, 'ota.taskGroup FAILED');
	const devices = new DevicesNode(product);
	assert.equal(devices.contextValue, 'ota.devices');
	devices.versionFilter = '1.0.0';
	assert.equal(devices.contextValue, 'ota.devices filtered');
});

void test('a node carries the ids of its path', () => {
	const group = new TaskGroupNode(jobNode, 'FAILED', 3);
	const task = new TaskNode(group, { taskId: 't1', deviceName: 'dev-1', status: 'FAILED' });
	assert.deepEqual(otaRefFromArg(task), {
		productKey: 'a1PK',
		productName: 'Lamp',
		firmwareId: 'fw1',
		destVersion: '1.2.0',
		moduleName: 'wifi',
		verification: 'verified',
		jobId: 'j1',
		jobStatus: 'IN_PROGRESS',
		jobType: 'VERIFY_FIRMWARE',
		taskId: 't1',
		taskStatus: 'FAILED',
		deviceName: 'dev-1',
	});
	assert.equal(otaRefFromArg(group).taskStatus, 'FAILED');
	assert.equal(otaRefFromArg(new LoadMoreNode(group, 50, 120)).jobId, 'j1');
});

void test('plain ids, an Uploads row and anything else', () => {
	assert.deepEqual(otaRefFromArg({ jobId: ' j9 ', haltAt: '5:20', other: 1, taskId: 7 }), { jobId: 'j9', haltAt: '5:20' });
	assert.deepEqual(otaRefFromArg({ entry: { id: 'u1', firmwareId: 'fw7', productKey: 'pk' } }), { firmwareId: 'fw7', productKey: 'pk' });
	assert.deepEqual(otaRefFromArg(undefined), {});
	assert.deepEqual(otaRefFromArg('j1'), {});
});

void test('a multi-selection gives every selected node, a single click its own', () => {
	const a = new TaskGroupNode(jobNode, 'FAILED', 1);
	const b = new TaskGroupNode(jobNode, 'CANCELED', 1);
	assert.deepEqual(
		otaRefsFromArgs(a, [a, b]).map((r) => r.taskStatus),
		['FAILED', 'CANCELED'],
	);
	assert.deepEqual(
		otaRefsFromArgs(a, [b]).map((r) => r.taskStatus),
		['FAILED'],
	);
	assert.deepEqual(otaRefsFromArgs(undefined), []);
});

void test('Retry Failed / Confirm act on the chosen rows that qualify, and never on the whole job once rows are chosen', () => {
	const failed = { jobId: 'j1', taskId: 't1', taskStatus: 'FAILED' as const };
	const succeeded = { jobId: 'j1', taskId: 't2', taskStatus: 'SUCCEEDED' as const };
	const cancelled = { jobId: 'j1', taskId: 't3', taskStatus: 'CANCELED' as const };
	const allowed = ['FAILED', 'CANCELED'] as const;
	assert.deepEqual(bulkTarget([failed, succeeded, cancelled], allowed), {
		kind: 'tasks',
		jobId: 'j1',
		taskIds: ['t1', 't3'],
		leftOut: 1,
	});
	assert.deepEqual(bulkTarget([{ jobId: 'j1', taskId: 't9' }], allowed), { kind: 'tasks', jobId: 'j1', taskIds: ['t9'], leftOut: 0 });
	assert.deepEqual(bulkTarget([succeeded], allowed), { kind: 'noneQualify' });
	assert.deepEqual(bulkTarget([failed, { ...failed, jobId: 'j2', taskId: 't4' }], allowed), { kind: 'mixed' }, 'two jobs');
	assert.deepEqual(bulkTarget([failed, { jobId: 'j1', taskStatus: 'FAILED' }], allowed), { kind: 'mixed' }, 'a task and a group');
	assert.deepEqual(bulkTarget([{ jobId: 'j1', taskStatus: 'FAILED' }, { jobId: 'j2' }], allowed), { kind: 'mixed' }, 'two jobs');
	assert.deepEqual(bulkTarget([{ jobId: 'j1', taskStatus: 'FAILED' }], allowed), { kind: 'job' }, 'a group: its job');
	assert.deepEqual(bulkTarget([], allowed), { kind: 'job' }, 'the palette: the job asked for');
});
