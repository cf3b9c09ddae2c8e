// What the OTA Packages view shows, read with few calls: products and the package quota (2 calls), a product's
// packages, a package's jobs, a job's counts per status (core JobMonitor: ≤ 8 calls, none while the job is watched), a
// group's tasks a page at a time (taskData.ts), devices a page at a time (deviceData.ts). Loaded on the first
// expansion, with the core.
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import { allJobsByFirmware, JobMonitor } from '../../core/lifecycle';
import { everyPage } from '../../core/iot/paging';
import { PACKAGES_PER_INSTANCE } from '../../core/otaFacts';
import type { FirmwareDetail } from '../../core/lifecycle';
import type { FirmwareInfo } from '../../core/types';
import type { JobWatches, OtaConnection } from './contract';
import { DeviceLists } from './deviceData';
import type { NodeCache } from './nodeCache';
import {
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

const ROOT = 'ota:root';

export interface TreeDataDeps {
	cache: NodeCache;
	connection(): Promise<OtaConnection | undefined>;
	watches: JobWatches;
	deviceFilter(productKey: string): string | undefined;
}

const newestFirst = (a?: string, b?: string) => (utcMs(b) ?? 0) - (utcMs(a) ?? 0);

export class OtaTreeData {
	private readonly loaded = new Set<string>();
	private readonly taskLists: TaskLists;
	private readonly deviceLists: DeviceLists;

	constructor(private readonly deps: TreeDataDeps) {
		this.taskLists = new TaskLists(deps.cache);
		this.deviceLists = new DeviceLists(deps.cache);
	}

	private async client(): Promise<OtaConnection> {
		const connection = await this.deps.connection();
		if (!connection) {
			throw new OtaError({ code: 'NoCredentials', source: 'credentials', message: vscode.l10n.t('No active profile.') });
		}
		return connection;
	}

	/**
	 * Forgets what was read for `node` (everything without one), so the next expansion reads it again; `deep` also
	 * what was read below it (a user's refresh), otherwise only its own list.
	 */
	invalidate(node?: OtaNode, deep = true): void {
		if (!node) {
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
		if (!node || ['product', 'package', 'device', 'deviceTasks'].includes(node.kind)) {
			this.loaded.add(id);
		}
		return this.deps.cache.setChildren(id, children);
	}

	private async read(node?: OtaNode): Promise<OtaNode[]> {
		switch (node?.kind) {
			case undefined:
				return this.roots();
			case 'product':
				return this.packages(node);
			case 'package':
				return this.jobs(node);
			case 'job':
				return this.groups(node);
			case 'taskGroup':
				return this.taskLists.tasks(node, (await this.client()).lifecycle);
			case 'devices':
				return this.deviceLists.devices(node, (await this.client()).lifecycle);
			case 'device':
				return [
					...Object.entries(node.device.versions).map(([module, version]) =>
						this.deps.cache.reuse(new DeviceVersionNode(node, module, version)),
					),
					this.deps.cache.reuse(new DeviceTasksNode(node)),
				];
			case 'deviceTasks':
				return this.deviceLists.unfinishedTasks(node, (await this.client()).lifecycle);
			default:
				return [];
		}
	}

	private async roots(): Promise<OtaNode[]> {
		const connection = await this.deps.connection();
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
		const quotaNode = cache.reuse(new QuotaNode(quota, PACKAGES_PER_INSTANCE, connection.connection.iotInstanceId), (n) => {
			n.used = quota;
			n.instanceId = connection.connection.iotInstanceId;
		});
		const productNodes = products.map((p) =>
			cache.reuse(new ProductNode(p.productKey, p.productName, p.deviceCount), (n) => {
				n.productName = p.productName;
				n.deviceCount = p.deviceCount;
			}),
		);
		return productNodes.length > 0
			? [quotaNode, ...productNodes]
			: [quotaNode, new MessageNode(undefined, vscode.l10n.t('No products yet: create one in the IoT Platform console.'))];
	}

	private async packages(product: ProductNode): Promise<OtaNode[]> {
		const { lifecycle } = await this.client();
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
		devices.versionFilter = this.deps.deviceFilter(product.productKey);
		return [...nodes, devices];
	}

	private async jobs(pkg: PackageNode): Promise<OtaNode[]> {
		const { lifecycle } = await this.client();
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
			const { lifecycle } = await this.client();
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
		node.detail ??= await (await this.client()).lifecycle.queryFirmware(node.firmware.firmwareId);
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

	/** The node `ref` names most specifically, loading its path (product → package → job → group). */
	async locate(ref: OtaRef): Promise<OtaNode> {
		let { productKey, firmwareId } = ref;
		if (ref.jobId && (!productKey || !firmwareId)) {
			const job = await (await this.client()).lifecycle.queryJob(ref.jobId);
			productKey ??= job.productKey;
			firmwareId ??= job.firmwareId;
		}
		if (firmwareId && !productKey) {
			productKey = (await (await this.client()).lifecycle.queryFirmware(firmwareId)).productKey;
		}
		const notFound = (what: string | undefined) =>
			new OtaError({
				code: 'NotFound',
				source: 'validation',
				message: vscode.l10n.t('{0} is not in the OTA Packages view.', what ?? '?'),
			});
		const product = await this.findChild(undefined, (n): n is ProductNode => n.kind === 'product' && n.productKey === productKey);
		if (!product) {
			throw notFound(productKey);
		}
		if (!firmwareId) {
			return product;
		}
		const pkg = await this.findChild(product, (n): n is PackageNode => n.kind === 'package' && n.firmware.firmwareId === firmwareId);
		if (!pkg) {
			throw notFound(firmwareId);
		}
		if (!ref.jobId) {
			return pkg;
		}
		const job = await this.findChild(pkg, (n): n is JobNode => n.kind === 'job' && n.jobId === ref.jobId);
		if (!job) {
			throw notFound(ref.jobId);
		}
		if (!ref.taskStatus) {
			return job;
		}
		return (await this.children(job)).find((n) => n.kind === 'taskGroup' && n.status === ref.taskStatus) ?? job;
	}
}
