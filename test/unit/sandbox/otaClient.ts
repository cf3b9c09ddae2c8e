// An IoT RPC client written for the lifecycle tests only, from the published signing rules and with
// node:crypto: it shares no code with the project's client (pop-core) or the sandbox's verifier, so a
// scenario that passes through it proves the sandbox speaks the documented wire format.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import type { Body } from './support';

export type Value = string | number | boolean;

/** The code of a bad parameter value where no specific code is documented (docs/protocols.md §11.9). */
export const INVALID = 'iot.check.InvalidFormattedParameter';
/** Scalars, repeat lists (`Name.N`) and object lists (`Name.N.Sub`). */
export type Params = Record<string, Value | readonly Value[] | ReadonlyArray<Record<string, Value>> | undefined>;

export interface Answer {
	status: number;
	body: Body;
}

export interface OtaClientOptions {
	endpoint: string;
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
	regionId?: string;
	/** The clock the Timestamp is taken from (a test that moves the sandbox's clock moves this one too). */
	now?: () => number;
}

/** RFC 3986: everything but unreserved characters percent-encoded, in upper-case hex. */
function rfc3986(text: string): string {
	let out = '';
	for (const byte of Buffer.from(text, 'utf8')) {
		const c = String.fromCharCode(byte);
		out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
}

function flatten(params: Params): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(params)) {
		if (value === undefined) {
			continue;
		}
		if (!Array.isArray(value)) {
			pairs.push([name, String(value)]);
			continue;
		}
		value.forEach((item: Value | Record<string, Value>, i: number) => {
			if (typeof item === 'object') {
				for (const [sub, v] of Object.entries(item)) {
					pairs.push([`${name}.${i + 1}.${sub}`, String(v)]);
				}
			} else {
				pairs.push([`${name}.${i + 1}`, String(item)]);
			}
		});
	}
	return pairs;
}

export class OtaClient {
	constructor(private readonly opts: OtaClientOptions) {}

	/** Signs and sends one call; the whole answer, whatever its status. */
	async send(action: string, params: Params = {}, method: 'GET' | 'POST' = 'POST'): Promise<Answer> {
		const pairs: Array<[string, string]> = [
			['Action', action],
			['Version', '2018-01-20'],
			['Format', 'JSON'],
			['AccessKeyId', this.opts.accessKeyId],
			['SignatureMethod', 'HMAC-SHA1'],
			['SignatureVersion', '1.0'],
			['SignatureNonce', randomUUID()],
			['Timestamp', new Date(this.opts.now?.() ?? Date.now()).toISOString().replace(/\.\d+Z$/, 'Z')],
			['RegionId', this.opts.regionId ?? 'cn-shanghai'],
			...(this.opts.securityToken ? [['SecurityToken', this.opts.securityToken] as [string, string]] : []),
			...flatten(params),
		];
		const canonical = pairs
			.map(([k, v]) => [rfc3986(k), rfc3986(v)])
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([k, v]) => `${k}=${v}`)
			.join('&');
		const stringToSign = `${method}&${rfc3986('/')}&${rfc3986(canonical)}`;
		const signature = createHmac('sha1', `${this.opts.accessKeySecret}&`).update(stringToSign).digest('base64');
		const query = `${canonical}&Signature=${rfc3986(signature)}`;
		const response =
			method === 'GET'
				? await fetch(`${this.opts.endpoint}/?${query}`)
				: await fetch(`${this.opts.endpoint}/`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: query,
					});
		return { status: response.status, body: (await response.json()) as Body };
	}

	/** A call that must succeed: HTTP 200, Success true, no Code. */
	async ok(action: string, params: Params = {}, method: 'GET' | 'POST' = 'POST'): Promise<Body> {
		const { status, body } = await this.send(action, params, method);
		assert.equal(status, 200, `${action}: ${JSON.stringify(body)}`);
		assert.equal(body.Success, true, `${action}: ${JSON.stringify(body)}`);
		assert.equal(body.Code, undefined);
		assert.match(String(body.RequestId), /^[0-9A-F-]{36}$/);
		return body;
	}

	/** A call that must fail with `code`: business errors are HTTP 400 {Success:false, Code, ErrorMessage}, gateway ones 4xx {Code, Message}. */
	async fails(
		action: string,
		params: Params,
		code: string,
		method: 'GET' | 'POST' = 'POST',
	): Promise<{ status: number; message: string }> {
		const { status, body } = await this.send(action, params, method);
		assert.equal(body.Code, code, `${action} ${JSON.stringify(params)}: ${JSON.stringify(body)}`);
		if (body.Success === false) {
			assert.equal(status, 400, `${action}: business errors use the documented HTTP 400`);
			assert.deepEqual(Object.keys(body).sort(), ['Code', 'ErrorMessage', 'RequestId', 'Success']);
			assert.equal(body.Success, false);
			return { status, message: String(body.ErrorMessage) };
		}
		assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
		return { status, message: String(body.Message) };
	}

	/**
	 * A call refused with the generic iot.check.InvalidFormattedParameter for `parameter`: the message names it
	 * ("The <parameter> parameter is invalid: …"), so a call refused by another rule does not pass.
	 */
	async invalid(action: string, params: Params, parameter: string, method: 'GET' | 'POST' = 'POST'): Promise<string> {
		const { message } = await this.fails(action, params, INVALID, method);
		assert.ok(message.startsWith(`The ${parameter} parameter is invalid: `), `${action} refused ${parameter}, not: ${message}`);
		return message;
	}
}
