// The set-up the multi-file package suites (multiFile*.test.ts) share: a sandbox, an IoT client without a rate limit
// that matters, three files (an ESP-IDF app declaring 1.2.0, a SPIFFS image and a modem image), the requests of the
// running test, and the request and refusal shapes the cases use.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { MultiFileRequest } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { espImage, FixtureDir, pattern } from '../../support/firmware';

export interface MultiFileSuite {
	readonly sandbox: Sandbox;
	readonly client: IotClient;
	/** The suite's fixture folder (the sandbox's data dir is inside it). */
	readonly dir: FixtureDir;
	/** A second folder, for files of the same name as the first one's. */
	readonly otherDir: FixtureDir;
	readonly app: string;
	readonly spiffs: string;
	readonly modem: string;
	/** The running test's requests, as "api:Action" / "oss:PostObject". */
	actions(): string[];
	/** A package of `files` for the sandbox's product, with `create` on top. */
	request(files: string[], create?: Partial<MultiFileRequest['create']>): MultiFileRequest;
}

/** Registers the suite's hooks (call it inside `describe`); the values can be read in a test or a later hook. */
export function useMultiFileSuite(): MultiFileSuite {
	const dir = new FixtureDir();
	const otherDir = new FixtureDir();
	const state: { sandbox?: Sandbox; client?: IotClient; app?: string; spiffs?: string; modem?: string } = {};
	const started = <T>(value: T | undefined): T => {
		if (value === undefined) {
			throw new Error('the suite has not started: read it inside a test or a hook');
		}
		return value;
	};

	before(async () => {
		const sandbox = await startSandbox({ dataDir: `${dir.dir}/sandbox`, qps: 1000 });
		state.sandbox = sandbox;
		state.client = new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
		});
		state.app = dir.write('app.bin', espImage({ app: { version: '1.2.0' } }));
		state.spiffs = dir.write('spiffs.bin', pattern(30_000, 3));
		state.modem = dir.write('modem.bin', pattern(5_000, 7));
	});
	beforeEach(() => state.sandbox?.requests.clear());
	after(async () => {
		await state.sandbox?.stop();
		dir.dispose();
		otherDir.dispose();
	});

	return {
		get sandbox() {
			return started(state.sandbox);
		},
		get client() {
			return started(state.client);
		},
		dir,
		otherDir,
		get app() {
			return started(state.app);
		},
		get spiffs() {
			return started(state.spiffs);
		},
		get modem() {
			return started(state.modem);
		},
		actions: () => started(state.sandbox).requests.entries.map((entry) => `${entry.target}:${entry.action}`),
		request: (files, create = {}) => ({
			files: files.map((filePath) => ({ filePath })),
			create: { productKey: started(state.sandbox).productKey, ...create },
		}),
	};
}

export const digest = (file: string, algorithm: 'md5' | 'sha256') => createHash(algorithm).update(readFileSync(file)).digest('hex');

/** A validation error with this code and a message that matches. */
export const refused = (code: string, message: RegExp) => (error: unknown) =>
	error instanceof OtaError && error.source === 'validation' && error.code === code && message.test(error.message);
