// The answers of Roll Out… so far, and the core RolloutSpec they make. Pure (no vscode): a step checks its answer by
// building the spec with it and running the core's checkRolloutSpec, so no rule is repeated here.
import type { FirmwareDetail, GuardPolicy, RolloutPlan, RolloutSpec, RolloutTarget } from '../../../core/lifecycle';
import { LIFECYCLE_LIMITS } from '../../../core/lifecycle/rules';

/** `dynamic`: every device on the source versions, now and whenever one reports them. */
export type TargetChoice = 'all' | 'dynamic' | 'gray' | 'devices' | 'group';

export interface ChosenGroup {
	groupId: string;
	groupName: string;
	/** A dynamic group makes a dynamic batch. */
	dynamic: boolean;
}

export interface RolloutDraft {
	firmware: FirmwareDetail;
	target: TargetChoice;
	grayPercent: string;
	deviceNames: string[];
	group?: ChosenGroup;
	srcVersions: string[];
	scheduleTime?: number;
	scheduleFinishTime?: number;
	retry?: { retryInterval: number; retryCount: number };
	timeoutInMinutes?: number;
	maximumPerMinute?: number;
	needConfirm: boolean;
	overwrite: boolean;
	/** The halt guard as typed ("PCT[:N]"), empty for none; guard holds it parsed. */
	haltAt: string;
	guard?: GuardPolicy;
	/** The summary step's plan: exactly what Start sends. */
	plan?: RolloutPlan;
}

export function newDraft(firmware: FirmwareDetail): RolloutDraft {
	return {
		firmware,
		target: 'gray',
		grayPercent: '',
		deviceNames: [],
		srcVersions: [],
		needConfirm: false,
		overwrite: false,
		haltAt: '',
	};
}

export function isDynamic(draft: Pick<RolloutDraft, 'target' | 'group'>): boolean {
	return draft.target === 'dynamic' || (draft.target === 'group' && draft.group?.dynamic === true);
}

/** Source versions narrow all-device, gray and dynamic batches; chosen devices and groups are named outright. */
export function takesSourceVersions(draft: Pick<RolloutDraft, 'target'>): boolean {
	return draft.target === 'all' || draft.target === 'gray' || draft.target === 'dynamic';
}

function targetOf(draft: RolloutDraft): RolloutTarget {
	switch (draft.target) {
		case 'gray':
			return { kind: 'gray', percent: draft.grayPercent };
		case 'devices':
			// More names than TargetDeviceName takes go up as a device list file (GenerateDeviceNameListURL).
			return draft.deviceNames.length > LIFECYCLE_LIMITS.specificDevices
				? { kind: 'deviceList', deviceNames: draft.deviceNames }
				: { kind: 'devices', deviceNames: draft.deviceNames };
		case 'group':
			return { kind: 'group', groupId: draft.group?.groupId ?? '' };
		default:
			return { kind: 'all' };
	}
}

/** The spec of the answers that apply to the chosen target (a stale answer of another target is left out). */
export function specOf(draft: RolloutDraft): RolloutSpec {
	const dynamic = isDynamic(draft);
	return {
		firmwareId: draft.firmware.firmwareId,
		target: targetOf(draft),
		dynamic: dynamic || undefined,
		srcVersions: takesSourceVersions(draft) && draft.srcVersions.length > 0 ? draft.srcVersions : undefined,
		scheduleTime: dynamic ? undefined : draft.scheduleTime,
		scheduleFinishTime: dynamic ? undefined : draft.scheduleFinishTime,
		retryInterval: draft.retry?.retryInterval,
		retryCount: draft.retry?.retryCount,
		timeoutInMinutes: draft.timeoutInMinutes,
		maximumPerMinute: draft.maximumPerMinute,
		needConfirm: draft.needConfirm || undefined,
		overwriteMode: draft.overwrite ? 2 : undefined,
	};
}
