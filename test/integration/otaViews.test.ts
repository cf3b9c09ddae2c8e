// The OTA Packages view in a real VS Code against the suite's sandbox fleet: products with the package quota, packages
// (version, verification, size, tooltip), jobs, task groups with counts paged by Load more, devices (online state,
// versions, the version filter, a device's unfinished tasks), and the Uploads row that links to its package.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../src/sandbox';
import { Commands, Views } from '../../src/vscode/constants';
import { UploadDetailNode } from '../../src/vscode/views/uploadsTree';
import type { DeviceNode, DevicesNode, LoadMoreNode, OtaNode, TaskGroupNode, TaskNode } from '../../src/vscode/ota/nodes';
import { assertNoSeamErrors, extensionApi, resetExtensionState, setSetting, signIn, stopSuite, type SuiteContext } from './helpers/ota';
import { description, Fleet, jobNode, label, packageNode, productNode } from './helpers/otaFleet';

const DEVICES = 120;

describe('OTA Packages view', function () {
	this.timeout(120_000);
	let ctx: SuiteContext;
	let fleet: Fleet;
	let verifiedPackage: { firmwareId: string; destVersion: string; firmwareName: string; size: number };
	let verifyJobId: string;
	let confirmJobId: string;

	before(async () => {
		const api = await extensionApi();
		await resetExtensionState(api);
		const sandbox = await startSandbox({ devices: DEVICES, timeScale: 60 });
		ctx = { api, sandbox };
		fleet = new Fleet(sandbox);
		await signIn(ctx);
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		verifiedPackage = await fleet.registerFirmware('udi-of-the-views-suite');
		verifyJobId = await fleet.verify(verifiedPackage.firmwareId, ['dev-00001', 'dev-00002', 'dev-00003']);
		// Every device of the fleet gets a task that waits for confirmation: a job that stands still while we look.
		confirmJobId = await fleet.rollOut({ firmwareId: verifiedPackage.firmwareId, target: { kind: 'all' }, needConfirm: true });
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
		ctx.api.ota.tree.refresh();
	});

	after(async () => {
		// A visible OTA Packages view reloads when the account changes: later suites count their sandbox's calls.
		await vscode.commands.executeCommand('workbench.view.explorer');
		fleet?.dispose();
		await stopSuite(ctx);
	});

	it('lists the products under the package quota of the instance (n / 500)', async () => {
		const roots = await ctx.api.ota.tree.getChildren();
		const quota = roots[0];
		assert.equal(quota.kind, 'quota');
		const total = (await fleet.api.listFirmware({ pageSize: 1 })).total;
		assert.equal(label(ctx.api, quota), `Packages: ${total} / 500`);
		const product = await productNode(ctx.api, ctx.sandbox.productKey);
		assert.equal(description(ctx.api, product), ctx.sandbox.productKey);
		assert.equal(product.contextValue, 'ota.product');
	});

	it('shows a package with its version, verification state, size and a tooltip with sign, type, module and Udi', async () => {
		const pkg = await packageNode(ctx.api, ctx.sandbox.productKey, verifiedPackage.firmwareId);
		assert.equal(label(ctx.api, pkg), verifiedPackage.firmwareName);
		const size = '24.0 KB'; // Fleet.registerFirmware writes 24 KiB and a few bytes
		assert.ok(
			description(ctx.api, pkg).startsWith(`${verifiedPackage.destVersion} · Verified · ${size} · `),
			description(ctx.api, pkg),
		);
		assert.equal(pkg.contextValue, 'ota.package verified');
		const item = await ctx.api.ota.tree.resolveTreeItem(ctx.api.ota.tree.getTreeItem(pkg), pkg);
		const tooltip = (item.tooltip as vscode.MarkdownString).value;
		for (const expected of ['udi\\-of\\-the\\-views\\-suite', 'MD5', 'Full', 'default', verifiedPackage.firmwareId]) {
			assert.ok(tooltip.includes(expected), `tooltip lacks ${expected}: ${tooltip}`);
		}
		const unverified = await fleet.registerFirmware();
		ctx.api.ota.tree.refresh({ productKey: ctx.sandbox.productKey });
		const fresh = await packageNode(ctx.api, ctx.sandbox.productKey, unverified.firmwareId);
		assert.match(description(ctx.api, fresh), / · Not verified · /);
		assert.equal(fresh.contextValue, 'ota.package unverified');
	});

	it('lists the jobs of a package with type, status and counts, newest first', async () => {
		const pkg = await packageNode(ctx.api, ctx.sandbox.productKey, verifiedPackage.firmwareId);
		const jobs = (await ctx.api.ota.tree.getChildren(pkg)).filter((n) => n.kind === 'job');
		assert.deepEqual(
			jobs.map((n) => (n.kind === 'job' ? n.jobId : '')),
			[confirmJobId, verifyJobId],
		);
		const verify = await jobNode(ctx.api, pkg, verifyJobId);
		assert.equal(label(ctx.api, verify), 'Verification');
		await ctx.api.ota.tree.getChildren(verify); // expanding counts the tasks
		assert.equal(description(ctx.api, verify), `${verifyJobId} · Completed · 3/3 ✓`);
		assert.match(verify.contextValue, /^ota\.job COMPLETED verify unwatched$/);
	});

	it('groups a job of 120 tasks by status with counts and pages each group with Load more', async () => {
		const pkg = await packageNode(ctx.api, ctx.sandbox.productKey, verifiedPackage.firmwareId);
		const job = await jobNode(ctx.api, pkg, confirmJobId);
		assert.equal(label(ctx.api, job), 'Rollout to all devices');
		const groups = await ctx.api.ota.tree.getChildren(job);
		// The 3 verification devices are on the version already: the platform skips them.
		assert.deepEqual(
			groups.map((g) => label(ctx.api, g)),
			[`Waiting for confirmation (${DEVICES - 3})`],
		);
		const group = groups[0] as TaskGroupNode;
		assert.equal(group.contextValue, 'ota.taskGroup CONFIRM');
		const calls = ctx.sandbox.stats.apiCalls.ListOTATaskByJob ?? 0;
		let rows = await ctx.api.ota.tree.getChildren(group);
		assert.equal(rows.length, 51, '50 tasks and Load more');
		assert.equal((ctx.sandbox.stats.apiCalls.ListOTATaskByJob ?? 0) - calls, 1, 'one call for the first page');
		const more = rows[50] as LoadMoreNode;
		assert.equal(more.kind, 'loadMore');
		assert.equal(label(ctx.api, more), 'Load more…');
		assert.equal(description(ctx.api, more), `50 of ${DEVICES - 3}`);
		const task = rows[0] as TaskNode;
		assert.match(label(ctx.api, task), /^dev-\d{5}$/);
		assert.equal(task.contextValue, 'ota.task CONFIRM');
		assert.deepEqual(
			{ jobId: task.ref.jobId, taskStatus: task.ref.taskStatus, firmwareId: task.ref.firmwareId },
			{ jobId: confirmJobId, taskStatus: 'CONFIRM', firmwareId: verifiedPackage.firmwareId },
		);
		await vscode.commands.executeCommand(Commands.loadMore, more);
		rows = await ctx.api.ota.tree.getChildren(group);
		assert.equal(rows.length, 101);
		await vscode.commands.executeCommand(Commands.loadMore, rows[100]);
		rows = await ctx.api.ota.tree.getChildren(group);
		assert.equal(rows.length, DEVICES - 3, 'every task, no Load more');
		assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
		assert.ok(!rows.some((r) => r.kind === 'loadMore'));
	});

	it('lists devices with online state and version, filters them by version and reveals a device’s unfinished tasks', async () => {
		const product = await productNode(ctx.api, ctx.sandbox.productKey);
		const devices = (await ctx.api.ota.tree.getChildren(product)).find((n): n is DevicesNode => n.kind === 'devices');
		assert.ok(devices);
		let rows = await ctx.api.ota.tree.getChildren(devices);
		assert.equal(rows.length, 51);
		assert.equal(rows[50].kind, 'loadMore');
		assert.equal(description(ctx.api, rows[50]), `50 of ${DEVICES}`);
		const listed = rows.filter(
			(r): r is DeviceNode => r.kind === 'device' && !['dev-00001', 'dev-00002', 'dev-00003'].includes(r.device.deviceName),
		);
		const [online, offline] = listed.map((r) => r.device.deviceName);
		assert.equal(description(ctx.api, listed[0]), 'Online · 1.0.0');
		ctx.sandbox.ota.setDevices({ deviceNames: [offline] }, { online: false });
		ctx.api.ota.tree.refresh({ productKey: ctx.sandbox.productKey });
		await ctx.api.ota.tree.getChildren(product);
		rows = await ctx.api.ota.tree.getChildren(devices);
		const byName = (name: string) => rows.find((r): r is DeviceNode => r.kind === 'device' && r.device.deviceName === name);
		assert.equal(description(ctx.api, byName(online) as OtaNode), 'Online · 1.0.0');
		assert.equal(description(ctx.api, byName(offline) as OtaNode), 'Offline · 1.0.0');
		assert.equal((byName(offline) as DeviceNode).contextValue, 'ota.device offline');

		ctx.api.testSeam.queue({ id: 'ota.deviceFilter', pick: verifiedPackage.destVersion });
		await vscode.commands.executeCommand(Commands.filterDevices, devices);
		assertNoSeamErrors(ctx.api);
		assert.equal(devices.contextValue, 'ota.devices filtered');
		assert.equal(description(ctx.api, devices), `version ${verifiedPackage.destVersion}`);
		const filtered = await ctx.api.ota.tree.getChildren(devices);
		assert.deepEqual(filtered.map((r) => label(ctx.api, r)).sort(), ['dev-00001', 'dev-00002', 'dev-00003']);
		assert.equal(description(ctx.api, filtered[0]), `Online · ${verifiedPackage.destVersion}`);
		ctx.api.testSeam.queue({ id: 'ota.deviceFilter', pick: 'All versions' });
		await vscode.commands.executeCommand(Commands.filterDevices, devices);
		assert.equal(devices.contextValue, 'ota.devices');
		rows = await ctx.api.ota.tree.getChildren(devices);
		assert.equal(rows.length, 51);

		const device = byName(online) as DeviceNode;
		await vscode.commands.executeCommand(Commands.showDeviceTasks, device);
		const [version, tasks] = await ctx.api.ota.tree.getChildren(device);
		assert.equal(label(ctx.api, version), 'default');
		assert.equal(description(ctx.api, version), '1.0.0');
		assert.equal(tasks.kind, 'deviceTasks');
		const unfinished = await ctx.api.ota.tree.getChildren(tasks);
		assert.deepEqual(
			unfinished.map((t) => label(ctx.api, t)),
			[confirmJobId],
		);
		assert.equal(ctx.api.ota.treeView.selection[0]?.id, tasks.id, 'the unfinished tasks are revealed');
	});

	it('an Uploads row links to its registered package in the OTA Packages view', async () => {
		const upload = {
			id: 'views-registered',
			fileUri: 'file:///w/fw.bin',
			fileName: 'fw.bin',
			size: 1,
			suffix: 'bin' as const,
			profile: 'sandbox-user',
			region: 'cn-shanghai',
			startedAt: Date.now(),
			status: 'registered' as const,
			firmwareId: verifiedPackage.firmwareId,
			productKey: ctx.sandbox.productKey,
		};
		// The FirmwareId row of the upload is the link; its context menu offers the same.
		const item = ctx.api.views.uploads.getTreeItem(new UploadDetailNode(upload, 'firmwareId', verifiedPackage.firmwareId));
		assert.equal(item.command?.command, Commands.revealPackage);
		await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
		assert.equal(ctx.api.ota.treeView.selection[0]?.id, `ota:package:${verifiedPackage.firmwareId}`);
		const menu = vscode.extensions.all
			.find((e) => e.packageJSON?.contributes?.views?.iotOta)
			?.packageJSON.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === Commands.revealPackage);
		assert.equal(menu?.when, 'view == iotOta.uploads && viewItem == upload.registered');
	});

	it('shows a clear row instead of the products when the account cannot be reached', async () => {
		ctx.sandbox.faults.add({ target: 'api', action: 'QueryProductList', kind: 'status', status: 403, code: 'Forbidden.RAM', times: 1 });
		ctx.api.ota.tree.refresh();
		const roots = await ctx.api.ota.tree.getChildren();
		assert.equal(roots.length, 1);
		assert.equal(roots[0].kind, 'message');
		assert.match(label(ctx.api, roots[0]), /^Could not load: /);
		ctx.api.ota.tree.refresh();
		assert.ok((await ctx.api.ota.tree.getChildren()).some((n) => n.kind === 'product'));
	});
});
