// A batch of named devices the platform would refuse, or one that would upgrade no device, is refused before anything
// is created: by the real run (startRollout) and by its dry run alike, with one message (docs/protocols.md §12.5).
import { isCancelled, OtaError, toOtaError } from '../errors';
import type { Logger } from '../logger';
import { previewNamed, type PreviewApi, type TargetPreview } from './preview';
import type { RolloutPlan } from './rollout';

/** The reasons (MessageReason codes) of a batch refused for the devices it names; the extension words them. */
export const REACH_REASONS = ['devices-not-in-product', 'devices-reach-none'] as const;

type ReachReason = (typeof REACH_REASONS)[number];

/** Names shown in a message; the rest are counted. */
const SHOWN_NAMES = 20;

function namesText(names: readonly string[]): string {
	const more = names.length - SHOWN_NAMES;
	return more > 0 ? `${names.slice(0, SHOWN_NAMES).join(', ')}, … (${more} more)` : names.join(', ');
}

const refused = (code: string, message: string, hint: string, reason: ReachReason, values: Record<string, string | number>): OtaError =>
	new OtaError({ code, source: 'validation', message, hint, reason: { code: reason, values } });

/**
 * Refuses (OtaError(validation)) a batch of named devices (--devices, --device-file) that `preview` shows would fail or
 * do nothing: a TargetDeviceName the product does not have (the platform refuses the whole call with
 * iot.device.NotExistedDevice, docs/protocols.md §11.9 row 2; a device list file's unknown names are skipped instead),
 * or no device left to upgrade. Other targets are the platform's to count.
 */
export function refuseUnreachable(plan: RolloutPlan, preview: TargetPreview): void {
	const { target } = plan.spec;
	if (target.kind !== 'devices' && target.kind !== 'deviceList') {
		return;
	}
	const productKey = plan.firmware.productKey ?? '';
	if (target.kind === 'devices' && preview.unknown.length > 0) {
		const devices = namesText(preview.unknown);
		throw refused(
			'iot.device.NotExistedDevice',
			`Not in product ${productKey}: ${devices}. Nothing was created.`,
			'Check the device names (they must be devices of the package’s product in this region and instance), or leave them out.',
			'devices-not-in-product',
			{ productKey, devices },
		);
	}
	if (preview.count === 0) {
		const { destVersion } = plan.firmware;
		const unknown = preview.unknown.length;
		const upToDate = preview.upToDate.length;
		throw refused(
			'NoDeviceReached',
			`The batch would upgrade no device: of the devices named, ${unknown} are not in product ${productKey} and ${upToDate} are already on ${destVersion}. Nothing was created.`,
			'Name devices of the product that are not on this version yet.',
			'devices-reach-none',
			{ productKey, destVersion, unknown, upToDate },
		);
	}
}

/**
 * The real run's check of a batch of named devices (startRollout): looked up (previewNamed) and refused as its dry run
 * refuses them. A lookup that itself fails (no permission for BatchQueryDeviceDetail, the network) is logged and the
 * batch goes on, the platform judging the names as before (as the upload's check of its target, docs/protocols.md
 * §12.5, §13.8); the dry run fails with it, its preview being that lookup.
 */
export async function checkNamedReach(
	api: Pick<PreviewApi, 'batchQueryDeviceDetail'>,
	plan: RolloutPlan,
	hooks: { signal?: AbortSignal; logger?: Pick<Logger, 'warn'> } = {},
): Promise<void> {
	const { target } = plan.spec;
	if (target.kind !== 'devices' && target.kind !== 'deviceList') {
		return;
	}
	let preview: TargetPreview;
	try {
		preview = await previewNamed(api, plan, target.deviceNames, hooks.signal);
	} catch (error) {
		const failure = toOtaError(error);
		if (isCancelled(failure)) {
			throw failure;
		}
		hooks.logger?.warn(
			`Looking up the named devices failed (continuing; the platform judges them): ${failure.message} (${failure.code})`,
		);
		return;
	}
	refuseUnreachable(plan, preview);
}
