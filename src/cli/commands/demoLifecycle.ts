// The demo's second half: the registered package verified on three sandbox devices, a gray rollout to half of the
// fleet with one device made to fail, the guard's verdict, and promotion to every device. Fast time scale, offline.
import { IotClient } from '../../core/iotClient';
import {
	createJob,
	diagnosisLine,
	guardVerdict,
	LifecycleClient,
	promote,
	startVerification,
	watchJob,
	type GuardPolicy,
	type PromotionCriteria,
	type WatchResult,
} from '../../core/lifecycle';
import { printable } from '../../core/printable';
import type { Sandbox } from '../../sandbox';

/** Devices of the demo fleet and how much faster than real time its lifecycle runs. */
export const DEMO_FLEET = { devices: 20, timeScale: 600 };
const VERIFY_DEVICES = ['dev-00001', 'dev-00002', 'dev-00003'];
/** Inside the gray half (the platform takes the first eligible devices in the sandbox). */
const FAILING_DEVICE = 'dev-00006';
const GUARD: GuardPolicy = { failurePercent: 25, minFinished: 4 };
const PROMOTION: PromotionCriteria = { maxFailurePercent: 25, minSucceeded: 5 };
const INTERVAL = { minMs: 300, maxMs: 1000 };

export interface LifecycleDemoResult {
	verifyJobId: string;
	grayJobId: string;
	failingDevice: string;
	guard: string;
	promotedJobId?: string;
	promotionRefused?: string[];
}

function counts(result: WatchResult): string {
	const s = result.progress.summary;
	return `${s.succeeded} succeeded, ${s.failed} failed of ${s.total}`;
}

export async function runLifecycleDemo(
	sandbox: Sandbox,
	firmwareId: string,
	say: (text: string) => void,
	signal: AbortSignal,
): Promise<LifecycleDemoResult> {
	const iot = new IotClient({
		region: 'cn-shanghai',
		endpoint: sandbox.endpoint,
		credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret },
	});
	const api = new LifecycleClient(iot);
	const watch = (jobId: string, guard?: GuardPolicy): Promise<WatchResult> =>
		watchJob(api, jobId, {
			signal,
			guard,
			interval: INTERVAL,
			onTask: (change) =>
				change.diagnosis && say(printable(`   ✗ ${change.task.deviceName}: ${diagnosisLine(change.diagnosis)}`) + '\n'),
		});

	say(`6. CreateOTAVerifyJob on ${VERIFY_DEVICES.join(', ')} (a package must be verified before any batch)\n`);
	const { job: verifyJob } = await startVerification(api, { firmwareId, deviceNames: VERIFY_DEVICES, timeoutInMinutes: 30 }, signal);
	const verified = await watch(verifyJob.jobId);
	const status = (await api.queryFirmware(firmwareId, signal)).status;
	say(`   ✓ job ${verifyJob.jobId}: ${counts(verified)}; the package is now ${status === 1 ? 'verified' : `in status ${status}`}\n\n`);

	sandbox.ota.setDevices({ deviceNames: [FAILING_DEVICE] }, { behaviour: 'fail-flash' });
	say(
		`7. Gray rollout to 50 % of the fleet; ${FAILING_DEVICE} is made to fail writing its flash; the guard halts at ${GUARD.failurePercent} % failures\n`,
	);
	const gray = await createJob(
		'CreateOTAStaticUpgradeJob',
		() =>
			api.createStaticJob({
				firmwareId,
				productKey: sandbox.productKey,
				target: { kind: 'gray', percent: '50' },
				timeoutInMinutes: 30,
			}),
		signal,
	);
	const grayResult = await watch(gray.jobId, GUARD);
	say(`   job ${gray.jobId}: ${counts(grayResult)}\n\n`);

	const verdict = grayResult.halt?.verdict ?? guardVerdict(grayResult.progress.counts, GUARD);
	const guard = grayResult.outcome === 'halted' ? `halted: ${verdict.reason}` : `the rollout went on: ${verdict.reason}`;
	say(`8. The guard's verdict: ${guard}\n\n`);

	sandbox.ota.setDevices({ deviceNames: [FAILING_DEVICE] }, { behaviour: 'ok' });
	say(
		`9. Promotion to every device (needs the gray stage finished, ≤ ${PROMOTION.maxFailurePercent} % failed, ≥ ${PROMOTION.minSucceeded} succeeded); ${FAILING_DEVICE}'s flash is repaired\n`,
	);
	const promoted = await promote(api, gray.jobId, PROMOTION, signal);
	if (!promoted.promoted) {
		say(`   not promoted: ${promoted.verdict.reasons.join(' ')}\n\n`);
		return {
			verifyJobId: verifyJob.jobId,
			grayJobId: gray.jobId,
			failingDevice: FAILING_DEVICE,
			guard,
			promotionRefused: promoted.verdict.reasons,
		};
	}
	const all = await watch(promoted.job.jobId);
	say(`   ✓ job ${promoted.job.jobId} (ALL): ${counts(all)}; devices already on the version were skipped\n\n`);
	return { verifyJobId: verifyJob.jobId, grayJobId: gray.jobId, failingDevice: FAILING_DEVICE, guard, promotedJobId: promoted.job.jobId };
}
