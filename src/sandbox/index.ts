import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileHasher } from '../core/hashing/fileHasher';
import { silentLogger, type Logger } from '../core/logger';
import { REGISTER_WINDOW_MS } from '../core/otaFacts';
import { createApiHandler, FAULTS_PATH, REQUESTS_PATH } from './apiServer';
import { FaultInjector } from './faults';
import { pause } from './httpUtil';
import { removeStaleJsonTemps } from './jsonFile';
import { ENTERPRISE_INSTANCE_ID, loadIdentity, OSS_BUCKET } from './identity';
import { actionSpec } from './actions/specs';
import { signedDownloadUrl } from './iotActions';
import { createOtaEngine, type FleetOptions, type OtaEngineApi } from './ota';
import { imageVersionReader } from './ota/packages';
import type { OssContext } from './ossContext';
import { sendOssError } from './ossResponses';
import { createOssHandler } from './ossServer';
import { RequestLog } from './requestLog';
import { NonceCache } from './rpcGateway';
import { QpsMeter, SandboxStats } from './stats';
import { SandboxStore } from './store';
import { SEEDED_PRODUCTS } from './storeRecords';

export { FaultInjector, parseFaultRule, type FaultRule, type FaultTarget } from './faults';
export { RequestLog, type LoggedRequest } from './requestLog';
export { SandboxStats } from './stats';
export {
	checkShares,
	countDevices,
	parseBehaviourShare,
	shareProblem,
	type BehaviourShare,
	type OtaEngineApi,
	type ShareProblem,
} from './ota';
export { FAULTS_PATH, REQUESTS_PATH };

export interface SandboxOptions extends FleetOptions {
	apiPort?: number;
	ossPort?: number;
	/** Kept across restarts when given; otherwise a new temp dir, removed by stop(). */
	dataDir?: string;
	accessKeyId?: string;
	accessKeySecret?: string;
	/** Uploads never passed to CreateOTAFirmware are deleted after this long (default 60 min). */
	unregisteredTtlMs?: number;
	/** Replaces every action's documented QPS (docs/protocols.md §11.1) before Throttling.User: for tests. */
	qps?: number;
	/** Most names a GenerateDeviceNameListURL file may list (default 10,000; docs/protocols.md §11.6). */
	deviceListMaxNames?: number;
	logger?: Logger;
	/** Simulates an Enterprise-only account: calls without IotInstanceId fail with iot.system.InstanceNotFound. */
	requireInstanceId?: boolean;
	/** Clock override for tests (timestamps, policy expiry, TTL, QPS window). */
	now?: () => number;
	/**
	 * How long a client may stay silent (default 120 s): headers must arrive within it, an API request must arrive
	 * whole within it, an idle connection is dropped after it, and a PostObject gets it plus its size at the slowest
	 * allowed upload rate (docs/protocols.md §8).
	 */
	idleTimeoutMs?: number;
}

export interface Sandbox {
	/** IoT API endpoint, e.g. http://127.0.0.1:41234 */
	endpoint: string;
	/** OSS listener base URL (GenerateOTAUploadURL's Host). */
	ossHost: string;
	accessKeyId: string;
	accessKeySecret: string;
	dataDir: string;
	sts: { accessKeyId: string; accessKeySecret: string; securityToken: string };
	enterpriseInstanceId: string;
	productKey: string;
	bucket: string;
	faults: FaultInjector;
	stats: SandboxStats;
	/** Every request received, in order (business parameters only). */
	requests: RequestLog;
	/** The OTA lifecycle: the virtual fleet, jobs and tasks. */
	ota: OtaEngineApi;
	/**
	 * 'objectStored' {key,size,etag}, 'objectExpired' {key}, 'uploadRejected' {requestId,code}, 'uploadAborted' {requestId},
	 * 'taskChanged' {task, from} (every OTA task transition; `from` undefined at creation).
	 */
	events: EventEmitter;
	/** Deletes expired unregistered uploads now (the timer does it periodically); returns their keys. */
	sweep(): Promise<string[]>;
	/**
	 * Resolves once every PostObject in progress has ended (stored, refused or aborted) and removed its temporary file,
	 * and the state writes pending by then are on disk.
	 */
	uploadsSettled(): Promise<void>;
	stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		if (!server.listening) {
			resolve();
			return;
		}
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/**
 * A listener that slow or silent clients cannot hold: headers within `idleMs`, a connection silent for `idleMs`
 * dropped, and (`wholeRequestMs`) the whole request within that time. The OSS listener passes 0 there: a 1 GB
 * upload on a slow link must not be cut at a fixed time, so each PostObject has its own size-based deadline.
 */
function newServer(idleMs: number, wholeRequestMs: number): Server {
	const server = createServer({
		highWaterMark: 1024 * 1024,
		headersTimeout: idleMs,
		requestTimeout: wholeRequestMs,
		connectionsCheckingInterval: Math.min(idleMs, 30_000),
	});
	server.setTimeout(idleMs);
	return server;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const logger = opts.logger ?? silentLogger;
	const now = opts.now ?? Date.now;
	const readFirmwareVersion = opts.readFirmwareVersion ?? imageVersionReader(opts.versionMarker, logger); // a bad marker fails before any file exists
	const ownsDataDir = opts.dataDir === undefined;
	const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(tmpdir(), 'iot-ota-sandbox-')));
	await fs.mkdir(dataDir, { recursive: true });
	await removeStaleJsonTemps(dataDir);
	const ttlMs = opts.unregisteredTtlMs ?? REGISTER_WINDOW_MS;
	const events = new EventEmitter();
	const identity = await loadIdentity(dataDir, opts);
	const store = await SandboxStore.open(dataDir, {
		now,
		unregisteredTtlMs: ttlMs,
		logger,
		onObjectExpired: (key) => events.emit('objectExpired', { key }),
	});
	const ota = await createOtaEngine(opts, {
		readFirmwareVersion,
		store,
		dataDir,
		now,
		logger,
		downloadUrl: (firmware) => signedDownloadUrl(firmware, { now, identity, bucket: OSS_BUCKET }),
		onTaskChange: (task, from) => events.listenerCount('taskChanged') > 0 && events.emit('taskChanged', { task, from }),
	});
	const faults = new FaultInjector();
	const stats = new SandboxStats();
	const requests = new RequestLog();
	const hashes = new FileHasher();
	const stopController = new AbortController();
	const uploads: OssContext['uploads'] = new Set();
	const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
	const apiServer = newServer(idleTimeoutMs, idleTimeoutMs);
	const ossServer = newServer(idleTimeoutMs, 0);

	const stopServers = async (): Promise<void> => {
		stopController.abort();
		await Promise.all([closeServer(apiServer), closeServer(ossServer)]);
		await Promise.all([...uploads].map((u) => u.settled));
		await ota.stop();
		await store.flush();
		await hashes.close();
	};

	let apiPort: number;
	let ossPort: number;
	try {
		ossPort = await listen(ossServer, opts.ossPort ?? 0);
		apiPort = await listen(apiServer, opts.apiPort ?? 0);
	} catch (error) {
		await stopServers();
		if (ownsDataDir) {
			await fs.rm(dataDir, { recursive: true, force: true });
		}
		throw error;
	}
	const ossHost = `http://127.0.0.1:${ossPort}`;
	const endpoint = `http://127.0.0.1:${apiPort}`;
	const wait = (ms: number): Promise<void> => pause(ms, stopController.signal);

	ossServer.on(
		'request',
		createOssHandler({
			store,
			identity,
			faults,
			stats,
			logger,
			events,
			now,
			bucket: OSS_BUCKET,
			ossHost,
			requests,
			stopSignal: stopController.signal,
			pause: wait,
			sendError: sendOssError,
			uploads,
			idleTimeoutMs,
		}),
	);
	const apiHandler = createApiHandler({
		gateway: { identity, actionSpec, now, nonces: new NonceCache(), qps: new QpsMeter(), qpsOverride: opts.qps, stats, faults },
		actions: {
			store,
			ota,
			identity,
			hashes,
			faults,
			now,
			ossHost,
			bucket: OSS_BUCKET,
			enterpriseInstanceId: ENTERPRISE_INSTANCE_ID,
			requireInstanceId: opts.requireInstanceId ?? false,
			accountId: createHash('md5').update(identity.main.accessKeyId).digest('hex'),
			deviceListMaxNames: opts.deviceListMaxNames ?? 10_000,
		},
		faults,
		stats,
		requests,
		logger,
		stopSignal: stopController.signal,
	});
	apiServer.on('request', (req: IncomingMessage, res: ServerResponse) => apiHandler(req, res));

	const sweep = (): Promise<string[]> => store.sweep();
	const sweepTimer = setInterval(
		() => void sweep().catch((error: unknown) => logger.warn(`sandbox: sweep failed: ${String(error)}`)),
		Math.min(Math.max(ttlMs / 2, 50), 60_000),
	);
	sweepTimer.unref();
	logger.info(`sandbox: IoT API ${endpoint}, OSS ${ossHost}, data ${dataDir}`);

	let stopping: Promise<void> | undefined;
	return {
		endpoint,
		ossHost,
		accessKeyId: identity.main.accessKeyId,
		accessKeySecret: identity.main.accessKeySecret,
		dataDir,
		sts: { ...identity.sts },
		enterpriseInstanceId: ENTERPRISE_INSTANCE_ID,
		productKey: SEEDED_PRODUCTS[0].productKey,
		bucket: OSS_BUCKET,
		faults,
		stats,
		requests,
		ota,
		events,
		sweep,
		uploadsSettled: async () => {
			await Promise.all([...uploads].map((u) => u.settled));
			await store.flush();
		},
		stop: () => {
			stopping ??= (async () => {
				clearInterval(sweepTimer);
				await stopServers();
				if (ownsDataDir) {
					await fs.rm(dataDir, { recursive: true, force: true });
				}
				logger.info('sandbox: stopped');
			})();
			return stopping;
		},
	};
}
