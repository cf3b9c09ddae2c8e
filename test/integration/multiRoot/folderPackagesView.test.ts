// The OTA Packages view in a multi-root workspace whose folders choose different connections (product-a: the sandbox's
// Enterprise instance; product-b: another region): one row per connection, each listing its products and packages through
// its own connection; commands on a row's nodes act there, and Show in OTA Packages on product-b's Uploads row reveals
// the package under product-b's row. (The sandbox keeps each instance's packages apart, but one store for every region:
// where a row's calls went is read in the request log.)
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands, Views } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';
import type { DiagnoseResult } from '../../../src/vscode/ota/actions/diagnose';
import type { VerifyResult } from '../../../src/vscode/ota/actions/verify';
import type { WatchStart } from '../../../src/vscode/ota/contract';
import type { ConnectionNode, DevicesNode, JobNode, OtaNode, PackageNode, ProductNode } from '../../../src/vscode/ota/nodes';
import { registerPackage } from '../helpers/fleet';
import { errorTexts, useSuite } from '../helpers/ota';
import { setFolderSetting, workspaceFolder } from '../helpers/workspaceFolders';

describe('IoT OTA Packages view with per-folder connections (multi-root workspace)', () => {
	const ctx = useSuite({ timeScale: 60 });
	const productA = () => workspaceFolder('product-a');
	const productB = () => workspaceFolder('product-b');
	const tree = () => ctx.api.ota.tree;

	before(async () => {
		assert.ok(vscode.workspace.workspaceFile, 'a multi-root workspace');
		// The profile is in cn-shanghai on the public instance (helpers/ota.ts signIn).
		await setFolderSetting(productA(), 'iotInstanceId', ctx.sandbox.enterpriseInstanceId);
		await setFolderSetting(productB(), 'region', 'ap-southeast-1');
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
		tree().refresh();
	});

	after(async () => {
		await setFolderSetting(productA(), 'iotInstanceId', undefined);
		await setFolderSetting(productB(), 'region', undefined);
		await vscode.commands.executeCommand('workbench.view.explorer');
	});

	/** The view's connection rows: product-a's, then product-b's. */
	async function groups(): Promise<[ConnectionNode, ConnectionNode]> {
		const roots = await tree().getChildren();
		assert.deepEqual(
			roots.map((n) => n.kind),
			['connection', 'connection'],
			JSON.stringify(roots.map((n) => n.id)),
		);
		return roots as [ConnectionNode, ConnectionNode];
	}

	async function productOf(group: ConnectionNode): Promise<ProductNode> {
		const product = (await tree().getChildren(group)).find(
			(n): n is ProductNode => n.kind === 'product' && n.productKey === ctx.sandbox.productKey,
		);
		assert.ok(product, JSON.stringify(errorTexts(ctx.api)));
		return product;
	}

	async function packageOf(group: ConnectionNode, firmwareId: string): Promise<PackageNode> {
		tree().refresh();
		const pkg = (await tree().getChildren(await productOf(group))).find(
			(n): n is PackageNode => n.kind === 'package' && n.firmware.firmwareId === firmwareId,
		);
		assert.ok(pkg, `package ${firmwareId} under ${group.id}`);
		return pkg;
	}

	const callsOf = (action: string) => ctx.sandbox.requests.entries.filter((e) => e.action === action);

	it('shows one row per connection, named by region and instance, with its folders; each lists its products through its own connection', async () => {
		const { sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const [a, b] = await groups();
		const itemA = tree().getTreeItem(a);
		const itemB = tree().getTreeItem(b);
		assert.equal(itemA.label, `cn-shanghai · ${sandbox.enterpriseInstanceId}`);
		assert.equal(itemA.description, 'product-a');
		assert.equal(itemB.label, 'ap-southeast-1 · public instance');
		assert.equal(itemB.description, 'product-b');
		// Markdown-escaped (`iotOta\\.region`): read without the escapes.
		assert.match(
			(itemB.tooltip as vscode.MarkdownString).value.replaceAll('\\', ''),
			/different iotOta\.region, iotOta\.iotInstanceId/,
		);

		// Read anew (the visible view may read its rows too): each row's products come through its own connection, none
		// through the window's (cn-shanghai, public instance).
		sandbox.requests.clear();
		tree().refresh();
		const productUnderA = await productOf(a);
		const productUnderB = await productOf(b);
		const reached = new Set(callsOf('QueryProductList').map((e) => `${e.params.RegionId} ${e.params.IotInstanceId ?? 'public'}`));
		assert.deepEqual([...reached].sort(), [`cn-shanghai ${sandbox.enterpriseInstanceId}`, 'ap-southeast-1 public'].sort());
		assert.notEqual(productUnderA.id, productUnderB.id, 'the same ProductKey under two connections: two nodes');
		assert.ok(productUnderB.id.startsWith(`${b.id}/`), productUnderB.id);

		sandbox.requests.clear();
		const underB = await packageOf(b, pkg.firmwareId);
		const lists = callsOf('ListOTAFirmware').filter((e) => e.params.ProductKey === sandbox.productKey);
		assert.ok(lists.length > 0);
		assert.deepEqual(
			lists.filter((e) => e.params.RegionId !== 'ap-southeast-1' || e.params.IotInstanceId !== undefined),
			[],
			"product-b's packages were listed in product-b's region",
		);
		// The sandbox keeps each instance's packages apart: product-a's row (the Enterprise instance) does not list it.
		tree().refresh();
		const listedUnderA = (await tree().getChildren(await productOf(a))).filter((n): n is PackageNode => n.kind === 'package');
		assert.equal(
			listedUnderA.some((n) => n.firmware.firmwareId === pkg.firmwareId),
			false,
			JSON.stringify(listedUnderA.map((n) => n.id)),
		);
		assert.deepEqual(underB.place, { profile: 'sandbox-user', scope: productB().uri.toString(), folder: productB().uri.toString() });
	});

	it("Verify…, Diagnose and Watch Job on product-b's nodes act through product-b's connection; the watch keeps its place", async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const [, b] = await groups();
		const node = await packageOf(b, pkg.firmwareId);
		sandbox.requests.clear();
		api.testSeam.queue({ id: 'verify.devices', picks: ['dev-00001'] }, { id: 'verify.timeout', input: '' });
		const verified = await vscode.commands.executeCommand<VerifyResult>(Commands.verifyOnDevices, node);
		assert.ok(verified?.jobId, JSON.stringify(errorTexts(api)));
		const created = callsOf('CreateOTAVerifyJob');
		assert.deepEqual(
			created.map((e) => [e.params.FirmwareId, e.params.RegionId, e.params.IotInstanceId]),
			[[pkg.firmwareId, 'ap-southeast-1', undefined]],
		);

		tree().refresh();
		const job = (await tree().getChildren(await packageOf(b, pkg.firmwareId))).find(
			(n): n is JobNode => n.kind === 'job' && n.jobId === verified.jobId,
		);
		assert.ok(job, 'the verification job under product-b');
		sandbox.requests.clear();
		const diagnosed = await vscode.commands.executeCommand<DiagnoseResult>(Commands.diagnose, job);
		assert.ok(diagnosed?.report, JSON.stringify(errorTexts(api)));
		const jobCalls = sandbox.requests.entries.filter((e) => e.params.JobId === verified.jobId);
		assert.ok(jobCalls.length > 0);
		assert.deepEqual(
			jobCalls.filter((e) => e.params.RegionId !== 'ap-southeast-1' || e.params.IotInstanceId !== undefined).map((e) => e.action),
			[],
			"every call of Diagnose went to product-b's connection",
		);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');

		const started = await vscode.commands.executeCommand<WatchStart>(Commands.watchJob, job);
		assert.equal(started?.started, true, JSON.stringify(errorTexts(api)));
		const { scope, folder } = started.snapshot.watched;
		assert.deepEqual([scope, folder], [productB().uri.toString(), productB().uri.toString()], 'the watch polls at the row place');
		await api.ota.watches.unwatch(verified.jobId);
	});

	it("Show in OTA Packages on product-b's Uploads row reveals the package under product-b's row", async () => {
		const { api, sandbox } = ctx;
		const file = vscode.Uri.joinPath(productB().uri, 'fw-view-b.bin');
		writeFileSync(file.fsPath, randomBytes(4096));
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, file);
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '7.1.0' },
			{ id: 'create.firmwareName', input: 'product-b-7_1_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, { entry });
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(registered.region, 'ap-southeast-1');

		tree().refresh();
		await vscode.commands.executeCommand(Commands.revealPackage, { entry: registered });
		const [, b] = await groups();
		const selected: OtaNode | undefined = api.ota.treeView.selection[0];
		assert.equal(selected?.id, `${b.id}/ota:package:${registered.firmwareId}`, JSON.stringify(errorTexts(api)));
	});
	it('Filter Devices given the ProductKey alone asks which row, both showing the product, and filters under the one picked', async () => {
		const { api, sandbox } = ctx;
		const [a, b] = await groups();
		const devicesOf = async (group: ConnectionNode) => {
			const devices = (await tree().getChildren(await productOf(group))).find((n): n is DevicesNode => n.kind === 'devices');
			assert.ok(devices, `devices under ${group.id}`);
			await tree().getChildren(devices);
			return devices;
		};
		const [devicesA, devicesB] = [await devicesOf(a), await devicesOf(b)];
		sandbox.requests.clear();
		api.testSeam.queue({ id: 'ota.rowPick', pick: 'ap-southeast-1 · public instance' }, { id: 'ota.deviceFilter', input: '9.9.9' });
		await vscode.commands.executeCommand(Commands.filterDevices, { productKey: sandbox.productKey });
		const asked = api.testSeam.calls.filter((call) => call.id === 'ota.rowPick');
		assert.deepEqual(asked.at(-1)?.options, [`cn-shanghai · ${sandbox.enterpriseInstanceId}`, 'ap-southeast-1 · public instance']);
		assert.deepEqual([devicesA.versionFilter, devicesB.versionFilter], [undefined, '9.9.9'], JSON.stringify(errorTexts(api)));
		const versionReads = callsOf('ListOTAFirmware');
		assert.ok(versionReads.length > 0);
		assert.deepEqual(
			versionReads.filter((e) => e.params.RegionId !== 'ap-southeast-1' || e.params.IotInstanceId !== undefined),
			[],
			"the versions offered are read through product-b's connection",
		);
		api.testSeam.queue({ id: 'ota.deviceFilter', pick: 'All versions' });
		await vscode.commands.executeCommand(Commands.filterDevices, devicesB);
		assert.equal(devicesB.versionFilter, undefined);
	});
});
