// Shared by the bad-input suites (badInput*.test.ts): every case goes through the CLI (`iot-ota upload … --json`) and
// is refused with ONE message, pinned word for word (message + hint as the JSON shows it), the documented exit code,
// and — for local mistakes — before any network call. Most cases run the CLI's entry point in this process (same
// argument parsing, output and exit-code mapping; spawning ~50 processes would cost ~15 s of CPU); the cases that depend
// on the process itself (another uid, stderr warnings, exit status) spawn the CLI bundle built for the suite.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, before } from 'node:test';
import { runCli as runCliInProcess } from '../../../src/cli/main';
import type { Sandbox } from '../../../src/sandbox';
import { parseJsonOutput, runCli, type CliRun } from '../cli/cliHarness';
import { installTripwire } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

export interface Expected {
	exit: number;
	code: string;
	/** Exact JSON message: the error message, a space, then the hint. */
	message: string;
	requestId?: boolean;
	/** Local mistakes must fail before anything is sent. */
	offline?: boolean;
}

export type Refusal = CliRun & { hits?: number };

/**
 * An endpoint that must never be reached: local mistakes are pointed at it, and any request it sees fails
 * that test alone (so the cases can run concurrently and one regression does not cascade).
 */
export async function untouchedEndpoint(): Promise<{ endpoint: string; hits: () => number; close: () => Promise<void> }> {
	let hits = 0;
	const server = createHttpServer((_req, res) => {
		hits++;
		res.writeHead(500).end('this endpoint must not be called');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits: () => hits,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export const OFFLINE_CREDS = {
	ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tOfflineCheckKey',
	ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'OfflineCheckSecret0123456789',
};

/** The CLI's answer is exactly one JSON error object with the expected exit code, code, message and RequestId. */
export async function expectRefused(
	result: Refusal | Promise<Refusal>,
	expected: Expected,
): Promise<{ code: string; message: string; requestId?: string }> {
	const outcome: Refusal = await result;
	assert.equal(outcome.code, expected.exit, `exit code; stdout=${outcome.stdout} stderr=${outcome.stderr}`);
	const body = parseJsonOutput(outcome) as { error: { code: string; message: string; requestId?: string } };
	assert.deepEqual(Object.keys(body), ['error']);
	assert.equal(body.error.code, expected.code);
	assert.equal(body.error.message, expected.message);
	if (expected.requestId) {
		assert.match(body.error.requestId ?? '', /^[0-9A-F-]{36}$/, 'no RequestId');
	} else {
		assert.equal(body.error.requestId, undefined);
	}
	if (expected.offline) {
		assert.equal(outcome.hits, 0, 'a request was sent for a local mistake');
	}
	return body.error;
}

/**
 * Registers a bad-input suite's hooks (call it inside `describe`): its temp folder and sandbox (and, with `cli: true`,
 * the CLI bundle for the spawned cases), a 4 KiB firmware file `fw.bin`, the tripwire checked after every test; returns
 * the ways to run the CLI. `firmware` can be read once the suite's `before` hooks have run.
 */
export function useBadInputSuite(prefix: string, options: { cli?: boolean } = {}) {
	const suite = useSandboxSuite(prefix, { sandbox: { qps: 1000 }, cli: options.cli });
	const tripwire = installTripwire();
	let firmware: string | undefined;
	before(() => {
		firmware = path.join(suite.work, 'fw.bin');
		writeFileSync(firmware, Buffer.alloc(4096, 7));
	});
	afterEach(() => tripwire.assertClean());

	const creds = (target: Sandbox = suite.sandbox): NodeJS.ProcessEnv => ({
		ALIBABA_CLOUD_ACCESS_KEY_ID: target.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: target.accessKeySecret,
	});
	const file = (name: string): string => path.join(suite.work, name);
	/** `iot-ota <args>` as a spawned process (the CLI bundle), with the sandbox's endpoint unless `args` name one. */
	const run = (args: string[]): Promise<CliRun> =>
		runCli(suite.cli.cliPath, [...args, ...(args.includes('--endpoint') ? [] : ['--endpoint', suite.sandbox.endpoint]), '--json'], {
			env: suite.cliEnv(),
			cwd: suite.work,
		});
	/** `iot-ota <args>` through the CLI's entry point in this process, with its own env (no aliyun profile of the machine). */
	async function inProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
		let stdout = '';
		let stderr = '';
		const code = await runCliInProcess(args, {
			env: { HOME: path.join(suite.work, 'home'), ALIBABA_CLOUD_IGNORE_PROFILE: 'TRUE', ...env },
			stdout: { write: (chunk: string) => (stdout += chunk) },
			stderr: { write: (chunk: string) => (stderr += chunk) },
			signal: new AbortController().signal,
			cwd: suite.work,
		});
		return { code, signal: null, stdout, stderr };
	}
	const runNet = (args: string[], env: NodeJS.ProcessEnv = creds(), target: Sandbox = suite.sandbox): Promise<CliRun> =>
		inProcess([...args, '--endpoint', target.endpoint, '--json'], env);

	/** A local mistake: the CLI gets an endpoint (and proxy) that must stay untouched. */
	async function runOffline(args: string[], env: NodeJS.ProcessEnv = OFFLINE_CREDS): Promise<CliRun & { hits: number }> {
		const guard = await untouchedEndpoint();
		try {
			const result = await inProcess([...args, '--endpoint', guard.endpoint, '--json'], {
				HTTPS_PROXY: guard.endpoint,
				HTTP_PROXY: guard.endpoint,
				...env,
			});
			return { ...result, hits: guard.hits() };
		} finally {
			await guard.close();
		}
	}

	return {
		suite,
		get firmware(): string {
			assert.ok(firmware, 'the firmware file is made in before(): read it inside a test or a hook');
			return firmware;
		},
		creds,
		file,
		run,
		inProcess,
		runNet,
		runOffline,
	};
}
