// What a rollout would do, without doing it: the equivalent `aliyun iot …` command line of each planned call and the
// devices the batch would reach (read calls only, a bounded number of them).
import type { ConnectionSettings } from '../types';
import type { LifecycleApi } from './client';
import { grayDeviceCount } from './rules';
import type { PlannedCall, RolloutPlan } from './rollout';

const SAFE_SHELL_WORD = /^[A-Za-z0-9._:/@%+=,-]+$/;

export function shellQuote(value: string): string {
	return SAFE_SHELL_WORD.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `aliyun iot <Action> --region R [--IotInstanceId ID] --Param value …`; PostObject has no aliyun equivalent. */
export function aliyunCommandLine(call: PlannedCall, connection: Pick<ConnectionSettings, 'region' | 'iotInstanceId'>): string {
	if (call.action === 'PostObject') {
		return "# PostObject: the device list goes to the ticket's Host as a form upload (no aliyun CLI equivalent)";
	}
	const words = ['aliyun', 'iot', call.action, '--region', connection.region];
	if (connection.iotInstanceId) {
		words.push('--IotInstanceId', connection.iotInstanceId);
	}
	for (const [name, value] of Object.entries(call.params)) {
		words.push(`--${name}`, shellQuote(value));
	}
	return words.join(' ');
}

export interface TargetPreview {
	/** Devices the batch reaches when known exactly or by the platform's rule (gray). */
	count?: number;
	/** Devices of the product (or group) the count is taken from. */
	of?: number;
	/** Some of them, by name. */
	sample: string[];
	/** Named devices that do not exist in the product. */
	unknown: string[];
	/** Named devices already on the target version (default module): the platform skips them. */
	upToDate: string[];
	/** How the platform picks them, in one sentence. */
	note: string;
}

export type PreviewApi = Pick<LifecycleApi, 'queryDevices' | 'batchQueryDeviceDetail' | 'queryGroupDevices'>;

const SAMPLE = 20;
/** Named devices checked one by one (BatchQueryDeviceDetail, 100 per call) before the rest is only counted. */
const CHECKED_NAMES = 200;

async function checkNamed(api: PreviewApi, plan: RolloutPlan, names: readonly string[], signal?: AbortSignal): Promise<TargetPreview> {
	const productKey = plan.firmware.productKey ?? '';
	const checked = names.slice(0, CHECKED_NAMES);
	const found = new Map<string, string | undefined>();
	for (let i = 0; i < checked.length; i += 100) {
		for (const device of await api.batchQueryDeviceDetail(productKey, checked.slice(i, i + 100), signal)) {
			found.set(device.deviceName, device.firmwareVersion);
		}
	}
	const unknown = checked.filter((name) => !found.has(name));
	const onDefault = (plan.firmware.moduleName ?? 'default') === 'default';
	const upToDate = onDefault ? checked.filter((name) => found.get(name) === plan.firmware.destVersion) : [];
	const unchecked = names.length - checked.length;
	return {
		count: names.length - unknown.length - upToDate.length,
		sample: checked.filter((name) => found.has(name) && !upToDate.includes(name)).slice(0, SAMPLE),
		unknown,
		upToDate,
		note: unchecked > 0 ? `the named devices (${unchecked} beyond the first ${CHECKED_NAMES} were not checked)` : 'the named devices',
	};
}

function versionNote(plan: RolloutPlan): string {
	const versions = plan.spec.srcVersions;
	const module = plan.firmware.moduleName && plan.firmware.moduleName !== 'default' ? ` of module ${plan.firmware.moduleName}` : '';
	return versions?.length ? ` that report version ${versions.join(' or ')}${module}` : '';
}

/** The devices `plan` would reach, from at most a few read calls. */
export async function previewTargets(api: PreviewApi, plan: RolloutPlan, signal?: AbortSignal): Promise<TargetPreview> {
	const { target, dynamic } = plan.spec;
	const productKey = plan.firmware.productKey ?? '';
	const skipped = `; devices already on ${plan.firmware.destVersion} are skipped`;
	if (target.kind === 'devices' || target.kind === 'deviceList') {
		return checkNamed(api, plan, target.deviceNames, signal);
	}
	if (target.kind === 'group') {
		const page = await api.queryGroupDevices({ groupId: target.groupId, pageSize: 50 }, signal);
		const later = dynamic ? ', now and whenever one joins' : '';
		return {
			count: page.total,
			of: page.total,
			sample: page.items.slice(0, SAMPLE).map((d) => d.deviceName),
			unknown: [],
			upToDate: [],
			note: `every device of group ${target.groupId}${later}${skipped}`,
		};
	}
	const page = await api.queryDevices({ productKey, pageSize: 50 }, signal);
	const sample = page.items.slice(0, SAMPLE).map((d) => d.deviceName);
	if (target.kind === 'gray') {
		const count = grayDeviceCount(page.total, target.percent);
		return {
			count,
			of: page.total,
			sample: [],
			unknown: [],
			upToDate: [],
			note: `${target.percent} % of the ${page.total} devices of ${productKey}${versionNote(plan)}, rounded down (at least 1), chosen by the platform${skipped}`,
		};
	}
	const filtered = (plan.spec.srcVersions?.length ?? 0) > 0;
	return {
		count: filtered ? undefined : page.total,
		of: page.total,
		sample: filtered ? [] : sample,
		unknown: [],
		upToDate: [],
		note: `every device of ${productKey}${versionNote(plan)}${dynamic ? ', now and whenever one reports a matching version' : ''}${skipped}`,
	};
}
