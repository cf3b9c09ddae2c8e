// The OTA Packages view: the TreeDataProvider and the port other code uses to refresh or reveal. Registering it costs
// nothing: the data module (and with it the core lifecycle and pop-core) loads on the first expansion.
import * as vscode from 'vscode';
import { printableTreeItem } from '../ui/printableTreeItem';
import { toOtaError } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import type { OtaJob } from '../../core/lifecycle';
import type { SecretMask } from '../log';
import type { JobWatches, OtaAccess, OtaPlace, OtaViewPort, RevealOptions, WatchEvent } from './contract';
import { NodeCache } from './nodeCache';
import { scopedId } from './connectionNode';
import { DeviceTasksNode, MessageNode, type ConnectionNode, type JobNode, type LoadMoreNode, type OtaNode, type OtaRef } from './nodes';
import { appendFixLinks } from './actions/diagnosisDocuments';
import { diagnosisText } from './diagnosisText';
import type { OtaTreeData } from './treeData';
import { packageTooltip, taskTooltip, treeItem } from './treeItems';
import { wordedParts } from '../validationText';
import { errorReport, shownText } from '../errorText';
import { plainL10n } from '../upload/progressFormat';
import { placeKey, viewGroups, type ViewGroupSource } from './viewGroups';

export interface OtaTreeDeps {
	access: OtaAccess;
	watches: JobWatches;
	log: vscode.LogOutputChannel;
	mask: SecretMask;
	/** The active profile and the settings: which connections the open folders choose (viewGroups.ts). */
	groups: ViewGroupSource;
	/** The workspace folders changed (added, removed). */
	onDidChangeFolders: vscode.Event<unknown>;
}

export class OtaTreeProvider implements vscode.TreeDataProvider<OtaNode>, OtaViewPort, vscode.Disposable {
	readonly cache = new NodeCache();
	private readonly changed = new vscode.EventEmitter<OtaNode | OtaNode[] | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private data?: Promise<OtaTreeData>;
	private loadedData?: OtaTreeData;
	private readonly filters = new Map<string, string>();
	private readonly subscriptions: vscode.Disposable[];
	/** Set by the composition once the TreeView exists (reveal needs it). */
	view?: vscode.TreeView<OtaNode>;

	constructor(private readonly deps: OtaTreeDeps) {
		const reload = () => {
			this.cache.clear();
			this.loadedData?.invalidate();
			this.changed.fire(undefined);
		};
		this.subscriptions = [
			this.changed,
			deps.access.onDidChange(reload),
			deps.onDidChangeFolders(reload),
			deps.watches.onDidChange((event) => this.onWatch(event)),
		];
	}

	private load(): Promise<OtaTreeData> {
		this.data ??= import('./treeData.js').then(
			({ OtaTreeData }) =>
				new OtaTreeData({
					cache: this.cache,
					connection: () => this.deps.access.current(),
					connectionAt: (place) => this.deps.access.connectAt(place),
					groups: () => viewGroups(this.deps.groups),
					groupKey: (place) => placeKey(this.deps.groups, place),
					watches: this.deps.watches,
					deviceFilter: (productKey, group) => this.filters.get(scopedId(group, productKey)),
				}),
		);
		void this.data.then((data) => (this.loadedData = data));
		return this.data;
	}

	async getChildren(node?: OtaNode): Promise<OtaNode[]> {
		try {
			return [...(await (await this.load()).children(node))];
		} catch (error) {
			const otaError = toOtaError(error, this.deps.mask.list());
			// The log keeps the English line the CLI prints; the row and its tooltip (the whole line: hint, code, RequestId)
			// are in the window's language, as the notification would word it.
			this.deps.log.warn(
				`[ota view] Loading ${node?.id ?? 'the products'} failed: ${this.deps.mask.apply(errorReport(otaError, plainL10n).logged)}`,
			);
			const message = new MessageNode(
				node,
				vscode.l10n.t('Could not load: {0}', this.deps.mask.apply(wordedParts(otaError, vscode.l10n).message)),
				'error',
				shownText(otaError, vscode.l10n, this.deps.mask),
			);
			this.cache.setChildren(node?.id ?? 'ota:root', [message]);
			return [message];
		}
	}

	getTreeItem(node: OtaNode): vscode.TreeItem {
		return printableTreeItem(treeItem(node, Date.now()));
	}

	getParent(node: OtaNode): OtaNode | undefined {
		return node.parent;
	}

	/** On hover: a package's detail (Udi, verification progress), a task's diagnosis with its fixes as links. */
	async resolveTreeItem(item: vscode.TreeItem, node: OtaNode): Promise<vscode.TreeItem> {
		try {
			if (node.kind === 'package') {
				await (await this.load()).packageDetail(node);
				item.tooltip = packageTooltip(node);
			} else if (node.kind === 'task') {
				const { diagnose, diagnosisValues } = await import('../../core/lifecycle/diagnosis.js');
				const job = (node.parent.kind === 'taskGroup' ? node.parent.parent.job : undefined) as OtaJob | undefined;
				const input = { task: node.task, job, now: Date.now() };
				const diagnosis = diagnose(input);
				const text = diagnosis && diagnosisText(diagnosis, diagnosisValues(input), vscode.l10n);
				item.tooltip = appendFixLinks(taskTooltip(node, text), node.task, diagnosis, job, node.place);
			}
		} catch (error) {
			this.deps.log.debug(`[ota view] Tooltip of ${node.id}: ${this.deps.mask.apply(String(error))}`);
		}
		return printableTreeItem(item);
	}

	/**
	 * The connection rows a reference may be under: none when the view lists one connection, else `place`'s row, or
	 * every row without a place.
	 */
	private groupsOf(place?: OtaPlace): Array<ConnectionNode | undefined> {
		const groups = (this.cache.children('ota:root') ?? []).filter((n): n is ConnectionNode => n.kind === 'connection');
		if (groups.length === 0) {
			return [undefined];
		}
		const key = place && placeKey(this.deps.groups, place);
		return place ? groups.filter((group) => group.key === key) : groups;
	}

	/** The loaded nodes of `id` under the rows `place` may be under (groupsOf). */
	private loaded(id: string, place?: OtaPlace): OtaNode[] {
		return this.groupsOf(place).flatMap((group) => this.cache.get(scopedId(group, id)) ?? []);
	}

	/** The most specific loaded nodes of a reference (one per connection row that shows it). */
	private find(ref: OtaRef): OtaNode[] {
		const ids = [
			ref.jobId && ref.taskStatus && `ota:group:${ref.jobId}:${ref.taskStatus}`,
			ref.jobId && `ota:job:${ref.jobId}`,
			ref.firmwareId && `ota:package:${ref.firmwareId}`,
			ref.productKey && ref.deviceName && `ota:device:${ref.productKey}:${ref.deviceName}`,
			ref.productKey && `ota:product:${ref.productKey}`,
		];
		for (const id of ids) {
			const nodes = id ? this.loaded(id) : [];
			if (nodes.length > 0) {
				return nodes;
			}
		}
		return [];
	}

	/** Synchronous: the next getChildren reads again (nothing was read yet before the first expansion). */
	refresh(ref?: OtaRef): void {
		const nodes = ref && Object.keys(ref).length > 0 ? this.find(ref) : [];
		if (nodes.length === 0) {
			this.loadedData?.invalidate();
			this.changed.fire(undefined);
			return;
		}
		for (const node of nodes) {
			this.loadedData?.invalidate(node);
		}
		this.changed.fire(nodes);
	}

	async rowsShowing(ref: OtaRef): Promise<ConnectionNode[]> {
		return (await this.load()).rowsShowing(ref);
	}

	rowsWithDevice(productKey: string, deviceName: string): ConnectionNode[] {
		return this.loaded(`ota:device:${productKey}:${deviceName}`).flatMap((device) =>
			device.kind === 'device' && device.group ? [device.group] : [],
		);
	}

	async reveal(ref: OtaRef, opts: RevealOptions = {}): Promise<void> {
		const node = await (await this.load()).locate(ref, opts.place);
		await this.show(node, opts);
	}

	private async show(node: OtaNode, opts: RevealOptions): Promise<void> {
		if (!this.view) {
			return;
		}
		await this.view.reveal(node, { select: opts.select ?? true, focus: opts.focus ?? false, expand: opts.expand ?? false });
	}

	async revealDeviceTasks(productKey: string, deviceName: string, place?: OtaPlace): Promise<void> {
		const [device] = this.loaded(`ota:device:${productKey}:${deviceName}`, place);
		if (device?.kind !== 'device') {
			throw shellRefusal('NoDevice', 'expand-devices-first', { productKey, deviceName });
		}
		const tasks = this.cache.reuse(new DeviceTasksNode(device));
		const data = await this.load();
		data.invalidate(tasks);
		await data.children(device);
		await this.show(tasks, { expand: true, focus: true, select: true });
		this.changed.fire(tasks);
	}

	loadMore(node: LoadMoreNode): void {
		node.parent.pages++;
		this.changed.fire(node.parent);
	}

	/**
	 * The connection row of `place` (none when the view lists one connection). A command on a product named by its key
	 * alone names the row first (rowPick.ts), so `place` is given whenever there are rows.
	 */
	private rowOf(place?: OtaPlace): ConnectionNode | undefined {
		return this.groupsOf(place)[0];
	}

	async filterDevices(productKey: string, version: string | undefined, place?: OtaPlace): Promise<void> {
		const group = this.rowOf(place);
		const key = scopedId(group, productKey);
		if (version === undefined) {
			this.filters.delete(key);
		} else {
			this.filters.set(key, version);
		}
		const devices = this.cache.get(scopedId(group, `ota:devices:${productKey}`));
		if (devices?.kind === 'devices') {
			devices.versionFilter = version;
			devices.pages = 1;
			(await this.load()).invalidate(devices);
			this.changed.fire(devices);
			await this.show(devices, { expand: true, select: true });
		}
	}

	deviceFilter(productKey: string, place?: OtaPlace): string | undefined {
		return this.filters.get(scopedId(this.rowOf(place), productKey));
	}

	/**
	 * A watched job's row and groups update in place; an ended verification also re-reads its package's state. Under every
	 * connection row that shows the job, as a read of the rows shows the watch (treeData.ts applyWatch): a JobId names one
	 * job, and a watch whose place's folder was removed still reaches the row its end must clear.
	 */
	private onWatch(event: WatchEvent): void {
		for (const node of this.loaded(`ota:job:${event.jobId}`)) {
			this.onWatchedJob(node as JobNode, event);
		}
	}

	private onWatchedJob(node: JobNode, event: WatchEvent): void {
		const { snapshot } = event;
		node.watchPhase = event.type !== 'stopped' && event.type !== 'ended' ? snapshot.phase : undefined;
		node.job = snapshot.job ?? node.job;
		node.progress = snapshot.progress ?? node.progress;
		if (event.type === 'progress' && !snapshot.progress?.changed) {
			return;
		}
		if (event.type === 'ended') {
			const product = node.parent.parent;
			this.loadedData?.invalidate(product, false);
			this.changed.fire([product, node]);
			return;
		}
		this.changed.fire(node);
	}

	dispose(): void {
		vscode.Disposable.from(...this.subscriptions).dispose();
	}
}
