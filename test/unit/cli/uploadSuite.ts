// The set-up the `iot-ota upload` suites (upload*.test.ts) share: the CLI bundle and a sandbox in a temp folder
// (test/support/reliabilitySuite.ts), a random 300 KB app.bin in it, and the calls and checks every suite makes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';
import type { SandboxOptions } from '../../../src/sandbox';
import { useSandboxSuite, type SandboxSuite } from '../../support/reliabilitySuite';
import { runCli, type CliRun } from './cliHarness';

export interface UploadSuite extends Pick<SandboxSuite, 'work' | 'sandbox' | 'cli'> {
	/** The bytes of app.bin (random; 300 KB + 7 bytes unless the suite asks for another size). */
	readonly firmware: Buffer;
	readonly firmwarePath: string;
	/** The CLI's environment: a private HOME and the sandbox's AccessKey. */
	env(): NodeJS.ProcessEnv;
	/** `iot-ota upload app.bin --endpoint <sandbox> …args`, in the suite's folder. */
	upload(...args: string[]): Promise<CliRun>;
	/** Neither stdout nor stderr holds the AccessKey secret. */
	assertNoSecret(run: CliRun): void;
	/** The platform refuses the next CreateOTAFirmware (a registration that fails after its upload succeeded). */
	refuseNextRegistration(): void;
}

/**
 * Registers the suite's hooks (call it inside `describe`); the values can be read in a test or a later hook. `sandbox`:
 * options of the suite's sandbox (a clock, say); `firmwareSize`: the size of app.bin.
 */
export function useUploadSuite(prefix: string, sandbox?: Omit<SandboxOptions, 'dataDir'>, firmwareSize = 300 * 1024 + 7): UploadSuite {
	const suite = useSandboxSuite(prefix, { cli: true, sandbox });
	const state: { firmware?: Buffer } = {};
	const firmwarePath = () => path.join(suite.work, 'app.bin');

	before(() => {
		state.firmware = randomBytes(firmwareSize);
		writeFileSync(firmwarePath(), state.firmware);
	});

	return {
		get work() {
			return suite.work;
		},
		get sandbox() {
			return suite.sandbox;
		},
		get cli() {
			return suite.cli;
		},
		get firmware() {
			if (!state.firmware) {
				throw new Error('app.bin is not written yet: read it inside a test or a hook');
			}
			return state.firmware;
		},
		get firmwarePath() {
			return firmwarePath();
		},
		env: () => suite.cliEnv(),
		upload: (...args) =>
			runCli(suite.cli.cliPath, ['upload', firmwarePath(), '--endpoint', suite.sandbox.endpoint, ...args], {
				env: suite.cliEnv(),
				cwd: suite.work,
			}),
		assertNoSecret: (run) => {
			assert.equal(run.stdout.includes(suite.sandbox.accessKeySecret), false, 'secret on stdout');
			assert.equal(run.stderr.includes(suite.sandbox.accessKeySecret), false, 'secret on stderr');
		},
		refuseNextRegistration: () =>
			suite.sandbox.faults.add({
				target: 'api',
				action: 'CreateOTAFirmware',
				kind: 'status',
				status: 400,
				code: 'iot.system.IllegalRequest',
			}),
	};
}

export const hex = (bytes: Buffer, algorithm: 'md5' | 'sha256'): string => createHash(algorithm).update(bytes).digest('hex');
