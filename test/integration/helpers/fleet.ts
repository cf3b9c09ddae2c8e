// Packages and jobs on a suite's sandbox fleet, made through the core (not the commands under test), and what the
// sandbox's request log says about the calls a command made.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient } from '../../../src/core/lifecycle';
import { uploadFirmware } from '../../../src/core/uploader';
import type { LoggedRequest, Sandbox } from '../../../src/sandbox';
import { waitFor } from './ota';

export function iotClient(sandbox: Sandbox): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: sandbox.endpoint,
		credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret },
	});
}

export function lifecycle(sandbox: Sandbox): LifecycleClient {
	return new LifecycleClient(iotClient(sandbox));
}

let packages = 0;

export interface TestPackage {
	firmwareId: string;
	firmwareName: string;
	destVersion: string;
	firmwareUrl: string;
}

/**
 * Uploads `image` (default: random bytes, no readable version) and registers it; NeedToVerify as asked. Clears the
 * sandbox's request log afterwards, so a test sees only the calls of the command it runs.
 */
export async function registerPackage(
	sandbox: Sandbox,
	opts: { needToVerify: boolean; destVersion?: string; image?: Buffer },
): Promise<TestPackage> {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-pkg-'));
	try {
		const file = path.join(dir, 'fw.bin');
		writeFileSync(file, opts.image ?? randomBytes(16 * 1024));
		const client = iotClient(sandbox);
		const upload = await uploadFirmware(client, file);
		const destVersion = opts.destVersion ?? `2.0.${++packages}`;
		const firmwareName = `pkg-${packages}-${destVersion.replace(/\./g, '_')}`;
		const { firmwareId } = await client.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName,
			destVersion,
			productKey: sandbox.productKey,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			firmwareSize: upload.size,
			needToVerify: opts.needToVerify,
		});
		sandbox.requests.clear();
		return { firmwareId, firmwareName, destVersion, firmwareUrl: upload.firmwareUrl };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The sandbox fleet's device `n` of the first product (`dev-00001`…, see src/sandbox/ota/fleet.ts). */
export const fleetDevice = (n: number): string => `dev-${String(n).padStart(5, '0')}`;

/** `count` device names of the first product from device `from` on. */
export const fleetDevices = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => fleetDevice(from + i));

/** API requests that change something (everything but Query*, List*, BatchQuery*). */
export function writes(entries: readonly LoggedRequest[]): LoggedRequest[] {
	return entries.filter((entry) => entry.target === 'api' && !/^(Query|List|BatchQuery)/.test(entry.action));
}

/** Resolves once the job has `count` tasks in `status` (the sandbox's own counts, no API call). */
export function tasksIn(sandbox: Sandbox, jobId: string, status: 'FAILED' | 'SUCCEEDED' | 'CONFIRM' | 'CANCELED', count: number) {
	return waitFor(() => sandbox.ota.taskCounts(jobId)[status] >= count, `${count} ${status} task(s) in job ${jobId}`, 30_000);
}
