// The context menus of the OTA actions: package.json's `viewItem =~ /…/` clauses evaluated against the contextValues
// the node model really produces, so a renamed flag or state cannot silently hide a command.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TaskStatus } from '../../../src/core/lifecycle';
import { Commands, Views } from '../../../src/vscode/constants';
import { JobNode, PackageNode, ProductNode, TaskGroupNode, TaskNode, type OtaNode } from '../../../src/vscode/ota/nodes';
import type { HistoryEntry } from '../../../src/vscode/model';
import { historyContextValue } from '../../../src/vscode/views/historyPresentation';
import { job, progress } from './fixtures';

interface MenuEntry {
	command: string;
	when?: string;
	group?: string;
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
	contributes: { menus: Record<string, MenuEntry[]> };
};

const ACTIONS: readonly string[] = [
	Commands.verifyOnDevices,
	Commands.rollOut,
	Commands.cancelTasks,
	Commands.retryFailed,
	Commands.confirmTasks,
	Commands.deletePackage,
	Commands.copyFirmwareId,
	Commands.copyJobId,
	Commands.diagnose,
];

/** The action commands the OTA Packages view's context menu offers on a node (a `view == … && viewItem =~ /…/` clause). */
function offered(node: OtaNode): string[] {
	const commands = manifest.contributes.menus['view/item/context']
		.filter((entry) => ACTIONS.includes(entry.command) && entry.when?.startsWith(`view == ${Views.packages} && `))
		.filter((entry) => {
			const match = /viewItem =~ \/(.+)\/$/.exec(entry.when ?? '');
			assert.ok(match, `unexpected when clause: ${entry.when}`);
			return new RegExp(match[1]).test(node.contextValue);
		})
		.map((entry) => entry.command);
	return [...new Set(commands)].sort();
}

const product = new ProductNode('a1PK', 'Lamp');
const pkg = (status: number) => new PackageNode(product, { firmwareId: 'fw1', firmwareName: 'lamp', destVersion: '1.2.0', status });
const sorted = (...commands: string[]) => [...commands].sort();

void test('a package offers Verify while unverified or failed, Roll Out once verified or not needing it', () => {
	const common = [Commands.copyFirmwareId, Commands.deletePackage];
	assert.deepEqual(offered(pkg(0)), sorted(Commands.verifyOnDevices, ...common));
	assert.deepEqual(offered(pkg(3)), sorted(Commands.verifyOnDevices, ...common));
	assert.deepEqual(offered(pkg(1)), sorted(Commands.rollOut, ...common));
	assert.deepEqual(offered(pkg(-1)), sorted(Commands.rollOut, ...common));
	assert.deepEqual(offered(pkg(2)), sorted(...common), 'nothing to start while verifying');
});

void test('a job offers Cancel while open, Retry with failures, Confirm with tasks waiting', () => {
	const running = new JobNode(pkg(1), job({ jobStatus: 'IN_PROGRESS' }));
	running.progress = progress({ FAILED: 1, CONFIRM: 2, QUEUED: 3 });
	assert.deepEqual(
		offered(running),
		sorted(Commands.cancelTasks, Commands.retryFailed, Commands.confirmTasks, Commands.diagnose, Commands.copyJobId),
	);
	const done = new JobNode(pkg(1), job({ jobStatus: 'COMPLETED' }));
	done.progress = progress({ SUCCEEDED: 3 }, { jobStatus: 'COMPLETED' });
	assert.deepEqual(offered(done), sorted(Commands.diagnose, Commands.copyJobId));
});

void test('task groups and tasks offer what applies to their status', () => {
	const parent = new JobNode(pkg(1), job());
	const group = (status: TaskStatus) => offered(new TaskGroupNode(parent, status, 1));
	assert.deepEqual(group('FAILED'), sorted(Commands.retryFailed, Commands.diagnose));
	assert.deepEqual(group('CONFIRM'), sorted(Commands.confirmTasks, Commands.cancelTasks));
	assert.deepEqual(group('IN_PROGRESS'), sorted(Commands.cancelTasks));
	assert.deepEqual(group('SUCCEEDED'), []);
	const task = (status: TaskStatus) =>
		offered(new TaskNode(new TaskGroupNode(parent, status, 1), { taskId: 't1', deviceName: 'd1', status }));
	assert.deepEqual(task('FAILED'), sorted(Commands.retryFailed, Commands.diagnose, Commands.copyJobId));
	assert.deepEqual(task('CANCELED'), sorted(Commands.retryFailed, Commands.diagnose, Commands.copyJobId));
	assert.deepEqual(task('CONFIRM'), sorted(Commands.confirmTasks, Commands.cancelTasks, Commands.diagnose, Commands.copyJobId));
	assert.deepEqual(task('NOTIFIED'), sorted(Commands.cancelTasks, Commands.diagnose, Commands.copyJobId));
	assert.deepEqual(task('SUCCEEDED'), sorted(Commands.diagnose, Commands.copyJobId));
});

void test('every action is in the palette, and the fix command only through a diagnosis', () => {
	const hidden = manifest.contributes.menus.commandPalette.filter((entry) => entry.when === 'false').map((entry) => entry.command);
	assert.deepEqual(
		ACTIONS.filter((command) => hidden.includes(command)),
		[],
	);
	assert.ok(hidden.includes(Commands.registerImageVersion));
});

/** The commands among `commands` an Uploads row of `row` offers in its context menu. */
function rowOffers(row: Partial<HistoryEntry>, commands: readonly string[], now = Date.now()): string[] {
	return manifest.contributes.menus['view/item/context']
		.filter((entry) => commands.includes(entry.command) && entry.when?.startsWith(`view == ${Views.uploads} && `))
		.filter((entry) => {
			const match = /viewItem (==|=~) \/?(.+?)\/?$/.exec(entry.when ?? '');
			assert.ok(match, `unexpected when clause: ${entry.when}`);
			const contextValue = historyContextValue(row as HistoryEntry, now);
			return match[1] === '==' ? match[2] === contextValue : new RegExp(match[2]).test(contextValue);
		})
		.map((entry) => entry.command)
		.sort()
		.filter((command, i, all) => all.indexOf(command) === i);
}

void test('an Uploads row offers Delete Package once its package is registered (and Verify), no other OTA action', () => {
	assert.deepEqual(rowOffers({ status: 'registered' }, ACTIONS), sorted(Commands.deletePackage, Commands.verifyOnDevices));
	for (const status of ['uploaded', 'uploading', 'failed', 'cancelled', 'deleted'] as const) {
		assert.deepEqual(rowOffers({ status }, ACTIONS), [], status);
	}
});

void test('an Uploads row whose package was deleted offers re-upload, and Create OTA Firmware only while its upload’s window is open', () => {
	const ROW = [...ACTIONS, Commands.revealPackage, Commands.createOtaFirmware, Commands.uploadFirmware, Commands.removeHistoryEntry];
	const finishedAt = Date.now();
	const deleted = { status: 'deleted', finishedAt, startedAt: finishedAt, firmwareId: 'fw-1', firmwareUrl: 'https://o/fw.bin' } as const;
	assert.deepEqual(
		rowOffers(deleted, ROW, finishedAt),
		sorted(Commands.createOtaFirmware, Commands.uploadFirmware, Commands.removeHistoryEntry),
	);
	assert.deepEqual(rowOffers(deleted, ROW, finishedAt + 2 * 3_600_000), sorted(Commands.uploadFirmware, Commands.removeHistoryEntry));
	assert.deepEqual(
		rowOffers({ ...deleted, status: 'registered' }, ROW, finishedAt),
		sorted(Commands.deletePackage, Commands.verifyOnDevices, Commands.revealPackage, Commands.removeHistoryEntry),
	);
});
