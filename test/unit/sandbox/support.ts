// Helpers shared by the sandbox tests: signed raw RPC calls, pop-core clients, PostObject forms.
import RPCClient from '@alicloud/pop-core';
import FormData from 'form-data';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { Sandbox } from '../../../src/sandbox';
import { signPostPolicy } from '../../../src/sandbox/ossPolicy';
import { signRpc } from '../../../src/sandbox/popSignature';

// Response bodies are checked field by field with assert; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export function rpcTimestamp(ms = Date.now()): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Common parameters as pop-core sends them, plus RegionId. */
export function commonParams(accessKeyId: string, action: string): Record<string, string> {
	return {
		Action: action,
		Format: 'JSON',
		Version: '2018-01-20',
		AccessKeyId: accessKeyId,
		SignatureMethod: 'HMAC-SHA1',
		SignatureVersion: '1.0',
		SignatureNonce: randomBytes(16).toString('hex'),
		Timestamp: rpcTimestamp(),
		RegionId: 'cn-shanghai',
	};
}

export interface RawCallOptions {
	method?: 'GET' | 'POST';
	secret?: string;
	/** Replace the computed signature. */
	signature?: string;
	/** Parameters kept in the query string for POST (Go SDK / aliyun CLI style). */
	queryNames?: readonly string[];
}

/** Signs `params` itself and sends them: for the gateway checks pop-core cannot be made to fail. */
export async function rawRpc(
	endpoint: string,
	params: Record<string, string>,
	opts: RawCallOptions & { secret: string },
): Promise<RawResponse & { json: Body }> {
	const method = opts.method ?? 'POST';
	const signature = opts.signature ?? signRpc(method, params, opts.secret);
	const all = new URLSearchParams({ ...params, Signature: signature });
	const query = new URLSearchParams();
	const form = new URLSearchParams();
	for (const [name, value] of all) {
		const inQuery = method === 'GET' || (opts.queryNames !== undefined && (opts.queryNames.includes(name) || name === 'Signature'));
		(inQuery ? query : form).append(name, value);
	}
	const url = `${endpoint}/${query.size > 0 ? `?${query}` : ''}`;
	const response = await fetch(url, {
		method,
		...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() } : {}),
	});
	const body = await response.text();
	return { status: response.status, headers: Object.fromEntries(response.headers), body, json: JSON.parse(body) as Body };
}

export function popClient(sandbox: Sandbox, creds?: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): RPCClient {
	return new RPCClient({
		accessKeyId: creds?.accessKeyId ?? sandbox.accessKeyId,
		accessKeySecret: creds?.accessKeySecret ?? sandbox.accessKeySecret,
		...(creds?.securityToken ? { securityToken: creds.securityToken } : {}),
		endpoint: sandbox.endpoint,
		apiVersion: '2018-01-20',
	});
}

/** Calls an action through pop-core with POST; returns the body or the error pop-core throws. */
export async function call(client: RPCClient, action: string, params: Record<string, unknown> = {}): Promise<Body> {
	return client.request<Body>(action, { RegionId: 'cn-shanghai', ...params }, { method: 'POST' });
}

export async function callError(
	client: RPCClient,
	action: string,
	params: Record<string, unknown> = {},
): Promise<{ code: string; data: Body }> {
	try {
		await call(client, action, params);
	} catch (error) {
		const e = error as { code: string; data: Body };
		return { code: e.code, data: e.data };
	}
	throw new Error(`${action} unexpectedly succeeded`);
}

export interface UploadTicketData {
	Key: string;
	Host: string;
	Policy: string;
	OSSAccessKeyId: string;
	Signature: string;
	FirmwareUrl: string;
}

export async function ticket(sandbox: Sandbox, suffix = 'bin'): Promise<UploadTicketData> {
	const body = await call(popClient(sandbox), 'GenerateOTAUploadURL', { FileSuffix: suffix });
	return body.Data as UploadTicketData;
}

export function ticketFields(t: UploadTicketData): Array<[string, string]> {
	return [
		['key', t.Key],
		['OSSAccessKeyId', t.OSSAccessKeyId],
		['policy', t.Policy],
		['Signature', t.Signature],
	];
}

export type FormPart = [name: string, value: string] | [name: string, value: Buffer, filename: string];

/** Sends a multipart form (parts in the given order) with node:http and reads the whole answer. */
export function postForm(
	host: string,
	parts: readonly FormPart[],
	headers: Record<string, string> = {},
	signal?: AbortSignal,
): Promise<RawResponse> {
	const form = new FormData();
	for (const part of parts) {
		if (part.length === 3) {
			form.append(part[0], part[1], { filename: part[2], contentType: 'application/octet-stream' });
		} else {
			form.append(part[0], part[1]);
		}
	}
	const body = form.getBuffer();
	return sendRaw(host, 'POST', { ...form.getHeaders(), 'content-length': String(body.length), ...headers }, body, '/', signal);
}

export function sendRaw(
	host: string,
	method: string,
	headers: Record<string, string>,
	body?: Buffer | string,
	path = '/',
	signal?: AbortSignal,
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = request(`${host}${path}`, { method, headers, signal }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** The <Code> of an OSS error XML body. */
export function xmlCode(body: string): string | undefined {
	return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

export function xmlValue(body: string, element: string): string | undefined {
	return new RegExp(`<${element}>([^<]*)</${element}>`).exec(body)?.[1];
}

/** Uploads `data` with a fresh ticket; returns the ticket and the OSS answer. */
export async function upload(
	sandbox: Sandbox,
	data: Buffer,
	extra: Array<[string, string]> = [],
): Promise<{ t: UploadTicketData; res: RawResponse }> {
	const t = await ticket(sandbox);
	const res = await postForm(t.Host, [...ticketFields(t), ...extra, ['file', data, 'fw.bin']]);
	return { t, res };
}

/** The OSS owner's secret is persisted in identity.json; tests use it to sign policies of their own. */
export async function ossOwnerSecret(sandbox: Sandbox): Promise<string> {
	const identity = JSON.parse(await fs.readFile(path.join(sandbox.dataDir, 'identity.json'), 'utf8')) as { ossSecret: string };
	return identity.ossSecret;
}

/** A ticket signed by the sandbox's OSS owner key for a policy of our own. */
export async function customTicket(
	sandbox: Sandbox,
	conditions: unknown[],
	expiration = new Date(Date.now() + 60_000).toISOString(),
): Promise<UploadTicketData> {
	const t = await ticket(sandbox);
	const ownerSecret = await ossOwnerSecret(sandbox);
	const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
	return { ...t, Policy: policy, Signature: signPostPolicy(policy, ownerSecret) };
}

/** The files in the sandbox's tmp/ folder (uploads in progress, or left behind). */
export function uploadTempFiles(sandbox: Sandbox): Promise<string[]> {
	return fs.readdir(path.join(sandbox.dataDir, 'tmp'));
}
