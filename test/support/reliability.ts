// Shared helpers of the reliability suite (test/unit/reliability): tripwires, temp dirs, leak scans,
// bounded fuzzing knobs, a controllable sandbox clock and core clients wired to the local sandbox.
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IotClient, type IotClientOptions } from '../../src/core/iotClient';
import { RateLimiter } from '../../src/core/rateLimiter';
import type { Sandbox } from '../../src/sandbox';

/**
 * Records every unhandled promise rejection (and every uncaught exception, e.g. an 'error' event
 * nobody listens to) in this test process. node:test only blames such late failures on the whole
 * file; the suite asserts after every test that the list is empty, so the culprit test fails.
 */
export function installTripwire(): { readonly failures: string[]; assertClean(context?: string): Promise<void> } {
	const failures: string[] = [];
	const describe = (kind: string, reason: unknown): string =>
		`${kind}: ${reason instanceof Error ? `${reason.name}: ${reason.message} @ ${reason.stack?.split('\n')[1]?.trim() ?? ''}` : String(reason)}`;
	process.on('unhandledRejection', (reason) => failures.push(describe('unhandledRejection', reason)));
	process.on('uncaughtException', (error) => failures.push(describe('uncaughtException', error)));
	return {
		failures,
		async assertClean(context = '') {
			// Let pending microtasks and the next timer phase run first: late rejections surface there.
			await new Promise((resolve) => setTimeout(resolve, 20));
			const seen = [...failures];
			failures.length = 0;
			assert.deepEqual(seen, [], `unhandled rejection / uncaught exception${context ? ` during ${context}` : ''}`);
		},
	};
}

export function tempDir(prefix: string): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string | undefined): void {
	if (dir) {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Every file (not directory) below `dir`, as absolute paths; missing dir → []. */
export function listFiles(dir: string): string[] {
	let entries;
	try {
		entries = readdirSync(dir, { withFileTypes: true });
	} catch {
		return [];
	}
	return entries.flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			return listFiles(full);
		}
		return [full];
	});
}

/**
 * Leftovers of an interrupted write: the sandbox's tmp/ folder content, `*.tmp` / `*.part` files
 * anywhere below `dir` (sandbox state, config files replaced by rename).
 */
export function leftoverTempFiles(dir: string): string[] {
	return listFiles(dir)
		.map((file) => path.relative(dir, file))
		.filter((rel) => /\.(tmp|part)$/.test(rel) || rel.split(path.sep).slice(0, -1).includes('tmp'));
}

/** Relative names of the files in the sandbox's tmp/ folder (uploads in progress). */
export function sandboxTmp(sandbox: Pick<Sandbox, 'dataDir'>): string[] {
	return listFiles(path.join(sandbox.dataDir, 'tmp')).map((f) => path.relative(sandbox.dataDir, f));
}

/** Places a needle can hide: raw, URL/POP-encoded, doubly encoded, base64. */
export function needleForms(needle: string): string[] {
	const uri = encodeURIComponent(needle);
	const pop = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return [
		...new Set([
			needle,
			uri,
			pop,
			encodeURIComponent(pop),
			Buffer.from(needle).toString('base64'),
			JSON.stringify(needle).slice(1, -1),
		]),
	];
}

export interface LeakHit {
	where: string;
	needle: string;
	form: string;
}

/** Searches text for every spelling of every needle. */
export function findLeaks(where: string, text: string, needles: readonly string[]): LeakHit[] {
	const hits: LeakHit[] = [];
	for (const needle of needles) {
		for (const form of needleForms(needle)) {
			if (text.includes(form)) {
				hits.push({ where, needle: needle.slice(0, 6) + '…', form: form.slice(0, 6) + '…' });
			}
		}
	}
	return hits;
}

/** Every file under `dir` (binary-safe, as latin1 and utf8), skipping names `skip` accepts. */
export function scanFiles(dir: string, needles: readonly string[], skip: (file: string) => boolean = () => false): LeakHit[] {
	const hits: LeakHit[] = [];
	for (const file of listFiles(dir)) {
		if (skip(file)) {
			continue;
		}
		let data: Buffer;
		try {
			if (!statSync(file).isFile()) {
				continue;
			}
			data = readFileSync(file);
		} catch {
			continue;
		}
		hits.push(...findLeaks(file, data.toString('latin1'), needles), ...findLeaks(file, data.toString('utf8'), needles));
	}
	return hits;
}

/** A `Signature=` (or `signature":"`) followed by an actual value rather than the *** mask. */
export const SIGNED_URL_VALUE = /Signature=(?!\*\*\*)[A-Za-z0-9%+/=_-]{6,}|"signature"\s*:\s*"(?!\*\*\*)[^"]{6,}"/i;

/** How many fast-check runs: FUZZ_RUNS overrides the CI default. */
export function fuzzRuns(ciDefault: number): number {
	const n = Number(process.env.FUZZ_RUNS);
	return Number.isSafeInteger(n) && n > 0 ? n : ciDefault;
}

/** Wall-clock budget of one property in ms: FUZZ_SECONDS overrides the CI default. */
export function fuzzBudgetMs(ciDefaultSeconds: number): number {
	const s = Number(process.env.FUZZ_SECONDS);
	return (Number.isFinite(s) && s > 0 ? s : ciDefaultSeconds) * 1000;
}

/** fast-check parameters: bounded runs and time (raised on demand), replayable with FUZZ_SEED (+ FUZZ_PATH). */
export function fuzzParams(
	ciRuns: number,
	ciSeconds: number,
): { numRuns: number; interruptAfterTimeLimit: number; markInterruptAsFailure: false; seed?: number; path?: string } {
	const seed = Number(process.env.FUZZ_SEED);
	const replay = Number.isSafeInteger(seed) && process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '';
	return {
		numRuns: fuzzRuns(ciRuns),
		interruptAfterTimeLimit: fuzzBudgetMs(ciSeconds),
		markInterruptAsFailure: false,
		...(replay ? { seed } : {}),
		...(replay && process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
	};
}

/** Runs fc.assert and rethrows a failure with the failing assertion's own message (fast-check keeps it as `cause`). */
export async function checkProperty(run: () => Promise<void> | void): Promise<void> {
	try {
		await run();
	} catch (error) {
		const cause = (error as { cause?: unknown }).cause;
		if (error instanceof Error && cause instanceof Error) {
			error.message = `${error.message}\nCause: ${cause.message}`;
		}
		throw error;
	}
}

/** Rejects when `promise` does not settle within `ms` (a hang is a failure, not a stuck run). */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}
		await delay(10);
	}
}

/** A clock the test moves forward (sandbox `now` option): skips the 60 s ticket lifetime in an instant. */
export class TestClock {
	private offsetMs = 0;
	readonly now = (): number => Date.now() + this.offsetMs;
	advance(ms: number): void {
		this.offsetMs += ms;
	}
}

export function apiCalls(sandbox: Sandbox, action: string): number {
	return sandbox.stats.apiCalls[action] ?? 0;
}

export function totalApiCalls(sandbox: Sandbox): number {
	return Object.values(sandbox.stats.apiCalls).reduce((sum, n) => sum + n, 0);
}

/** Fast back-off so retry tests take milliseconds, not seconds. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 } as const;

/** An IotClient on the sandbox with its own limiter (tests stay independent) and fast retries. */
export function sandboxClient(sandbox: Sandbox, overrides: Partial<IotClientOptions> = {}): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: sandbox.endpoint,
		credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret },
		timeoutMs: 3000,
		retry: FAST_RETRY,
		limiter: new RateLimiter(),
		...overrides,
	});
}

/** Firmware records as the sandbox persisted them (state.json), read straight from disk. */
export async function persistedState(dataDir: string): Promise<{
	objects: Record<string, { key: string; size: number; md5: string; registered: boolean }>;
	firmware: Array<{ firmwareId: string; firmwareName: string; objectKey: string }>;
}> {
	return JSON.parse(await fs.readFile(path.join(dataDir, 'state.json'), 'utf8')) as never;
}
