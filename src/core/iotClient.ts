import type RPCClient from '@alicloud/pop-core/lib/rpc';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { AnswerGuard, type RequestAnnouncer } from './iot/answerGuard';
import { isCancelled, OtaError, throwIfAborted } from './errors';
import { fromErrorBody, isThrottling, mapPopError, type CallContext } from './iot/popErrors';
import { actionFacts, rateKeyFor } from './iot/actions';
import { createFirmwareParams, uploadUrlParams } from './iot/firmwareParams';
import { listPage } from './iot/paging';
import { asObject, type Json, toPlain, withoutSecretFields } from './iot/normalize';
import { type RpcParams, wireParams } from './iot/params';
import { toCreateFirmwareResult, toFirmwareInfo, toFirmwarePage, toProductPage, toUploadTicket } from './iot/mappers';
import { type Logger, silentLogger } from './logger';
import { validateCredentials } from './credentials';
import { agentFor } from './proxy';
import { actionLimiterFor, type ActionRateLimiter, limiterFor, type RateLimiter } from './rateLimiter';
import { endpointFor } from './regions';
import { checkFirmwareUrl } from './firmwareUrl';
import { checkUploadHost, type EndpointTrust } from './uploadHost';
import { RESPONSE_LIMITS } from './responseBounds';
import { raceWithSignal, type RetryPolicy, withRetry } from './retry';
import { popRpcClient } from './vendor';
import type {
	ConnectionSettings,
	CreateFirmwareRequest,
	CreateFirmwareResult,
	Credentials,
	FirmwareInfo,
	FirmwareSuffix,
	Page,
	ProductInfo,
	TicketSource,
	UploadTicket,
} from './types';

export const IOT_API_VERSION = '2018-01-20';
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface IotClientOptions extends ConnectionSettings {
	credentials: Credentials;
	/** Connect and read timeout of each HTTP request (pop-core's own default is only 3 s). */
	timeoutMs?: number;
	/** Deadline of each HTTP request, however the answer trickles in; default 4 × timeoutMs. */
	deadlineMs?: number;
	logger?: Logger;
	/** Defaults to the process-wide limiter of the AccessKeyId. */
	limiter?: RateLimiter;
	/** Each action's own QPS; defaults to the process-wide per-action limiters of the AccessKeyId. */
	actionLimiter?: ActionRateLimiter;
	retry?: Partial<RetryPolicy>;
	/** Proxy variables (HTTPS_PROXY, NO_PROXY); defaults to process.env. */
	env?: NodeJS.ProcessEnv;
	/** Accept a plain-http endpoint on a non-loopback host. */
	allowInsecure?: boolean;
	/** How each request reaches its answer guard; defaults to Node's diagnostics channel (docs/protocols.md §14.2). */
	requestAnnouncer?: RequestAnnouncer;
}

/** pop-core in verbose mode (untyped in its d.ts): resolves with [body, entry] so we see the HTTP status. */
interface VerboseRpcClient {
	request(
		action: string,
		params: object,
		opts: object,
	): Promise<[unknown, { response?: { statusCode?: number; headers?: IncomingHttpHeaders } | null }]>;
}
type VerboseRpcClientClass = new (config: RPCClient.Config, verbose: true) => VerboseRpcClient;

/** The IoT Platform OTA API (RPC 2018-01-20) over @alicloud/pop-core: POST with a form body unless the action is GET only. */
export class IotClient implements TicketSource {
	readonly endpoint: string;
	private readonly rpc: VerboseRpcClient;
	private readonly region: string;
	private readonly iotInstanceId?: string;
	private readonly timeoutMs: number;
	private readonly deadlineMs: number;
	/** Keep-alive connections of this client when no proxy is used (pop-core's own agent is not reachable). */
	private readonly directAgent: http.Agent;
	private readonly logger: Logger;
	private readonly limiter: RateLimiter;
	private readonly actionLimiter: ActionRateLimiter;
	private readonly retry: Partial<RetryPolicy>;
	private readonly secrets: ReadonlyArray<string | undefined>;
	private readonly env: NodeJS.ProcessEnv;
	private readonly requestAnnouncer?: RequestAnnouncer;
	/** The endpoint and whether insecure endpoints were allowed: what the Host and FirmwareUrl it names are judged by. */
	readonly endpointTrust: EndpointTrust;

	constructor(opts: IotClientOptions) {
		const credentials = validateCredentials(opts.credentials);
		const allowInsecure = opts.allowInsecure === true;
		this.endpoint = endpointFor(opts, { allowInsecure });
		this.endpointTrust = { endpoint: this.endpoint, allowInsecure };
		this.region = opts.region.trim();
		this.iotInstanceId = opts.iotInstanceId?.trim() || undefined;
		this.timeoutMs = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_MS;
		this.deadlineMs =
			opts.deadlineMs !== undefined && opts.deadlineMs > 0 ? opts.deadlineMs : this.timeoutMs * RESPONSE_LIMITS.apiDeadlineTimeouts;
		this.directAgent = this.endpoint.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
		this.logger = opts.logger ?? silentLogger;
		this.limiter = opts.limiter ?? limiterFor(credentials.accessKeyId);
		this.actionLimiter = opts.actionLimiter ?? actionLimiterFor(credentials.accessKeyId);
		this.retry = opts.retry ?? {};
		this.env = opts.env ?? process.env;
		this.requestAnnouncer = opts.requestAnnouncer;
		this.secrets = [credentials.accessKeySecret, credentials.securityToken];
		const VerboseRpcClient = popRpcClient() as unknown as VerboseRpcClientClass;
		this.rpc = new VerboseRpcClient(
			{
				endpoint: this.endpoint,
				apiVersion: IOT_API_VERSION,
				accessKeyId: credentials.accessKeyId,
				accessKeySecret: credentials.accessKeySecret,
				securityToken: credentials.securityToken,
			},
			true,
		);
	}

	async generateOtaUploadUrl(suffix: FirmwareSuffix, signal?: AbortSignal): Promise<UploadTicket> {
		const body = await this.call('GenerateOTAUploadURL', uploadUrlParams(suffix), signal);
		return toUploadTicket(body, Date.now());
	}

	async createOtaFirmware(req: CreateFirmwareRequest, signal?: AbortSignal): Promise<CreateFirmwareResult> {
		const body = await this.call('CreateOTAFirmware', createFirmwareParams(req), signal);
		return toCreateFirmwareResult(body);
	}

	async queryOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<FirmwareInfo> {
		const body = await this.call('QueryOTAFirmware', { FirmwareId: firmwareId }, signal);
		return toFirmwareInfo(body.FirmwareInfo, 'QueryOTAFirmware', typeof body.RequestId === 'string' ? body.RequestId : undefined);
	}

	async listOtaFirmware(
		q: { currentPage?: number; pageSize?: number; productKey?: string; destVersion?: string },
		signal?: AbortSignal,
	): Promise<Page<FirmwareInfo>> {
		const page = listPage('ListOTAFirmware', q);
		const body = await this.call(
			'ListOTAFirmware',
			{ CurrentPage: page.currentPage, PageSize: page.pageSize, ProductKey: q.productKey, DestVersion: q.destVersion },
			signal,
		);
		return toFirmwarePage(body, page);
	}

	async deleteOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<void> {
		await this.call('DeleteOTAFirmware', { FirmwareId: firmwareId }, signal);
	}

	async queryProductList(q: { currentPage?: number; pageSize?: number } = {}, signal?: AbortSignal): Promise<Page<ProductInfo>> {
		const page = listPage('QueryProductList', q);
		const body = await this.call('QueryProductList', { CurrentPage: page.currentPage, PageSize: page.pageSize }, signal);
		return toProductPage(body, page);
	}

	/**
	 * One logical call: attempts limited by the action's QPS and the account's, with back-off (network errors and 5xx
	 * only for repeatable actions), abortable at any point. Resolves with the plain body, secret fields removed.
	 * `rateKey` counts the call against another limit than its action's: by default the deep-paging one of the action
	 * when the page is that deep (rateKeyFor, docs/protocols.md §12.1).
	 */
	async call(action: string, actionParams: RpcParams, signal?: AbortSignal, rateKey = rateKeyFor(action, actionParams)): Promise<Json> {
		const ctx: CallContext = {
			action,
			endpoint: this.endpoint,
			secrets: this.secrets,
			timeoutMs: this.timeoutMs,
			iotInstanceId: this.iotInstanceId,
		};
		const params = wireParams({ RegionId: this.region, IotInstanceId: this.iotInstanceId, ...actionParams });
		const { method, repeatable: idempotent, uploadTicket } = actionFacts(action);
		const limited = (attempt: number): Promise<Json> =>
			this.actionLimiter.run(
				rateKey,
				() => this.limiter.run(() => this.attempt(ctx, method, params, attempt, signal), signal),
				signal,
			);
		const body = await withRetry(limited, {
			policy: this.retry,
			signal,
			toError: (error) => mapPopError(error, ctx),
			shouldRetry: (error) => isThrottling(error) || (idempotent && error.retryable),
			onRetry: (error, attempt, delayMs) =>
				this.logger.info(`IoT ${action}: attempt ${attempt} failed (${error.code}); retrying in ${delayMs} ms`),
		}).catch((error: unknown) => {
			throw finalError(mapPopError(error, ctx), idempotent);
		});
		const data = asObject(body.Data);
		if (uploadTicket && typeof data?.Host === 'string') {
			checkUploadHost(data.Host, this.endpointTrust);
		}
		if (uploadTicket && typeof data?.FirmwareUrl === 'string') {
			// Refused before anything is sent: this URL is what gets registered and written into config files.
			checkFirmwareUrl(data.FirmwareUrl, this.endpointTrust);
		}
		return body;
	}

	private async attempt(
		ctx: CallContext,
		method: string,
		params: Record<string, string>,
		attempt: number,
		signal?: AbortSignal,
	): Promise<Json> {
		throwIfAborted(signal, ctx.action);
		const started = Date.now();
		const url = this.endpoint;
		const guard = new AnswerGuard(
			{ what: { kind: 'action-answer', name: ctx.action }, maxBytes: RESPONSE_LIMITS.apiAnswerBytes, deadlineMs: this.deadlineMs },
			this.requestAnnouncer,
		);
		let succeeded = false;
		const request = this.rpc.request(ctx.action, params, {
			method, // must be upper-case: pop-core only builds a form body for exactly 'POST' (GET puts all in the query)
			timeout: this.timeoutMs,
			agent: agentFor(url, this.env) ?? this.directAgent,
			// httpx hands these options to http.request, so the socket is really closed on abort (docs/protocols.md §14.2).
			beforeRequest: (options: { headers?: Record<string, unknown> }) => guard.requestOptions(options, signal),
		});
		try {
			const [json, entry] = await raceWithSignal(guard.run(request), signal, ctx.action);
			guard.noteUnwatched(this.logger);
			const refusal = guard.refusalOfRead(entry?.response?.headers);
			if (refusal) {
				throw refusal;
			}
			const body = asObject(withoutSecretFields(toPlain(json))) ?? {};
			const status = entry?.response?.statusCode;
			if (body.Success === false || (status !== undefined && status >= 400)) {
				throw fromErrorBody(body, status, ctx);
			}
			succeeded = true;
			this.logger.info(`IoT ${ctx.action} ok in ${Date.now() - started} ms${requestIdNote(body.RequestId)}${attemptNote(attempt)}`);
			return body;
		} catch (error) {
			if (typeof error === 'object' && error !== null && 'entry' in error) {
				guard.noteUnwatched(this.logger); // pop-core threw for the answer's Code: an answer arrived
			}
			const mapped = mapPopError(error, ctx, guard.status);
			if (isCancelled(mapped)) {
				this.logger.info(`IoT ${ctx.action} cancelled after ${Date.now() - started} ms`);
				throw mapped;
			}
			// info, not warn: the caller reports the final error once; a warning here would say the same thing twice.
			this.logger.info(
				`IoT ${ctx.action} failed in ${Date.now() - started} ms: ${mapped.code}${requestIdNote(mapped.requestId)}${attemptNote(attempt)}`,
			);
			throw mapped;
		} finally {
			guard.finish(succeeded);
		}
	}
}

/** Non-idempotent calls report server faults as not retryable so callers do not repeat them blindly. */
function finalError(error: OtaError, idempotent: boolean): OtaError {
	if (!error.retryable || idempotent || isThrottling(error)) {
		return error;
	}
	return new OtaError({
		code: error.code,
		message: error.message,
		source: error.source,
		requestId: error.requestId,
		status: error.status,
		hint: error.hint,
		reason: error.reason,
		retryable: false,
		cause: error,
	});
}

function requestIdNote(requestId: unknown): string {
	return typeof requestId === 'string' && requestId ? ` (RequestId: ${requestId})` : '';
}

function attemptNote(attempt: number): string {
	return attempt > 1 ? ` [attempt ${attempt}]` : '';
}
