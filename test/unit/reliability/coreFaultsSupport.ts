// Shared by the core fault suites (coreFaultsOss, coreFaultsApi): uploadFirmware + IotClient against the local
// sandbox on 127.0.0.1, a controllable sandbox clock, a ticket source that records every ticket, and the check that a
// fault ends in ONE OtaError carrying the RequestId.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import type { FirmwareSuffix, TicketSource, UploadTicket } from '../../../src/core/types';
import { uploadFirmware } from '../../../src/core/uploader';
import type { Sandbox } from '../../../src/sandbox';
import { apiCalls, FAST_RETRY, installTripwire, sandboxClient, sandboxTmp, TestClock } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

/** Wraps the client to see every ticket it hands to the uploader. */
export class RecordingTickets implements TicketSource {
	readonly keys: string[] = [];
	constructor(
		private readonly inner: TicketSource,
		private readonly tweak: (ticket: UploadTicket, index: number) => UploadTicket = (t) => t,
	) {}
	async generateOtaUploadUrl(suffix: FirmwareSuffix, signal?: AbortSignal): Promise<UploadTicket> {
		const ticket = this.tweak(await this.inner.generateOtaUploadUrl(suffix, signal), this.keys.length);
		this.keys.push(ticket.key);
		return ticket;
	}
}

/**
 * Registers a core fault suite's hooks (call it inside `describe`): the sandbox on a test clock, a client through one
 * limiter, a 256 KiB firmware and a 16 KiB one; after every test, no unhandled rejection and no partial upload left
 * in the sandbox's tmp/ folder. `sandbox`, `client` and the firmware paths can be read once the `before` hooks ran.
 */
export function useCoreFaultSuite(prefix: string) {
	const tripwire = installTripwire();
	const clock = new TestClock();
	const limiter = new RateLimiter();
	const firmwareBytes = randomBytes(256 * 1024);
	const firmwareMd5 = createHash('md5').update(firmwareBytes).digest('hex');
	// The account QPS limit is raised here: its own test (concurrency.test.ts) covers it; here only injected throttling counts.
	const suite = useSandboxSuite(prefix, { sandbox: { now: clock.now, qps: 1000 } });
	let sandbox: Sandbox;
	let client: IotClient;
	let firmware: string;
	/** 16 KiB: the whole form fits in the socket buffers, so an early OSS answer never races the body. */
	let smallFirmware: string;

	const tickets = () => apiCalls(sandbox, 'GenerateOTAUploadURL');
	const upload = (source: TicketSource = client, opts: Parameters<typeof uploadFirmware>[2] = {}) =>
		uploadFirmware(source, firmware, { retry: FAST_RETRY, timeoutMs: 3000, ...opts });

	/** The one error the caller sees: an OtaError with this code, a RequestId when given, and the exact message start. */
	async function failsOnce(promise: Promise<unknown>, code: string, message: RegExp, requestId?: RegExp): Promise<OtaError> {
		let caught: unknown;
		await assert.rejects(promise, (error: unknown) => {
			caught = error;
			return true;
		});
		assert.ok(caught instanceof OtaError, `not an OtaError: ${String(caught)}`);
		assert.equal(caught.code, code, caught.message);
		assert.match(caught.message, message);
		if (requestId) {
			assert.match(caught.requestId ?? '', requestId, 'the RequestId is missing');
			assert.match(caught.describe(), new RegExp(`RequestId: ${caught.requestId}`));
		}
		return caught;
	}

	before(() => {
		({ sandbox } = suite);
		client = sandboxClient(sandbox, { limiter });
		firmware = path.join(suite.work, 'fw.bin');
		writeFileSync(firmware, firmwareBytes);
		smallFirmware = path.join(suite.work, 'small.bin');
		writeFileSync(smallFirmware, firmwareBytes.subarray(0, 16 * 1024));
	});

	afterEach(async () => {
		await tripwire.assertClean();
		// The client can report a reset before the sandbox has finished removing that attempt's temporary file.
		await sandbox.uploadsSettled();
		assert.deepEqual(sandboxTmp(sandbox), [], 'a partial upload was left in the sandbox tmp/ folder');
	});

	return {
		clock,
		limiter,
		firmwareMd5,
		get sandbox() {
			return sandbox;
		},
		get client() {
			return client;
		},
		get smallFirmware() {
			return smallFirmware;
		},
		tickets,
		upload,
		failsOnce,
	};
}
