import { quotaFor, type ActionSpec } from './actions/specs';
import type { FaultInjector } from './faults';
import type { SandboxIdentity } from './identity';
import { rpcStringToSign, signRpc, signaturesEqual, type RpcParams } from './popSignature';
import { gatewayErrors } from './rpcErrors';
import type { QpsMeter, SandboxStats } from './stats';

/**
 * The POP gateway's checks on the common parameters, in the order the sandbox
 * applies them. Throws GatewayError; returns the authenticated AccessKeyId.
 */

export const API_VERSION = '2018-01-20';
const CLOCK_SKEW_MS = 15 * 60 * 1000;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/;

/** Nonces seen in the last 15 minutes, per AccessKeyId. */
export class NonceCache {
	/** Nonce → expiry, in the order they were used: the oldest (first to expire) first. */
	private readonly seen = new Map<string, number>();

	/** False when the nonce was already used within the window. */
	use(accessKeyId: string, nonce: string, now: number): boolean {
		const id = `${accessKeyId}\n${nonce}`;
		const expiry = this.seen.get(id);
		if (expiry !== undefined && expiry > now) {
			return false;
		}
		// Expiries grow in the order of use, so the expired nonces are at the front: each leaves once, however many
		// are live (an expired nonce used again has left before it is set again, at the back).
		for (const [key, until] of this.seen) {
			if (until > now) {
				break;
			}
			this.seen.delete(key);
		}
		this.seen.set(id, now + CLOCK_SKEW_MS);
		return true;
	}

	get size(): number {
		return this.seen.size;
	}
}

export interface GatewayContext {
	identity: SandboxIdentity;
	/** The action's methods and QPS; undefined for an action the sandbox does not implement. */
	actionSpec: (action: string) => ActionSpec | undefined;
	now: () => number;
	nonces: NonceCache;
	qps: QpsMeter;
	/** Replaces every action's documented QPS (tests); undefined keeps the documented ones. */
	qpsOverride?: number;
	stats: SandboxStats;
	faults: FaultInjector;
}

/** Parses the common Timestamp format; undefined when it is not well formed. */
export function parseRpcTimestamp(value: string): number | undefined {
	const m = TIMESTAMP.exec(value);
	if (!m) {
		return undefined;
	}
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
	const ms = Date.parse(value);
	const d = new Date(ms);
	const valid =
		!Number.isNaN(ms) &&
		d.getUTCFullYear() === year &&
		d.getUTCMonth() + 1 === month &&
		d.getUTCDate() === day &&
		d.getUTCHours() === hour &&
		d.getUTCMinutes() === minute &&
		d.getUTCSeconds() === second;
	return valid ? ms : undefined;
}

/** What an HMAC-SHA1 signature looks like in base64: 20 bytes, 28 characters with one "=". */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;

const REQUIRED_COMMON = ['Action', 'Version', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureNonce', 'Timestamp'] as const;

/** `arrivedAt` (when the request came in, before its body was read) is what the QPS window counts. */
export function authenticateRpc(method: string, params: RpcParams, ctx: GatewayContext, arrivedAt = ctx.now()): string {
	for (const name of REQUIRED_COMMON) {
		if (!params[name]) {
			throw gatewayErrors.missing(name);
		}
	}
	if (params.Format !== undefined && !['JSON', 'XML'].includes(params.Format.toUpperCase())) {
		throw gatewayErrors.invalidFormat();
	}
	if (params.Version !== API_VERSION) {
		throw gatewayErrors.invalidVersion();
	}
	const spec = ctx.actionSpec(params.Action);
	// An action called with a method it does not accept is not found either (docs/protocols.md §11.1).
	if (!spec || !(spec.methods as readonly string[]).includes(method.toUpperCase())) {
		throw gatewayErrors.actionNotFound();
	}
	if (params.SignatureMethod !== 'HMAC-SHA1') {
		throw gatewayErrors.signatureMethod();
	}
	if (params.SignatureVersion !== undefined && params.SignatureVersion !== '1.0') {
		throw gatewayErrors.signatureVersion();
	}
	const timestamp = parseRpcTimestamp(params.Timestamp);
	if (timestamp === undefined) {
		throw gatewayErrors.timestampFormat();
	}
	const now = ctx.now();
	if (Math.abs(now - timestamp) > CLOCK_SKEW_MS) {
		throw gatewayErrors.timestampExpired();
	}
	const accessKeyId = params.AccessKeyId;
	const secret = secretFor(accessKeyId, params.SecurityToken, ctx.identity);
	if (!SIGNATURE_SHAPE.test(params.Signature)) {
		throw gatewayErrors.incompleteSignature(rpcStringToSign(method, params));
	}
	const expected = signRpc(method, params, secret);
	if (!signaturesEqual(expected, params.Signature)) {
		throw gatewayErrors.signatureMismatch(rpcStringToSign(method, params));
	}
	if (!ctx.nonces.use(accessKeyId, params.SignatureNonce, now)) {
		throw gatewayErrors.nonceUsed();
	}
	const keyWindow = `key:${accessKeyId}`;
	ctx.stats.maxQps[accessKeyId] = Math.max(ctx.stats.maxQps[accessKeyId] ?? 0, ctx.qps.demand(keyWindow, arrivedAt));
	// Quotas are per action and per account; the sandbox has one account, so its keys share them.
	const quota = quotaFor(params.Action, spec, params);
	const actionWindow = `action:${quota.window}`;
	const limit = ctx.qpsOverride ?? quota.qps;
	if (ctx.qps.demand(actionWindow, arrivedAt) > limit || ctx.faults.take('api', params.Action, ['throttle'])) {
		throw gatewayErrors.throttled();
	}
	ctx.qps.accept(keyWindow, arrivedAt);
	ctx.qps.accept(actionWindow, arrivedAt);
	if (!params.RegionId) {
		throw gatewayErrors.missing('RegionId');
	}
	return accessKeyId;
}

function secretFor(accessKeyId: string, securityToken: string | undefined, identity: SandboxIdentity): string {
	if (accessKeyId === identity.main.accessKeyId) {
		return identity.main.accessKeySecret;
	}
	if (accessKeyId === identity.sts.accessKeyId) {
		if (!securityToken) {
			throw gatewayErrors.missingSecurityToken();
		}
		if (securityToken !== identity.sts.securityToken) {
			throw gatewayErrors.tokenMismatch();
		}
		return identity.sts.accessKeySecret;
	}
	throw gatewayErrors.accessKeyNotFound();
}
