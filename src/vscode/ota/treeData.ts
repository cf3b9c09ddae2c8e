// What the OTA Packages view shows, read with few calls: products and the package quota (2 calls), a product's
// packages, a package's jobs, a job's counts per status (core JobMonitor: ≤ 8 calls, none while the job is watched), a
// group's tasks a page at a time (taskData.ts), devices a page at a time (deviceData.ts). Loaded on the first
// expansion, with the core.
import * as vscode from 'vscode';
import { shellRefusal } from '../errorWordingsShell';
import { allJobsByFirmware, JobMonitor } from '../../core/lifecycle';
import { everyPage } from '../../core/iot/paging';
import { PACKAGES_PER_INSTANCE } from '../../core/otaFacts';
import type { FirmwareDetail } from '../../core/lifecycle';
import type { FirmwareInfo } from '../../core/types';
import type { JobWatches, OtaConnection, OtaPlace } from './contract';
import { DeviceLists } from './deviceData';
import type { NodeCache } from './nodeCache';
import {
	ConnectionNode,
	DevicesNode,
	DeviceTasksNode,
	DeviceVersionNode,
	JobNode,
	MessageNode,
	PackageNode,
	ProductNode,
	QuotaNode,
	TaskGroupNode,
	type OtaNode,
	type OtaRef,
} from './nodes';
import { nonEmptyGroups, utcMs } from './presentation';
import { TaskLists } from './taskData';
import { locate, rowsShowing, type TreeReader } from './treeLocate';
import type { ViewGroup } from './viewGroups';

const ROOT = 'ota:root';

export interface TreeDataDeps {
	cache: NodeCache;
	/** The active profile's connection with the window's settings. */
	connection(): Promise<OtaConnection | undefined>;
	/** A connection row's connection (OtaAccess.connectAt). */
	connectionAt(place: OtaPlace): Promise<OtaConnection>;
	/** The connections of the open folders, when they are more than one (viewGroups.ts). */
	groups(): ViewGroup[];
	/** The connection key of a place (viewGroups.ts placeKey). */
	groupKey(place: OtaPlace): string | undefined;
	watches: JobWatches;
	deviceFilter(productKey: string, group?: ConnectionNode): string | undefined;
}

const newestFirst = (a?: string, b?: string) => (utcMs(b) ?? 0) - (utcMs(a) ?? 0);

export class OtaTreeData {
	private readonly loaded = new Set<string>();
	private readonly taskLists: TaskLists;
	private readonly deviceLists: DeviceLists;
	/** The connection rows' connections, kept until everything is invalidated (connectAt makes a new one per call). */
	private readonly groupConnections = new Map<string, Promise<OtaConnection>>();

	constructor(private readonly deps: TreeDataDeps) {
		this.taskLists = new TaskLists(deps.cache);
		this.deviceLists = new DeviceLists(deps.cache);
	}

	/** The connection of `node`'s row (its place), else the active profile's. */
	private async client(node?: { group?: ConnectionNode }): Promise<OtaConnection> {
		const group = node?.group;
		const connection = group ? await this.groupConnection(group) : await this.deps.connection();
		if (!connection) {
			throw shellRefusal('NoCredentials', 'no-active-profile', {}, 'credentials');
		}
		return connection;
	}

	private groupConnection({ key, place }: ConnectionNode): Promise<OtaConnection> {
		let connection = this.groupConnections.get(key);
		if (!connection) {
			connection = this.deps.connectionAt(place);
			this.groupConnections.set(key, connection);
			connection.catch(() => this.groupConnections.get(key) === connection && this.groupConnections.delete(key));
		}
		return connection;
	}

	/**
	 * Forgets what was read for `node` (everything without one), so the next expansion reads it again; `deep` also
	 * what was read below it (a user's refresh), otherwise only its own list.
	 */
	invalidate(node?: OtaNode, deep = true): void {
		if (!node) {
			this.groupConnections.clear();
			this.loaded.clear();
			this.taskLists.invalidate();
			this.deviceLists.invalidate();
			return;
		}
		this.loaded.delete(node.id);
		this.taskLists.invalidate(node.id);
		this.deviceLists.invalidate(node.id);
		if (node.kind === 'job' && !node.watched) {
			node.progress = undefined;
		}
		if (deep || node.kind === 'job') {
			for (const child of this.deps.cache.children(node.id) ?? []) {
				this.invalidate(child, deep);
			}
		}
	}

	async children(node?: OtaNode): Promise<readonly OtaNode[]> {
		const id = node?.id ?? ROOT;
		const cached = this.deps.cache.children(id);
		if (cached && this.loaded.has(id)) {
			return cached;
		}
		const children = await this.read(node);
		if (!node || ['connection', 'product', 'package', 'device', 'deviceTasks'].includes(node.kind)) {
			this.loaded.add(id);
		}
		return this.deps.cache.setChildren(id, children);
	}

	private async read(node?: OtaNode): Promise<OtaNode[]> {
		switch (node?.kind) {
			case undefined:
				return this.roots();
			case 'connection':
				return this.products(node);
			case 'product':
				return this.packages(node);
			case 'package':
				return this.jobs(node);
			case 'job':
				return this.groups(node);
			case 'taskGroup':
				return this.taskLists.tasks(node, (await this.client(node)).lifecycle);
			case 'devices':
				return this.deviceLists.devices(node, (await this.client(node)).lifecycle);
			case 'device':
				return [
					...Object.entries(node.device.versions).map(([module, version]) =>
						this.deps.cache.reuse(new DeviceVersionNode(node, module, version)),
					),
					this.deps.cache.reuse(new DeviceTasksNode(node)),
				];
			case 'deviceTasks':
				return this.deviceLists.unfinishedTasks(node, (await this.client(node.parent)).lifecycle);
			default:
				return [];
		}
	}

	/** One row per connection when the open folders choose several, else the products of the one. */
	private async roots(): Promise<OtaNode[]> {
		const groups = this.deps.groups();
		if (groups.length === 0) {
			return this.products();
		}
		return groups.map(({ key, connection, folders, place, differing, showsScheme }) =>
			this.deps.cache.reuse(new ConnectionNode(key, connection, folders, place, differing, showsScheme), (n) => {
				n.connection = connection;
				n.folders = folders;
				n.place = place;
				n.differing = differing;
				n.showsScheme = showsScheme;
			}),
		);
	}

	/** The quota and the products of a connection row (without one: of the active profile). */
	private async products(group?: ConnectionNode): Promise<OtaNode[]> {
		const connection = group ? await this.groupConnection(group) : await this.deps.connection();
		if (!connection) {
			return [];
		}
		const { iot, lifecycle } = connection;
		const [products, quota] = await Promise.all([
			everyPage('QueryProductList', (page) => iot.queryProductList(page)),
			lifecycle.listFirmware({ pageSize: 1 }).then(
				(page) => page.total,
				() => undefined,
			),
		]);
		const { cache } = this.deps;
		const quotaNode = cache.reuse(new QuotaNode(quota, PACKAGES_PER_INSTANCE, connection.connection.iotInstanceId, group), (n) => {
			n.used = quota;
			n.instanceId = connection.connection.iotInstanceId;
		});
		const productNodes = products.map((p) =>
			cache.reuse(new ProductNode(p.productKey, p.productName, p.deviceCount, group), (n) => {
				n.productName = p.productName;
				n.deviceCount = p.deviceCount;
			}),
		);
		return productNodes.length > 0
			? [quotaNode, ...productNodes]
			: [quotaNode, new MessageNode(group, vscode.l10n.t('No products yet: create one in the IoT Platform console.'))];
	}

	private async packages(product: ProductNode): Promise<OtaNode[]> {
		const { lifecycle } = await this.client(product);
		const firmware = await everyPage('ListOTAFirmware', (page) => lifecycle.listFirmware({ productKey: product.productKey, ...page }));
		firmware.sort((a, b) => newestFirst(a.utcCreate, b.utcCreate));
		const nodes: OtaNode[] = firmware.map((fw: FirmwareInfo) =>
			this.deps.cache.reuse(new PackageNode(product, fw), (n) => {
				n.firmware = fw;
				n.detail = undefined;
			}),
		);
		if (nodes.length === 0) {
			nodes.push(new MessageNode(product, vscode.l10n.t('No OTA packages yet: upload a firmware file and create one.')));
		}
		const devices = this.deps.cache.reuse(new DevicesNode(product));
		devices.versionFilter = this.deps.deviceFilter(product.productKey, product.group);
		return [...nodes, devices];
	}

	private async jobs(pkg: PackageNode): Promise<OtaNode[]> {
		const { lifecycle } = await this.client(pkg);
		const jobs = await allJobsByFirmware(lifecycle, pkg.firmware.firmwareId);
		jobs.sort((a, b) => newestFirst(a.utcCreate, b.utcCreate));
		const nodes = jobs.map((job) =>
			this.deps.cache.reuse(new JobNode(pkg, job), (n) => {
				n.job = { ...n.job, ...job };
			}),
		);
		for (const node of nodes) {
			this.applyWatch(node);
		}
		return nodes.length > 0
			? nodes
			: [new MessageNode(pkg, vscode.l10n.t('No jobs yet: verify the package on devices, or roll it out.'))];
	}

	/** A watched job takes its counts and status from the watch. */
	applyWatch(node: JobNode): void {
		const snapshot = this.deps.watches.get(node.jobId);
		node.watchPhase = snapshot?.phase;
		if (snapshot?.progress) {
			node.progress = snapshot.progress;
		}
		if (snapshot?.job) {
			node.job = snapshot.job;
		}
	}

	private async groups(job: JobNode): Promise<OtaNode[]> {
		this.applyWatch(job);
		if (!job.progress) {
			const { lifecycle } = await this.client(job);
			const monitor = new JobMonitor(lifecycle, job.jobId);
			job.progress = (await monitor.refresh()).progress;
			job.job = monitor.job ?? job.job;
		}
		const groups = nonEmptyGroups(job.progress.counts).map(({ status, count }) =>
			this.deps.cache.reuse(new TaskGroupNode(job, status, count), (n) => (n.count = count)),
		);
		return groups.length > 0 ? groups : [new MessageNode(job, vscode.l10n.t('No tasks yet.'))];
	}

	/** QueryOTAFirmware for a package's tooltip (Udi, verification progress); read once per load. */
	async packageDetail(node: PackageNode): Promise<FirmwareDetail> {
		node.detail ??= await (await this.client(node)).lifecycle.queryFirmware(node.firmware.firmwareId);
		return node.detail;
	}

	/** A child of `parent` (the root when undefined); a list read before `ref` existed is read once more. */
	private async findChild<T extends OtaNode>(parent: OtaNode | undefined, match: (node: OtaNode) => node is T): Promise<T | undefined> {
		const found = (await this.children(parent)).find(match);
		if (found || !this.loaded.has(parent?.id ?? ROOT)) {
			return found;
		}
		this.loaded.delete(parent?.id ?? ROOT);
		return (await this.children(parent)).find(match);
	}

	/**
	 * The node `ref` names most specifically, loading its path (treeLocate.ts); when the view lists several connections,
	 * under the row of `place`'s connection, or without a place under the first row that has it.
	 */
	locate(ref: OtaRef, place?: OtaPlace): Promise<OtaNode> {
		return locate(this.reader(), ref, place);
	}

	/** The connection rows that show `ref` (treeLocate.ts rowsShowing): none when the view lists one connection. */
	rowsShowing(ref: OtaRef): Promise<ConnectionNode[]> {
		return rowsShowing(this.reader(), ref);
	}

	private reader(): TreeReader {
		return {
			children: (node) => this.children(node),
			findChild: (parent, match) => this.findChild(parent, match),
			lifecycle: async (group) => (await this.client({ group })).lifecycle,
			groupKey: (at) => this.deps.groupKey(at),
		};
	}
}
