// The set-up the IotClient suites (iotClient*.test.ts) share: a stub gateway answering from the running test's
// script (then a successful CreateOTAFirmware), a limiter that counts acquisitions, the client's log lines, and the
// throttling and 5xx answers the cases script.
import { after, before, beforeEach } from 'node:test';
import { IotClient, type IotClientOptions } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, startStub, type CapturedRequest, type Stub, type StubReply } from './stubServer';

/** Counts acquisitions, so tests can check that every attempt passed the limiter. */
export class CountingLimiter extends RateLimiter {
	acquired = 0;
	override run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		return super.run(() => {
			this.acquired++;
			return call();
		}, signal);
	}
}

export const THROTTLED: StubReply = {
	status: 400,
	json: { RequestId: 'R-T', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' },
};
export const UNAVAILABLE: StubReply = {
	status: 503,
	json: { RequestId: 'R-U', Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' },
};

export interface IotClientStub {
	readonly stub: Stub;
	/** The stub's next answers, in order; reset before each test. */
	script: StubReply[];
	/** The limiter the next client() gets; a fresh one before each test. */
	limiter: CountingLimiter;
	/** Every line the clients logged during the running test. */
	readonly logLines: string[];
	/** A client of the stub (region cn-shanghai, fast retries), with `over` on top. */
	client(over?: Partial<IotClientOptions>): IotClient;
	/** The requests the stub received while `action` ran, and its result or error. */
	sentDuring(action: () => Promise<unknown>): Promise<{ requests: CapturedRequest[]; outcome: unknown }>;
}

/** Registers the suite's hooks (at the top of the file); read `stub` inside a test. */
export function useIotClientStub(): IotClientStub {
	let stub: Stub | undefined;
	const started = (): Stub => stub ?? assertStarted();
	const suite: IotClientStub = {
		get stub() {
			return started();
		},
		script: [],
		limiter: new CountingLimiter({ perSecond: 1000 }),
		logLines: [],
		client(over = {}) {
			const log = (m: string): void => void suite.logLines.push(m);
			return new IotClient({
				region: 'cn-shanghai',
				endpoint: started().url,
				credentials: { accessKeyId: 'LTAItest', accessKeySecret: 'testsecret' },
				limiter: suite.limiter,
				retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
				logger: { trace: log, debug: log, info: log, warn: log, error: log },
				...over,
			});
		},
		async sentDuring(action) {
			const start = started().requests.length;
			const outcome = await action().catch((e: unknown) => e);
			return { requests: started().requests.slice(start), outcome };
		},
	};
	before(async () => {
		stub = await startStub(() => suite.script.shift() ?? okBody({ Data: { FirmwareId: 'F-NEW' } }));
	});
	after(() => stub?.close());
	beforeEach(() => {
		suite.script = [];
		suite.limiter = new CountingLimiter({ perSecond: 1000 });
		suite.logLines.length = 0;
	});
	return suite;
}

function assertStarted(): never {
	throw new Error('the stub has not started: read it inside a test or a hook');
}
