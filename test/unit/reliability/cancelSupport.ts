// Shared by the cancel suites (cancelFlow, cancelCli): the sandbox (its CLI built, a fresh folder per test), a client
// of it, a firmware and a JSONC config per case, and the checks that a cancelled run did nothing and ended Cancelled.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { IotClient } from '../../../src/core/iotClient';
import type { Sandbox } from '../../../src/sandbox';
import { installTripwire, leftoverTempFiles, sandboxClient } from '../../support/reliability';
import { useSandboxSuite, type SandboxSuite } from '../../support/reliabilitySuite';

export const ORIGINAL_CONFIG = '{\n  // kept as is when cancelled\n  "ota": { "url": "" }\n}\n';

export interface CancelSuite {
	readonly suite: SandboxSuite;
	readonly sandbox: Sandbox;
	readonly client: IotClient;
	/** A firmware (2 MiB) and a JSONC config in the test's fresh folder. */
	fixture(name: string): { firmware: string; config: string };
	/** The FirmwareIds registered under `name`. */
	registered(name: string): Promise<string[]>;
	/** Nothing registered, nothing inserted, no temp file — checked once every request of the run was answered. */
	assertNothingDone(name: string, config: string): Promise<void>;
	assertCancelled(error: unknown): void;
}

/** Registers the suite's hooks (call it inside `describe`); `sandbox` and `client` can be read once `before` ran. */
export function useCancelSuite(prefix: string): CancelSuite {
	const tripwire = installTripwire();
	const suite = useSandboxSuite(prefix, { sandbox: { qps: 1000 }, cli: true, caseDir: true });
	let client: IotClient | undefined;

	before(() => {
		client = sandboxClient(suite.sandbox);
	});

	afterEach(() => tripwire.assertClean());

	const started = (): IotClient => {
		if (!client) {
			throw new Error('the suite has not started: read it inside a test or a later hook');
		}
		return client;
	};

	async function registered(name: string): Promise<string[]> {
		const page = await started().listOtaFirmware({ pageSize: 100 });
		return page.items.filter((f) => f.firmwareName === name).map((f) => f.firmwareId);
	}

	return {
		suite,
		get sandbox() {
			return suite.sandbox;
		},
		get client() {
			return started();
		},
		fixture(name) {
			const firmware = path.join(suite.caseDir, `${name}.bin`);
			writeFileSync(firmware, randomBytes(2 * 1024 * 1024));
			const config = path.join(suite.caseDir, 'device.jsonc');
			writeFileSync(config, ORIGINAL_CONFIG);
			return { firmware, config };
		},
		registered,
		async assertNothingDone(name, config) {
			assert.deepEqual(await registered(name), [], 'cancelled, but the firmware stayed registered');
			assert.equal(readFileSync(config, 'utf8'), ORIGINAL_CONFIG, 'cancelled, but the config file was changed');
			assert.deepEqual(leftoverTempFiles(suite.caseDir), [], 'temp file left next to the config');
			// A state write the run caused (its ticket) may still be renaming its temp file: what is left once it settled counts.
			await suite.sandbox.uploadsSettled();
			assert.deepEqual(leftoverTempFiles(suite.sandbox.dataDir), [], 'temp file left in the sandbox data dir');
		},
		assertCancelled(error) {
			assert.ok(error instanceof OtaError, `expected a cancellation, got ${String(error)}`);
			assert.equal(error.code, 'Cancelled');
		},
	};
}
