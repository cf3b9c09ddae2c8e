import path from 'node:path';
import type { IotClient } from '../../src/core/iotClient';
import type { BenchBundles } from './build';
import { fileDigests } from './files';
import type { SandboxProcess } from './sandboxProcess';

/** What every part of the bench shares: the bundles, the loopback sandbox and a warm API client on it. */
export interface BenchContext {
	bundles: BenchBundles;
	sandbox: SandboxProcess;
	/** The bench's own API client (warm after its first call): fetches curl's tickets. */
	client: IotClient;
	/** BENCH_* variables that point a measured child at the sandbox. */
	childEnv: NodeJS.ProcessEnv;
	cacheDir: string;
	scratch: string;
	/** Progress lines (stderr with --json). */
	say: (message: string) => void;
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws unless an upload reported the file's known MD5 and SHA-256. */
export async function checkDigests(file: string, reported: { md5?: string; sha256?: string }): Promise<void> {
	const expected = await fileDigests(file);
	if (reported.md5 !== expected.md5 || reported.sha256 !== expected.sha256) {
		throw new Error(
			`digests of ${path.basename(file)} differ: got ${reported.md5}/${reported.sha256}, expected ${expected.md5}/${expected.sha256}`,
		);
	}
}

/** What child-ours.ts prints. */
export interface OursRun {
	ms: number;
	ticketMs: number;
	uploadMs: number;
	afterMs: number;
	size: number;
	md5: string;
	sha256: string;
	loop?: { p99Ms: number; maxMs: number; meanMs: number };
}
