import type { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger';
import type { FaultInjector } from './faults';
import type { SandboxIdentity } from './identity';
import type { OssError } from './ossErrors';
import type { RequestLog } from './requestLog';
import type { SandboxStats } from './stats';
import type { SandboxStore } from './store';

/** What the OSS listener and each PostObject upload share (built once by startSandbox). */
export interface OssContext {
	store: SandboxStore;
	identity: SandboxIdentity;
	faults: FaultInjector;
	stats: SandboxStats;
	logger: Logger;
	events: EventEmitter;
	now: () => number;
	bucket: string;
	ossHost: string;
	requests: RequestLog;
	/** Aborted when the sandbox stops. */
	stopSignal: AbortSignal;
	/** Abortable wait that ends early when the sandbox stops. */
	pause: (ms: number) => Promise<void>;
	sendError: (res: ServerResponse, error: OssError, requestId: string, headers?: OutgoingHttpHeaders) => void;
	/** Uploads in flight, so stop() can wait for their temp files to be removed. */
	uploads: Set<{ readonly settled: Promise<void> }>;
	/** A PostObject may take this long plus its size at the slowest allowed rate (SandboxOptions.idleTimeoutMs). */
	idleTimeoutMs: number;
}
