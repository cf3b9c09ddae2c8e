// The OTA Packages view when the open folders choose several connections: one row per connection, every node below it
// carrying the row's place in its id and for its commands; one connection: no rows, ids as before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OtaPlace } from '../../../src/vscode/ota/contract';
import { OtaError } from '../../../src/core/errors';
import { installVscodeStub } from '../../support/vscodeStub';
import { job } from './fixtures';
import { groupA, groupB, placeA, placeB, treeData } from './rowFixtures';

const stub = installVscodeStub();
// What the tree provider's module reads at load.
(stub as unknown as Record<string, unknown>).TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };

void describe('the OTA Packages view with several connections', () => {
	void test('one connection: the products at the root with the ids of before, no place', async () => {
		const { data, calls } = await treeData([]);
		const roots = await data.children();
		assert.deepEqual(
			roots.map((n) => n.id),
			['ota:quota', 'ota:product:pk1'],
		);
		const [pkg] = await data.children(roots[1]);
		assert.equal(pkg.id, 'ota:package:fw-window');
		assert.equal(pkg.place, undefined);
		assert.ok(
			calls.every((call) => call.startsWith('window ')),
			calls.join(),
		);
	});

	void test("one row per connection; each lists its products, packages and jobs through the row's connection, ids under the row", async () => {
		const { data, calls, connectedAt } = await treeData([groupA, groupB]);
		const roots = await data.children();
		assert.deepEqual(
			roots.map((n) => [n.kind, n.id]),
			[
				['connection', 'ota:connection:cn-shanghai||iot-1'],
				['connection', 'ota:connection:ap-southeast-1||'],
			],
		);
		const [a, b] = roots;
		const productsA = await data.children(a);
		const productsB = await data.children(b);
		assert.deepEqual(
			productsB.map((n) => n.id),
			['ota:connection:ap-southeast-1||/ota:quota', 'ota:connection:ap-southeast-1||/ota:product:pk1'],
		);
		assert.notEqual(productsA[1].id, productsB[1].id, 'the same ProductKey in two regions: two nodes');
		const [pkgB] = await data.children(productsB[1]);
		const [jobB] = await data.children(pkgB);
		assert.deepEqual(
			[pkgB.id, jobB.id],
			['ota:connection:ap-southeast-1||/ota:package:fw-b', 'ota:connection:ap-southeast-1||/ota:job:job-b'],
		);
		for (const node of [productsB[0], productsB[1], pkgB, jobB]) {
			assert.equal(node.place, placeB, node.id);
		}
		assert.deepEqual(calls, [
			'a QueryProductList',
			'a ListOTAFirmware',
			'b QueryProductList',
			'b ListOTAFirmware',
			'b ListOTAFirmware',
			'b ListOTAJobByFirmware',
		]);
		assert.deepEqual(connectedAt, [placeA, placeB], "each row's connection is made once and kept");
	});

	void test("a reference is located under its place's row, or without a place under the first row that has it", async () => {
		const { data } = await treeData([groupA, groupB]);
		const underB = await data.locate({ productKey: 'pk1', firmwareId: 'fw-b' }, placeB);
		assert.equal(underB.id, 'ota:connection:ap-southeast-1||/ota:package:fw-b');
		const found = await data.locate({ productKey: 'pk1', firmwareId: 'fw-b' });
		assert.equal(found, underB);
		await assert.rejects(data.locate({ productKey: 'pk1', firmwareId: 'fw-b' }, placeA), /fw-b is not in the OTA Packages view/);
		await assert.rejects(
			data.locate({ productKey: 'pk1', firmwareId: 'fw-b' }, { profile: 'p', scope: 'file:///elsewhere' }),
			/fw-b is not in the OTA Packages view/,
		);
	});

	void test("without a place, a job or package that only its id names is looked up row by row: another row's not-found goes on", async () => {
		const { data, calls } = await treeData([groupA, groupB]);
		const job = await data.locate({ jobId: 'job-b' });
		assert.equal(job.id, 'ota:connection:ap-southeast-1||/ota:job:job-b');
		assert.deepEqual(
			calls.filter((call) => call.endsWith('QueryOTAJob')),
			['a QueryOTAJob', 'b QueryOTAJob'],
		);
		const pkg = await data.locate({ firmwareId: 'fw-b' });
		assert.equal(pkg.id, 'ota:connection:ap-southeast-1||/ota:package:fw-b');
		// At the last row (or the place's) the platform's answer stands.
		await assert.rejects(
			data.locate({ jobId: 'job-c' }),
			(error: unknown) => error instanceof OtaError && error.code === 'iot.ota.InvalidJobId',
		);
		await assert.rejects(
			data.locate({ jobId: 'job-b' }, placeA),
			(error: unknown) => error instanceof OtaError && error.code === 'iot.ota.InvalidJobId',
		);
	});
});

void describe('commands on a row of a connection', () => {
	const access = (calls: string[]) => ({
		connect: async () => (calls.push('connect'), {}),
		connectAt: async (place: OtaPlace) => (calls.push(`connectAt ${place.scope}`), {}),
	});

	void test("act at the row's place (node, task, load more, devices); plain ids and rows without a connection row: the active profile", async () => {
		const { ConnectionNode, ProductNode, PackageNode, JobNode, TaskGroupNode, TaskNode, LoadMoreNode, DevicesNode } =
			await import('../../../src/vscode/ota/nodes.js');
		const { placedConnection } = await import('../../../src/vscode/ota/actions/resolve.js');
		const row = new ConnectionNode(groupB.key, groupB.connection, groupB.folders, placeB, groupB.differing);
		const product = new ProductNode('pk1', 'Lamp', 1, row);
		const pkg = new PackageNode(product, { firmwareId: 'fw', firmwareName: 'n', destVersion: '1', status: 1 });
		const group = new TaskGroupNode(new JobNode(pkg, job({ jobId: 'j1' })), 'FAILED', 3);
		const task = new TaskNode(group, { taskId: 't1', jobId: 'j1', deviceName: 'd1', status: 'FAILED' } as never);
		const nodes = [product, pkg, group, task, new LoadMoreNode(group, 50, 100), new DevicesNode(product)];
		const calls: string[] = [];
		const s = { ota: { access: access(calls) } } as never;
		for (const node of nodes) {
			await placedConnection(s, node);
		}
		await placedConnection(s, { jobId: 'j1' });
		await placedConnection(s, new ProductNode('pk1', 'Lamp'));
		await placedConnection(s, { entry: { profile: 'p', fileUri: 'file:///w/b/fw.bin', folder: 'file:///w/b' } });
		assert.deepEqual(calls, [...nodes.map(() => 'connectAt file:///w/b'), 'connect', 'connect', 'connect']);
	});
});

void test('the view reloads when workspace folders are added or removed (the connection rows may change)', async () => {
	const { OtaTreeProvider } = await import('../../../src/vscode/ota/tree.js');
	const none = () => ({ dispose: () => undefined });
	let foldersChanged: () => void = () => assert.fail('not subscribed');
	const tree = new OtaTreeProvider({
		access: { onDidChange: none },
		watches: { onDidChange: none },
		groups: { profiles: { active: () => undefined } },
		onDidChangeFolders: (listener: () => void) => ((foldersChanged = listener), none()),
	} as never);
	const fired: unknown[] = [];
	tree.onDidChangeTreeData((node) => fired.push(node));
	tree.cache.reuse({ kind: 'quota', id: 'ota:quota' } as never);
	foldersChanged();
	assert.deepEqual(fired, [undefined], 'the whole view');
	assert.equal(tree.cache.size, 0, 'nothing kept of the rows before');
	tree.dispose();
});

void test("a watch's events reach its job under the rows, also once its place's connection is no row (its folder was removed)", async () => {
	const { OtaTreeProvider } = await import('../../../src/vscode/ota/tree.js');
	const { ConnectionNode, ProductNode, PackageNode, JobNode } = await import('../../../src/vscode/ota/nodes.js');
	const none = () => ({ dispose: () => undefined });
	let watchEvent: (event: unknown) => void = () => assert.fail('not subscribed');
	const tree = new OtaTreeProvider({
		access: { onDidChange: none },
		watches: { onDidChange: (listener: (event: unknown) => void) => ((watchEvent = listener), none()) },
		// The watch's place gives no row's key (placeKey: undefined).
		groups: { profiles: { active: () => undefined, get: () => undefined } },
		onDidChangeFolders: none,
	} as never);
	const row = new ConnectionNode(groupB.key, groupB.connection, groupB.folders, placeB, groupB.differing);
	tree.cache.setChildren('ota:root', [tree.cache.reuse(row)]);
	const pkg = new PackageNode(new ProductNode('pk1', 'Lamp', 1, row), {
		firmwareId: 'fw',
		firmwareName: 'n',
		destVersion: '1',
		status: 1,
	});
	const node = tree.cache.reuse(new JobNode(pkg, job({ jobId: 'j1' })));
	node.watchPhase = 'watching';
	const fired: unknown[] = [];
	tree.onDidChangeTreeData((changed) => fired.push(changed));
	const watched = { jobId: 'j1', profile: 'p', scope: 'file:///w/gone', folder: 'file:///w/gone', since: 0 };
	watchEvent({ type: 'stopped', jobId: 'j1', snapshot: { watched, phase: 'ended', job: job({ jobId: 'j1' }) } });
	assert.equal(node.watchPhase, undefined, 'the row no longer says watching');
	assert.deepEqual(fired, [node]);
	tree.dispose();
});

void test("a job diagnosed under a connection row: the report's fixes (lenses, task hover links) act at the row's place", async () => {
	const { fixesFor, renderReport } = await import('../../../src/vscode/ota/actions/diagnosisReport.js');
	const { diagnosisValues } = await import('../../../src/core/lifecycle/index.js');
	const { plainL10n } = await import('../../../src/vscode/upload/progressFormat.js');
	const failed = { taskId: 't1', jobId: 'j1', deviceName: 'd1', status: 'FAILED' as const };
	const diagnosis = (code: string) => ({ code, cause: 'c', fix: 'f' });
	const fixes = [
		...fixesFor(failed, diagnosis('flash-failed'), undefined, undefined, plainL10n, placeB),
		...fixesFor(failed, diagnosis('version-mismatch'), { jobId: 'j1', firmwareId: 'fw1' }, '3.0.0', plainL10n, placeB),
		...fixesFor({ ...failed, status: 'NOTIFIED' }, diagnosis('never-reports'), undefined, undefined, plainL10n, placeB),
	];
	assert.equal(fixes.length, 3);
	assert.ok(
		fixes.every((fix) => fix.arg.place === placeB),
		JSON.stringify(fixes),
	);
	assert.equal(fixesFor(failed, diagnosis('flash-failed'), undefined, undefined, plainL10n)[0].arg.place, undefined, 'no row: no place');
	const report = {
		job: { jobId: 'j1', firmwareId: 'fw1', jobStatus: 'COMPLETED', jobType: 'UPGRADE_FIRMWARE', tags: [], srcVersions: [] },
		findings: [{ task: failed, diagnosis: diagnosis('flash-failed') }],
		notExamined: 0,
	};
	const { lenses } = renderReport(report as never, undefined, plainL10n, diagnosisValues, placeB);
	assert.deepEqual(
		lenses.flatMap((lens) => lens.fixes.map((fix) => fix.arg.place)),
		[placeB],
	);
});

void test("Register with the image's version from a row's report reads and registers through the row's connection", async () => {
	const { registerImageVersion } = await import('../../../src/vscode/ota/actions/diagnose.js');
	const calls: string[] = [];
	const stop = new Error('read');
	const s = {
		ota: {
			access: {
				connect: async () => assert.fail("the window's connection"),
				connectAt: async (place: OtaPlace) => {
					calls.push(`connectAt ${place.scope}`);
					return { lifecycle: { queryFirmware: async () => Promise.reject(stop) } };
				},
			},
		},
	};
	await assert.rejects(registerImageVersion(s as never, { firmwareId: 'fw1', destVersion: '3.0.0', place: placeB }), stop);
	assert.deepEqual(calls, ['connectAt file:///w/b']);
});
