// Packages for the lifecycle tests: ESP-IDF images that carry their version, uploaded with
// Node's own FormData (no project code) and registered through the independent client.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox';
import { espImage } from '../../support/firmware';
import { OtaClient, type Params } from './otaClient';

/**
 * An ESP-IDF application image (the project's fixture builder) whose app description says `version`: the
 * simulated devices read the version they report from the image with the core image reader
 * (docs/protocols.md §11.11), as a real device reports what it booted.
 */
export function imageWithVersion(version: string): Buffer {
	return espImage({ app: { version } });
}

export async function startOtaSandbox(opts: SandboxOptions = {}): Promise<{ sandbox: Sandbox; client: OtaClient }> {
	const sandbox = await startSandbox({ qps: 10_000, ...opts });
	return { sandbox, client: clientOf(sandbox, opts.now) };
}

export function clientOf(sandbox: Sandbox, now?: () => number): OtaClient {
	return new OtaClient({ endpoint: sandbox.endpoint, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret, now });
}

/** A PostObject of `data` with the ticket's fields; returns the HTTP status. */
export async function postObject(host: string, fields: Record<string, string>, data: Buffer, filename = 'fw.bin'): Promise<number> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		form.append(name, value);
	}
	form.append('file', new Blob([data]), filename);
	const response = await fetch(host, { method: 'POST', body: form });
	await response.arrayBuffer();
	return response.status;
}

/** GenerateOTAUploadURL + PostObject; returns the FirmwareUrl to register. */
export async function uploadFile(client: OtaClient, data: Buffer): Promise<string> {
	const t = (await client.ok('GenerateOTAUploadURL', { FileSuffix: 'bin' })).Data;
	const status = await postObject(
		t.Host,
		{ key: t.Key, OSSAccessKeyId: t.OSSAccessKeyId, policy: t.Policy, Signature: t.Signature },
		data,
	);
	assert.equal(status, 204);
	return t.FirmwareUrl as string;
}

let packageCount = 0;

/** Uploads `data` and registers it as a package; returns its FirmwareId. */
export async function createPackage(
	client: OtaClient,
	productKey: string,
	destVersion: string,
	data: Buffer,
	extra: Params = {},
): Promise<string> {
	const url = await uploadFile(client, data);
	const body = await client.ok('CreateOTAFirmware', {
		ProductKey: productKey,
		FirmwareName: `pkg_${++packageCount}_${randomBytes(3).toString('hex')}`,
		DestVersion: destVersion,
		FirmwareUrl: url,
		...extra,
	});
	return body.Data.FirmwareId as string;
}

/** The uploaded device list (one name a line) behind a GenerateDeviceNameListURL ticket; returns its FileUrl. */
export async function uploadDeviceList(client: OtaClient, text: string): Promise<string> {
	const t = (await client.ok('GenerateDeviceNameListURL')).Data;
	const status = await postObject(
		t.Host,
		{ key: t.Key, OSSAccessKeyId: t.AccessKeyId, policy: t.Policy, Signature: t.Signature },
		Buffer.from(text),
		'devices.csv',
	);
	assert.equal(status, 204);
	return t.FileUrl as string;
}

/**
 * Asks `probe` until `done` holds for its answer, and returns that answer. This waits on the sandbox's
 * state as a client sees it (no fixed sleeps); `timeoutMs` only bounds a scenario that never gets there.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value)) {
			return value;
		}
		if (Date.now() > deadline) {
			assert.fail(`timed out waiting for ${what}; last answer: ${JSON.stringify(value).slice(0, 2000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export interface TaskInfo {
	TaskId: string;
	DeviceName: string;
	TaskStatus: string;
	Progress: string;
	TaskDesc: string;
	SrcVersion: string;
}

/** Every task of a job, page by page (ListOTATaskByJob's PageSize maximum is 100). */
export async function allTasks(client: OtaClient, jobId: string): Promise<TaskInfo[]> {
	const tasks: TaskInfo[] = [];
	for (let page = 1; ; page++) {
		const body = await client.ok('ListOTATaskByJob', { JobId: jobId, CurrentPage: page, PageSize: 100 });
		tasks.push(...(body.Data.SimpleOTATaskInfo as TaskInfo[]));
		if (page >= body.PageCount) {
			return tasks;
		}
	}
}

export function countByStatus(tasks: readonly TaskInfo[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const task of tasks) {
		counts[task.TaskStatus] = (counts[task.TaskStatus] ?? 0) + 1;
	}
	return counts;
}

export async function jobStatus(client: OtaClient, jobId: string): Promise<string> {
	return (await client.ok('QueryOTAJob', { JobId: jobId })).Data.JobStatus as string;
}

/** A device rule on the fault admin endpoint, e.g. { devices: ['dev-00001'], online: false }. */
export async function setDevices(sandbox: Sandbox, rule: Record<string, unknown>): Promise<number> {
	const response = await fetch(`${sandbox.endpoint}/__sandbox/faults`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ target: 'device', ...rule }),
	});
	const body = (await response.json()) as { devices?: number; error?: string };
	assert.equal(response.status, 201, body.error);
	return body.devices ?? 0;
}
