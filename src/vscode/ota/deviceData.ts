// The device lists of the OTA Packages view: a product's devices a page at a time (core deviceVersionsPage: QueryDevice
// and BatchQueryDeviceDetail, or the module versions per device), optionally only those reporting one version, and a
// device's unfinished tasks in any job.
import * as vscode from 'vscode';
import { deviceVersionsPage, readsVersionsPerDevice, type DeviceVersions, type LifecycleClient } from '../../core/lifecycle';
import { NodePages } from './nodePages';
import { DeviceNode, LoadMoreNode, MessageNode, TaskNode, type DevicesNode, type DeviceTasksNode, type OtaNode } from './nodes';
import { TREE_PAGE } from './refs';

/** A version filter reads at most this many device pages per "Load more…". */
const FILTER_SCAN_PAGES = 10;

interface DevicePages {
	filter?: string;
	perDevice: boolean;
	loads: number;
	devices: DeviceVersions[];
	nextPage: number;
	nextToken?: string;
	total?: number;
	last: boolean;
}

export class DeviceLists extends NodePages<DevicePages> {
	async devices(node: DevicesNode, lifecycle: LifecycleClient): Promise<OtaNode[]> {
		const { productKey } = node.parent;
		let state = this.pages.get(node.id);
		if (!state || state.filter !== node.versionFilter) {
			const perDevice = await readsVersionsPerDevice(lifecycle, productKey);
			state = { filter: node.versionFilter, perDevice, loads: 0, devices: [], nextPage: 1, last: false };
		}
		while (state.loads < node.pages && !state.last) {
			state.loads++;
			const wanted = state.devices.length + TREE_PAGE;
			for (let scanned = 0; scanned < FILTER_SCAN_PAGES && !state.last && state.devices.length < wanted; scanned++) {
				const page = await deviceVersionsPage(lifecycle, {
					productKey,
					version: state.filter,
					currentPage: state.nextPage,
					nextToken: state.nextToken,
					perDevice: state.perDevice,
				});
				state.devices.push(...page.devices);
				state.nextPage++;
				state.nextToken = page.nextToken;
				state.total = page.total;
				state.last = page.last;
			}
		}
		this.pages.set(node.id, state);
		const nodes: OtaNode[] = state.devices.map((device) => this.cache.reuse(new DeviceNode(node, device), (n) => (n.device = device)));
		if (!state.last) {
			nodes.push(new LoadMoreNode(node, state.devices.length, state.filter === undefined ? state.total : undefined));
		} else if (nodes.length === 0) {
			nodes.push(
				new MessageNode(
					node,
					state.filter === undefined
						? vscode.l10n.t('No devices yet.')
						: vscode.l10n.t('No device reports version {0}.', state.filter),
				),
			);
		}
		return nodes;
	}

	async unfinishedTasks(node: DeviceTasksNode, lifecycle: LifecycleClient): Promise<OtaNode[]> {
		const device = node.parent;
		const tasks = await lifecycle.listUnfinishedTasks({
			productKey: device.parent.parent.productKey,
			deviceName: device.device.deviceName,
		});
		const nodes = tasks.map((task) => this.cache.reuse(new TaskNode(node, task), (n) => (n.task = task)));
		return nodes.length > 0 ? nodes : [new MessageNode(node, vscode.l10n.t('No unfinished tasks.'))];
	}
}
