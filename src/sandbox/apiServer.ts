import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger';
import { parseFaultRule, type FaultInjector, type FaultRule } from './faults';
import { pause, popRequestId, readBody } from './httpUtil';
import { runAction, type ActionContext } from './iotActions';
import { fleetSummary, isDeviceRule, parseDeviceRule } from './ota/deviceRules';
import type { RpcParams } from './popSignature';
import type { RequestLog } from './requestLog';
import { authenticateRpc, type GatewayContext } from './rpcGateway';
import { BusinessError, businessErrorBody, GatewayError, gatewayErrorBody, gatewayErrors } from './rpcErrors';
import type { SandboxStats } from './stats';

/**
 * The IoT API listener: POP RPC on `/` (GET or POST, query and/or form body), the fault-injection control
 * endpoint `/__sandbox/faults` (POST a rule, DELETE all, GET list; POST …/release lets held requests go; a rule with
 * `"target": "device"` changes simulated devices instead, ota/deviceRules.ts) and the request log
 * `/__sandbox/requests` (GET, DELETE).
 */

export const FAULTS_PATH = '/__sandbox/faults';
export const REQUESTS_PATH = '/__sandbox/requests';
const MAX_RPC_BODY_BYTES = 1024 * 1024;

export interface ApiContext {
	gateway: GatewayContext;
	actions: ActionContext;
	faults: FaultInjector;
	stats: SandboxStats;
	requests: RequestLog;
	logger: Logger;
	stopSignal: AbortSignal;
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId?: string): void {
	if (res.headersSent || res.destroyed) {
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json;charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...(requestId ? { 'x-acs-request-id': requestId } : {}),
	});
	res.end(text);
}

function sendPage(res: ServerResponse, status: number, page: string): void {
	res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
	res.end(page);
}

/** Query string and form body merged (body wins), empty values kept. */
function rpcParams(req: IncomingMessage, url: URL, body: Buffer): RpcParams {
	const params: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const [name, value] of url.searchParams) {
		params[name] = value;
	}
	if (/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
		for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
			params[name] = value;
		}
	}
	return params;
}

export function createApiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		void handle(req, res, ctx).catch((error: unknown) => {
			ctx.logger.error(`sandbox api: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
			sendJson(res, 500, { Code: 'InternalError', Message: 'The sandbox failed unexpectedly.' });
		});
	};
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
	const arrivedAt = ctx.gateway.now();
	const url = new URL(req.url ?? '/', 'http://sandbox');
	let body: Buffer;
	try {
		body = await readBody(req, MAX_RPC_BODY_BYTES);
	} catch {
		if (!req.destroyed) {
			sendJson(res, 413, { Code: 'RequestEntityTooLarge', Message: 'The request body is too large.' });
		}
		return;
	}
	if (url.pathname.startsWith('/__sandbox/')) {
		control(req, res, url.pathname, body, ctx);
		return;
	}
	const requestId = popRequestId();
	const hostId = req.headers.host ?? '127.0.0.1';
	const params = rpcParams(req, url, body);
	const action = params.Action ?? '';
	// Counted by name only for actions the sandbox knows: arbitrary names from a client must not grow the table.
	ctx.stats.count(ctx.stats.apiCalls, ctx.gateway.actionSpec(action) ? action : action ? '(unknown)' : '(none)');
	ctx.requests.api(params);
	const fault = ctx.faults.take('api', action, ['status', 'reset', 'stall', 'delay', 'hold']);
	if (fault?.kind === 'reset') {
		req.socket.destroy();
		return;
	}
	if (fault?.kind === 'stall' && fault.ms === undefined) {
		return; // never answer: the client times out or the sandbox stops
	}
	if (fault?.kind === 'stall' || fault?.kind === 'delay' || (fault?.kind === 'hold' && !fault.answer)) {
		await waitOut(fault, action, ctx);
		if (ctx.stopSignal.aborted) {
			return; // the sandbox stopped meanwhile: no state changes after stop()
		}
	}
	if (fault?.kind === 'status' && fault.body !== undefined) {
		sendPage(res, fault.status, fault.body); // a front proxy's error page: not the gateway's JSON
		return;
	}
	const ids = { requestId, hostId, arrivedAt };
	const { status, body: answer } = await respond(req, url, params, fault, ids, ctx);
	if (fault?.kind === 'hold' && fault.answer) {
		await waitOut(fault, action, ctx); // the action ran (or failed): only its answer waits
	}
	sendJson(res, status, answer, requestId);
}

/** The action's answer, or the gateway's or the business error's, as HTTP status and body. */
async function respond(
	req: IncomingMessage,
	url: URL,
	params: RpcParams,
	fault: FaultRule | undefined,
	{ requestId, hostId, arrivedAt }: { requestId: string; hostId: string; arrivedAt: number },
	ctx: ApiContext,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const action = params.Action ?? '';
	try {
		if (fault?.kind === 'status') {
			throw gatewayErrors.injected(fault.status, fault.code, fault.message);
		}
		if (url.pathname !== '/') {
			throw gatewayErrors.actionNotFound();
		}
		if (req.method !== 'GET' && req.method !== 'POST') {
			throw new GatewayError(400, 'UnsupportedHTTPMethod', 'Specified signature is not matched with our calculation.');
		}
		authenticateRpc(req.method, params, ctx.gateway, arrivedAt);
		const result = await runAction(params, ctx.actions);
		ctx.logger.info(`sandbox api: ${action} OK`);
		return { status: 200, body: { RequestId: requestId, ...result } };
	} catch (error) {
		if (error instanceof GatewayError) {
			ctx.stats.count(ctx.stats.apiErrors, error.code);
			ctx.logger.info(`sandbox api: ${action || '(no action)'} rejected: ${error.code}`);
			return { status: error.status, body: gatewayErrorBody(error, requestId, hostId) };
		}
		if (error instanceof BusinessError) {
			ctx.stats.count(ctx.stats.apiErrors, error.code);
			ctx.logger.info(`sandbox api: ${action} failed: ${error.code}`);
			return { status: error.status, body: businessErrorBody(error, requestId) };
		}
		throw error;
	}
}

/** A delay or stall with a duration pauses; a hold waits for release(); both end when the sandbox stops. */
async function waitOut(fault: FaultRule, action: string, ctx: ApiContext): Promise<void> {
	if (fault.kind === 'hold') {
		await ctx.faults.hold('api', action, ctx.stopSignal);
	} else if (fault.kind === 'stall' || fault.kind === 'delay') {
		await pause(fault.ms ?? 0, ctx.stopSignal);
	}
}

function control(req: IncomingMessage, res: ServerResponse, pathname: string, body: Buffer, ctx: ApiContext): void {
	if (pathname === REQUESTS_PATH && (req.method === 'GET' || req.method === 'DELETE')) {
		if (req.method === 'DELETE') {
			ctx.requests.clear();
		}
		sendJson(res, 200, { requests: ctx.requests.entries });
	} else if (pathname === `${FAULTS_PATH}/release` && req.method === 'POST') {
		sendJson(res, 200, { released: ctx.faults.release() });
	} else if (pathname === FAULTS_PATH) {
		controlFaults(req, res, body, ctx);
	} else {
		sendJson(res, 404, { error: `Unknown control path ${pathname}.` });
	}
}

function controlFaults(req: IncomingMessage, res: ServerResponse, body: Buffer, ctx: ApiContext): void {
	if (req.method === 'DELETE') {
		ctx.faults.clear();
		sendJson(res, 200, { rules: [] });
		return;
	}
	if (req.method === 'GET') {
		sendJson(res, 200, {
			rules: ctx.faults.list(),
			held: ctx.faults.holding(),
			stats: ctx.stats,
			fleet: fleetSummary(ctx.actions.ota),
		});
		return;
	}
	if (req.method !== 'POST') {
		sendJson(res, 405, { error: 'Use POST (add a rule), DELETE (clear) or GET (list).' });
		return;
	}
	try {
		const input: unknown = JSON.parse(body.toString('utf8'));
		const items: unknown[] = Array.isArray(input) ? input : [input];
		const deviceRules = items.filter(isDeviceRule).map(parseDeviceRule);
		const rules = items.filter((item) => !isDeviceRule(item)).map(parseFaultRule);
		rules.forEach((rule) => ctx.faults.add(rule));
		const devices = deviceRules.reduce((sum, rule) => sum + ctx.actions.ota.setDevices(rule.selector, rule.change), 0);
		sendJson(res, 201, { rules: ctx.faults.list(), ...(deviceRules.length > 0 ? { devices } : {}) });
	} catch (error) {
		sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
	}
}
