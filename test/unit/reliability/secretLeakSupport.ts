// Shared by the secret leak audits (secretLeakCli, secretLeakCore): unique marker credentials, a sandbox that signs
// with the marker secret and issues the marker STS key (written in its identity.json as the sandbox would), a project
// folder with a firmware and two config files, a private HOME, and the check that a search found no marker.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli } from '../cli/cliHarness';
import { installTripwire, removeDir, scanFiles, tempDir, withDeadline, type LeakHit } from '../../support/reliability';

const hex = (n: number): string => randomBytes(n).toString('hex');

// Unique per run, so a hit can only come from this run.
export const MARKER = {
	secret: `MkSecret${hex(12)}`,
	stsSecret: `MkStsSecret${hex(10)}`,
	// Tokens carry '/', '+' and '=' like real STS tokens: every encoder gets exercised.
	token: `CAISMkToken/${hex(16)}+${hex(8)}==`,
	wrongSecret: `MkWrong${hex(12)}`,
	wrongToken: `CAISMkWrongTok/${hex(12)}+=`,
	urlPassword: `MkUrlPass${hex(8)}`,
};
export const ALL_MARKERS = Object.values(MARKER);

export function assertNoLeak(hits: LeakHit[], where: string): void {
	assert.deepEqual(
		hits.map((h) => `${h.where}: ${h.needle} as ${h.form}`),
		[],
		`secret found in ${where}`,
	);
}

/**
 * The files the audited runs may have left: HOME and the project folder (config files, caches, anything) hold no marker;
 * the sandbox's data dir holds the STS key it issued only in its own identity.json, and nothing else anywhere (the
 * client's main secret is only ever sent as a signature).
 */
export function assertNoLeakInFiles({
	home,
	project,
	sandbox,
}: Pick<LeakSuite, 'home' | 'project'> & { sandbox: Pick<Sandbox, 'dataDir'> }): void {
	assertNoLeak(scanFiles(home, ALL_MARKERS), 'HOME');
	assertNoLeak(scanFiles(project, ALL_MARKERS), 'the project folder');
	assertNoLeak(
		scanFiles(sandbox.dataDir, [MARKER.secret, MARKER.wrongSecret, MARKER.wrongToken, MARKER.urlPassword]),
		'the sandbox data dir',
	);
	assertNoLeak(
		scanFiles(sandbox.dataDir, [MARKER.stsSecret, MARKER.token], (f) => path.basename(f) === 'identity.json'),
		'the sandbox data dir (outside identity.json)',
	);
}

export interface LeakSuite {
	readonly work: string;
	readonly home: string;
	/** The CLI's working folder: fw.bin (64 KiB), device.jsonc and app.yaml with an empty `ota.url`. */
	readonly project: string;
	readonly sandbox: Sandbox;
	/** The CLI bundle built for this suite (only with `cli: true`). */
	readonly cli: Awaited<ReturnType<typeof buildCli>>;
}

/**
 * Registers an audit's hooks (call it inside `describe`): the folders, the sandbox and (with `cli: true`) the CLI
 * before the suite, no unhandled rejection after every test, everything stopped and removed after the suite.
 * The values can be read once the suite's `before` hooks have run.
 */
export function useLeakSuite(prefix: string, { cli: withCli = false } = {}): LeakSuite {
	const tripwire = installTripwire();
	const state: Partial<{ -readonly [K in keyof LeakSuite]: LeakSuite[K] }> = {};

	before(async () => {
		const work = tempDir(prefix);
		const home = path.join(work, 'home');
		const project = path.join(work, 'project');
		Object.assign(state, { work, home, project });
		mkdirSync(home);
		mkdirSync(project);
		const dataDir = path.join(work, 'sandbox');
		mkdirSync(dataDir);
		// The sandbox's identity file, written as the sandbox would: it issues the marker STS key.
		writeFileSync(
			path.join(dataDir, 'identity.json'),
			JSON.stringify({
				accessKeySecret: `unused${hex(8)}`,
				stsSecret: MARKER.stsSecret,
				stsToken: MARKER.token,
				ossSecret: `Oss${hex(10)}`,
			}),
		);
		[state.cli, state.sandbox] = await Promise.all([
			withCli ? buildCli() : undefined,
			startSandbox({ dataDir, accessKeySecret: MARKER.secret, qps: 1000 }),
		]);
		assert.equal(
			state.sandbox.sts.securityToken,
			MARKER.token,
			'the sandbox did not adopt the marker STS identity (identity.json format changed?)',
		);
		writeFileSync(path.join(project, 'fw.bin'), randomBytes(64 * 1024));
		writeFileSync(path.join(project, 'device.jsonc'), '{\n  // OTA settings\n  "ota": { "url": "" }\n}\n');
		writeFileSync(path.join(project, 'app.yaml'), 'ota:\n  url: ""\n');
	});

	afterEach(() => tripwire.assertClean());

	after(async () => {
		await withDeadline(state.sandbox?.stop() ?? Promise.resolve(), 10_000, 'sandbox.stop()');
		state.cli?.dispose();
		removeDir(state.work);
	});

	const started = <K extends keyof LeakSuite>(key: K): LeakSuite[K] => {
		const value = state[key];
		if (value === undefined) {
			throw new Error(`the suite has no ${key}: read it inside a test or a later hook${key === 'cli' ? ' (cli: true)' : ''}`);
		}
		return value as LeakSuite[K];
	};
	return {
		get work() {
			return started('work');
		},
		get home() {
			return started('home');
		},
		get project() {
			return started('project');
		},
		get sandbox() {
			return started('sandbox');
		},
		get cli() {
			return started('cli');
		},
	};
}
