// Shared by the lifecycle client suites (client*.test.ts): a local responder (127.0.0.1, free port) that returns the
// scripted answers and records what was sent, a stub OSS for device lists, and clients wired to them.
import { after, before, beforeEach } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient } from '../../../src/core/lifecycle';
import { ActionRateLimiter, RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, startStub, type CapturedRequest, type Stub, type StubReply } from '../core-api/stubServer';

export const SECRET = 'lifecycle-test-secret';

/**
 * Registers the responder's hooks (call it at the top of a test file): both stubs started before the file and closed
 * after it; the scripted replies and the log lines cleared before every test. `stub` and `oss` can be read in a test.
 */
export function useClientResponder() {
	let stub: Stub | undefined;
	let oss: Stub | undefined;
	/** The answers to each Action, in order; an action with none left gets an empty success. */
	const replies: Record<string, StubReply[]> = {};
	const logLines: string[] = [];
	const started = (value: Stub | undefined): Stub => {
		if (value === undefined) {
			throw new Error('the responder is not started: read it inside a test');
		}
		return value;
	};

	before(async () => {
		stub = await startStub((req: CapturedRequest) => replies[req.params.Action]?.shift() ?? okBody());
		oss = await startStub(() => ({ status: 200, text: '' }));
	});
	after(async () => {
		await stub?.close();
		await oss?.close();
	});
	beforeEach(() => {
		for (const action of Object.keys(replies)) {
			delete replies[action];
		}
		logLines.length = 0;
	});

	/** An IotClient (log lines collected) and the LifecycleClient on it, pointed at the responder. */
	function clients(actionLimiter = new ActionRateLimiter({ perSecondOf: () => 1000 })): { iot: IotClient; client: LifecycleClient } {
		const log = (m: string): void => void logLines.push(m);
		const iot = new IotClient({
			region: 'cn-shanghai',
			endpoint: started(stub).url,
			credentials: { accessKeyId: 'LTAIlifecycle', accessKeySecret: SECRET },
			limiter: new RateLimiter({ perSecond: 1000 }),
			actionLimiter,
			retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
			logger: { trace: log, debug: log, info: log, warn: log, error: log },
		});
		return { iot, client: new LifecycleClient(iot) };
	}

	/** Runs `action`; returns the requests it made and its result (or the error it threw). */
	async function sent<T>(action: () => Promise<T>): Promise<{ requests: CapturedRequest[]; result: T | unknown }> {
		const start = started(stub).requests.length;
		const result = await action().catch((e: unknown) => e);
		return { requests: started(stub).requests.slice(start), result };
	}

	return {
		replies,
		logLines,
		clients,
		sent,
		get stub(): Stub {
			return started(stub);
		},
		get oss(): Stub {
			return started(oss);
		},
	};
}
