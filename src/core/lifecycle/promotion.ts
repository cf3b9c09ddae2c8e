// Promotion (ours; the platform has none): after a gray batch, the same package goes to every device, but only when
// the gray stage finished and met its success criteria. The new batch repeats the gray batch's settings; devices
// already on the target version are skipped by the platform (docs/protocols.md §11.6).
import type { LifecycleApi } from './client';
import { formatPercent } from '../format';
import { JobMonitor, type MonitorApi } from './monitor';
import type { CountSummary } from './monitorPlan';
import type { StaticJobRequest } from './requests';
import { createJob } from './rollout';
import type { JobRef, OtaJob } from './types';

export interface PromotionCriteria {
	/** Highest acceptable share (0–100) of failed among the gray stage's finished tasks. */
	maxFailurePercent: number;
	/** Fewest SUCCEEDED tasks the gray stage must have. */
	minSucceeded: number;
}

export const DEFAULT_PROMOTION_CRITERIA: Readonly<PromotionCriteria> = { maxFailurePercent: 0, minSucceeded: 1 };

export interface PromotionVerdict {
	ok: boolean;
	/** Why not, one sentence each; empty when ok. */
	reasons: string[];
	summary: CountSummary;
}

export function promotionVerdict(
	gray: Pick<OtaJob, 'jobId' | 'targetSelection' | 'jobStatus'>,
	summary: CountSummary,
	criteria: PromotionCriteria,
): PromotionVerdict {
	const reasons: string[] = [];
	if (gray.targetSelection !== 'GRAY') {
		reasons.push(`job ${gray.jobId} is not a gray batch (${gray.targetSelection ?? 'unknown target'}).`);
	}
	if (gray.jobStatus === 'CANCELED') {
		reasons.push(`job ${gray.jobId} was cancelled.`);
	}
	if (summary.unfinished > 0) {
		reasons.push(`the gray stage is still running: ${summary.unfinished} of ${summary.total} tasks have not finished.`);
	}
	const decided = summary.succeeded + summary.failed;
	const failurePercent = decided === 0 ? 0 : (summary.failed / decided) * 100;
	if (failurePercent > criteria.maxFailurePercent) {
		reasons.push(
			`${summary.failed} of ${decided} finished tasks failed (${formatPercent(failurePercent)} > ${formatPercent(criteria.maxFailurePercent)}).`,
		);
	}
	if (summary.succeeded < criteria.minSucceeded) {
		reasons.push(`only ${summary.succeeded} tasks succeeded; at least ${criteria.minSucceeded} are required.`);
	}
	return { ok: reasons.length === 0, reasons, summary };
}

/** The all-devices batch that follows `gray`, with its source versions and delivery settings. */
export function promotionRequest(gray: OtaJob): StaticJobRequest {
	return {
		firmwareId: gray.firmwareId ?? '',
		productKey: gray.productKey ?? '',
		target: { kind: 'all' },
		srcVersions: gray.srcVersions.length > 0 ? gray.srcVersions : undefined,
		timeoutInMinutes: gray.timeoutInMinutes,
		retryInterval: gray.retryInterval,
		retryCount: gray.retryCount,
		maximumPerMinute: gray.maximumPerMinute,
		overwriteMode: gray.overwriteMode === 2 ? 2 : undefined,
		multiModuleMode: gray.multiModuleMode,
		needPush: gray.needPush,
		needConfirm: gray.needConfirm,
		downloadProtocol: gray.downloadProtocol === 'MQTT' ? 'MQTT' : undefined,
		tags: gray.tags.length > 0 ? gray.tags : undefined,
	};
}

export type PromotionApi = MonitorApi & Pick<LifecycleApi, 'createStaticJob'>;

export type PromotionResult = { promoted: true; job: JobRef; verdict: PromotionVerdict } | { promoted: false; verdict: PromotionVerdict };

/** Reads the gray job's counts now; creates the all-devices batch only when the verdict is ok (never aborted once sent). */
export async function promote(
	api: PromotionApi,
	grayJobId: string,
	criteria: PromotionCriteria = DEFAULT_PROMOTION_CRITERIA,
	signal?: AbortSignal,
): Promise<PromotionResult> {
	const monitor = new JobMonitor(api, grayJobId, { signal });
	const { progress } = await monitor.refresh(true);
	const gray = monitor.job as OtaJob;
	const verdict = promotionVerdict(gray, progress.summary, criteria);
	if (!verdict.ok) {
		return { promoted: false, verdict };
	}
	const request = promotionRequest(gray);
	return { promoted: true, job: await createJob('CreateOTAStaticUpgradeJob', () => api.createStaticJob(request), signal), verdict };
}
