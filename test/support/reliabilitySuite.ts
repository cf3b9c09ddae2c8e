// The set-up the reliability suites (test/unit/reliability) share: a temp folder with the suite's sandbox in it (and,
// when asked, the CLI built for the suite and a fresh folder per test), each test starting with no fault rule and
// zeroed statistics, a stop bounded by a deadline; the CLI's environment and its upload-and-register argument list.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';
import { buildCli, cleanEnv } from '../unit/cli/cliHarness';
import { removeDir, tempDir, withDeadline } from './reliability';

export type BuiltCli = Awaited<ReturnType<typeof buildCli>>;

export interface SandboxSuite {
	/** The suite's temp folder: the sandbox's data dir, the CLI's HOME and the case folders are inside it. */
	readonly work: string;
	readonly sandbox: Sandbox;
	/** The CLI bundle built for this suite (only with `cli: true`). */
	readonly cli: BuiltCli;
	/** The running test's own fresh folder `case-<n>-…` inside `work` (only with `caseDir: true`). */
	readonly caseDir: string;
	/** The CLI's environment: a private HOME inside `work`, the sandbox's AccessKey, then `extra`. */
	cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

/**
 * Registers the suite's hooks (call it inside `describe`): before the suite, a temp folder named `prefix…`, the sandbox
 * (`options.sandbox`, data dir inside the folder) and, with `cli: true`, the CLI; before each test, the sandbox's fault
 * rules cleared, its statistics reset and, with `caseDir: true`, a new case folder; after the suite, the sandbox stopped
 * (a stop that hangs fails within 10 s), the CLI and the folder removed. The values can be read once the suite's
 * `before` hooks have run (a hook registered after this call, or a test).
 */
export function useSandboxSuite(
	prefix: string,
	options: { sandbox?: Omit<SandboxOptions, 'dataDir'>; cli?: boolean; caseDir?: boolean } = {},
): SandboxSuite {
	const state: { work?: string; sandbox?: Sandbox; cli?: BuiltCli; caseDir?: string } = {};
	let cases = 0;
	const started = <T>(value: T | undefined, what: string): T => {
		if (value === undefined) {
			throw new Error(`${what} is not available here: read it inside a test or a hook`);
		}
		return value;
	};

	before(async () => {
		const work = tempDir(prefix);
		state.work = work;
		// Both settle before the hook does, so after() cleans up whatever started when the other one failed.
		const results = await Promise.allSettled([
			startSandbox({ ...options.sandbox, dataDir: path.join(work, 'sandbox') }).then((sandbox) => (state.sandbox = sandbox)),
			options.cli ? buildCli().then((cli) => (state.cli = cli)) : undefined,
		]);
		const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failed) {
			throw failed.reason;
		}
	});

	beforeEach(() => {
		const sandbox = started(state.sandbox, 'the sandbox');
		sandbox.faults.clear();
		sandbox.stats.reset();
		if (options.caseDir) {
			state.caseDir = mkdtempSync(path.join(started(state.work, 'the suite folder'), `case-${++cases}-`));
		}
	});

	after(async () => {
		try {
			await withDeadline(state.sandbox?.stop() ?? Promise.resolve(), 10_000, 'sandbox.stop()');
		} finally {
			state.cli?.dispose();
			removeDir(state.work);
		}
	});

	return {
		get work() {
			return started(state.work, 'the suite folder');
		},
		get sandbox() {
			return started(state.sandbox, 'the sandbox');
		},
		get cli() {
			return started(state.cli, 'the CLI (built with cli: true only)');
		},
		get caseDir() {
			return started(state.caseDir, 'the case folder (made with caseDir: true only)');
		},
		cliEnv(extra = {}) {
			const sandbox = started(state.sandbox, 'the sandbox');
			return cleanEnv(path.join(started(state.work, 'the suite folder'), 'home'), {
				ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
				...extra,
			});
		},
	};
}

/**
 * The CLI's upload-and-register call against the sandbox, flags in this order:
 * `upload <file> --endpoint … [--json] --create --product-key … --dest-version … [--name …] [--insert …]`.
 */
export function uploadCreateArgs(
	sandbox: Pick<Sandbox, 'endpoint' | 'productKey'>,
	file: string,
	opts: { json?: boolean; destVersion?: string; name?: string; insert?: string } = {},
): string[] {
	return [
		'upload',
		file,
		'--endpoint',
		sandbox.endpoint,
		...(opts.json ? ['--json'] : []),
		'--create',
		'--product-key',
		sandbox.productKey,
		'--dest-version',
		opts.destVersion ?? '1.0.0',
		...(opts.name === undefined ? [] : ['--name', opts.name]),
		...(opts.insert === undefined ? [] : ['--insert', opts.insert]),
	];
}
