// The lifecycle core's clients against a running sandbox: a client that records every call, and fresh packages
// (uploaded, registered, optionally verified on one device) for the fleet tests.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from '../../../src/core/iot/normalize';
import type { RpcParams } from '../../../src/core/iot/params';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient, startVerification, watchJob, type RpcCaller } from '../../../src/core/lifecycle';
import { uploadFirmware } from '../../../src/core/uploader';
import type { Sandbox } from '../../../src/sandbox';

export interface Sent {
	action: string;
	params: RpcParams;
	at: number;
}

/** Records every call the lifecycle client makes (action, parameters, when it was sent). */
export class RecordingCaller implements RpcCaller {
	readonly sent: Sent[] = [];
	constructor(private readonly inner: IotClient) {}
	call(action: string, params: RpcParams, signal?: AbortSignal, rateKey?: string): Promise<Json> {
		this.sent.push({ action, params, at: Date.now() });
		return this.inner.call(action, params, signal, rateKey);
	}
	writes(): Sent[] {
		return this.sent.filter((s) => !/^(Query|List|BatchQuery)/.test(s.action));
	}
}

export const FAST = { minMs: 200, maxMs: 1000 };

/** Packages and clients of one sandbox; files are written under `work`. */
export class Fleet {
	private version = 0;

	constructor(
		private readonly sandbox: Sandbox,
		private readonly work: string,
	) {}

	iot(): IotClient {
		const { sandbox } = this;
		return new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret },
		});
	}

	client(): { api: LifecycleClient; calls: RecordingCaller } {
		const calls = new RecordingCaller(this.iot());
		return { api: new LifecycleClient(calls), calls };
	}

	/** Uploads and registers a fresh package (a new DestVersion each time); returns its FirmwareId. */
	async registerFirmware(): Promise<{ firmwareId: string; destVersion: string }> {
		const file = path.join(this.work, `fw-${++this.version}.bin`);
		writeFileSync(file, randomBytes(32 * 1024));
		const client = this.iot();
		const upload = await uploadFirmware(client, file);
		const destVersion = `2.0.${this.version}`;
		const { firmwareId } = await client.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName: `fleet-${this.version}`,
			destVersion,
			productKey: this.sandbox.productKey,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			firmwareSize: upload.size,
		});
		return { firmwareId, destVersion };
	}

	/** A fresh package verified on dev-00001. */
	async verified(): Promise<{ firmwareId: string; destVersion: string }> {
		const fw = await this.registerFirmware();
		const { api } = this.client();
		const { job } = await startVerification(api, { firmwareId: fw.firmwareId, deviceNames: ['dev-00001'] });
		assert.equal((await watchJob(api, job.jobId, { interval: FAST })).outcome, 'succeeded');
		return fw;
	}
}
