// Set-up for the OTA view and watch suites: packages registered and verified on the suite's sandbox fleet through the
// core (what is under test is the extension's rendering of them), and small accessors of the OTA Packages tree.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient, startVerification, watchJob, type StaticJobRequest } from '../../../src/core/lifecycle';
import { uploadFirmware } from '../../../src/core/uploader';
import type { Sandbox } from '../../../src/sandbox';
import type { WatchEvent } from '../../../src/vscode/ota/contract';
import type { JobNode, OtaNode, PackageNode, ProductNode } from '../../../src/vscode/ota/nodes';
import type { IotOtaTestApi } from '../../extension/testApi';

export const FAST_WATCH = { minMs: 200, maxMs: 1000 };

export class Fleet {
	private version = 0;
	private readonly work = mkdtempSync(path.join(tmpdir(), 'iot-ota-views-'));

	readonly api: LifecycleClient;

	constructor(readonly sandbox: Sandbox) {
		this.api = new LifecycleClient(this.iot());
	}

	/**
	 * The suite's own client signs with the sandbox's STS key, the extension with its AccessKey: the sandbox's QPS meter
	 * (per AccessKeyId) then measures the extension's calls alone.
	 */
	private iot(): IotClient {
		return new IotClient({ region: 'cn-shanghai', endpoint: this.sandbox.endpoint, credentials: this.sandbox.sts });
	}

	/** Uploads and registers a package with a fresh DestVersion. */
	async registerFirmware(udi?: string): Promise<{ firmwareId: string; destVersion: string; firmwareName: string; size: number }> {
		const file = path.join(this.work, `fw-${++this.version}.bin`);
		writeFileSync(file, randomBytes(24 * 1024 + this.version));
		const client = this.iot();
		const upload = await uploadFirmware(client, file);
		const destVersion = `2.0.${this.version}`;
		const firmwareName = `views-${this.version}`;
		const { firmwareId } = await client.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName,
			destVersion,
			productKey: this.sandbox.productKey,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			firmwareSize: upload.size,
		});
		if (udi) {
			await this.api.modifyFirmware({ productKey: this.sandbox.productKey, firmwareId, udi });
		}
		return { firmwareId, destVersion, firmwareName, size: upload.size };
	}

	/** Verifies a package on `devices` and waits for the verification to end. */
	async verify(firmwareId: string, devices: string[]): Promise<string> {
		const { job } = await startVerification(this.api, { firmwareId, deviceNames: devices });
		assert.equal((await watchJob(this.api, job.jobId, { interval: FAST_WATCH })).outcome, 'succeeded');
		return job.jobId;
	}

	async rollOut(request: Omit<StaticJobRequest, 'productKey'>): Promise<string> {
		return (await this.api.createStaticJob({ ...request, productKey: this.sandbox.productKey })).jobId;
	}

	dispose(): void {
		rmSync(this.work, { recursive: true, force: true });
	}
}

export function label(api: IotOtaTestApi, node: OtaNode): string {
	const item = api.ota.tree.getTreeItem(node);
	return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export function description(api: IotOtaTestApi, node: OtaNode): string {
	return String(api.ota.tree.getTreeItem(node).description ?? '');
}

export async function productNode(api: IotOtaTestApi, productKey: string): Promise<ProductNode> {
	const product = (await api.ota.tree.getChildren()).find((n): n is ProductNode => n.kind === 'product' && n.productKey === productKey);
	assert.ok(product, `product ${productKey} is not listed`);
	return product;
}

export async function packageNode(api: IotOtaTestApi, productKey: string, firmwareId: string): Promise<PackageNode> {
	const pkg = (await api.ota.tree.getChildren(await productNode(api, productKey))).find(
		(n): n is PackageNode => n.kind === 'package' && n.firmware.firmwareId === firmwareId,
	);
	assert.ok(pkg, `package ${firmwareId} is not listed`);
	return pkg;
}

export async function jobNode(api: IotOtaTestApi, pkg: PackageNode, jobId: string): Promise<JobNode> {
	let job = (await api.ota.tree.getChildren(pkg)).find((n): n is JobNode => n.kind === 'job' && n.jobId === jobId);
	if (!job) {
		api.ota.tree.refresh({ firmwareId: pkg.firmware.firmwareId });
		job = (await api.ota.tree.getChildren(pkg)).find((n): n is JobNode => n.kind === 'job' && n.jobId === jobId);
	}
	assert.ok(job, `job ${jobId} is not listed under ${pkg.firmware.firmwareId}`);
	return job;
}

/** Resolves with the first watch event that passes `accept` (events are the watch's own signal, no polling). */
export function watchEvent(
	api: IotOtaTestApi,
	accept: (event: WatchEvent) => boolean,
	what: string,
	timeoutMs = 90_000,
): Promise<WatchEvent> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			subscription.dispose();
			reject(new Error(`Timed out waiting for ${what}`));
		}, timeoutMs);
		const subscription: vscode.Disposable = api.ota.watches.onDidChange((event) => {
			if (accept(event)) {
				clearTimeout(timer);
				subscription.dispose();
				resolve(event);
			}
		});
	});
}
