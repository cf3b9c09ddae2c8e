// What a rollout would do, without doing it: the equivalent `aliyun iot …` command line of each planned call and the
// devices the batch would reach (read calls only, at most six of them).
import { maxPageSize } from '../iot/actions';
import { DEFAULT_MODULE } from '../otaFacts';
import type { ConnectionSettings } from '../types';
import type { LifecycleApi } from './client';
import { grayDeviceCount } from './rules';
import type { PlannedCall, RolloutPlan } from './rollout';
import type { DevicePage } from './types';

const SAFE_SHELL_WORD = /^[A-Za-z0-9._:/@%+=,-]+$/;

export function shellQuote(value: string): string {
	return SAFE_SHELL_WORD.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `aliyun iot <Action> --region R [--endpoint HOST [--insecure]] [--IotInstanceId ID] --Param value …`, with the
 * custom endpoint when one is used (docs/protocols.md §12.1); PostObject has no aliyun equivalent.
 */
export function aliyunCommandLine(
	call: PlannedCall,
	connection: Pick<ConnectionSettings, 'region' | 'iotInstanceId' | 'endpoint'>,
): string {
	if (call.action === 'PostObject') {
		return "# PostObject: the device list goes to the ticket's Host as a form upload (no aliyun CLI equivalent)";
	}
	const words = ['aliyun', 'iot', call.action, '--region', connection.region];
	const endpoint =
		connection.endpoint?.trim() && URL.canParse(connection.endpoint.trim()) ? new URL(connection.endpoint.trim()) : undefined;
	if (endpoint) {
		words.push('--endpoint', shellQuote(endpoint.host), ...(endpoint.protocol === 'http:' ? ['--insecure'] : []));
	}
	if (connection.iotInstanceId) {
		words.push('--IotInstanceId', connection.iotInstanceId);
	}
	for (const [name, value] of Object.entries(call.params)) {
		words.push(`--${name}`, shellQuote(value));
	}
	return words.join(' ');
}

export interface TargetPreview {
	/** Devices the batch reaches, when known exactly (named devices, a counted gray batch, a whole product or group). */
	count?: number;
	/** Devices the count is taken from: of the product or group; for a gray batch the eligible ones when counted. */
	of?: number;
	/** Some of them, by name. */
	sample: string[];
	/** Named devices that do not exist in the product. */
	unknown: string[];
	/** Named devices already on the target version (default module): the platform skips them. */
	upToDate: string[];
	/** How the platform picks them, for a shell to word in its own language by its code (the CLI: targetNoteText). */
	scope: TargetScope;
}

/** Devices that report one of `versions` (of `module` when not the default one); none: any version. */
export interface VersionFilter {
	versions: readonly string[];
	module?: string;
}

/** Which devices a batch reaches, as a code and the values of its note. */
export type TargetScope =
	/** Devices named outright; `unchecked` of them beyond the first `checked` were not looked up. */
	| { code: 'named'; unchecked: number; checked: number }
	| { code: 'group'; groupId: string; dynamic: boolean; destVersion: string }
	| ({ code: 'all'; productKey: string; destVersion: string; dynamic: boolean } & VersionFilter)
	/** A gray batch of the `counted` eligible devices. */
	| ({ code: 'gray-counted'; percent: string; productKey: string; destVersion: string; counted: number } & VersionFilter)
	/** A gray batch of a product too large to count: at most `most` of its `total` devices. */
	| ({ code: 'gray-bounded'; percent: string; productKey: string; destVersion: string; most: number; total: number } & VersionFilter);

function versionNote(filter: VersionFilter): string {
	const module = filter.module ? ` of module ${filter.module}` : '';
	return filter.versions.length > 0 ? ` that report version ${filter.versions.join(' or ')}${module}` : '';
}

/** The note of a scope, in English (what the CLI prints). */
export function targetNoteText(scope: TargetScope): string {
	const skipped = (dest: string) => `; devices already on ${dest} are skipped`;
	const rule = 'rounded down (at least 1), chosen by the platform';
	switch (scope.code) {
		case 'named':
			return scope.unchecked > 0
				? `the named devices (${scope.unchecked} beyond the first ${scope.checked} were not checked)`
				: 'the named devices';
		case 'group':
			return `every device of group ${scope.groupId}${scope.dynamic ? ', now and whenever one joins' : ''}${skipped(scope.destVersion)}`;
		case 'all':
			return `every device of ${scope.productKey}${versionNote(scope)}${scope.dynamic ? ', now and whenever one reports a matching version' : ''}${skipped(scope.destVersion)}`;
		case 'gray-counted':
			return `${scope.percent} % of the ${scope.counted} devices of ${scope.productKey} not on ${scope.destVersion}${versionNote(scope)}, ${rule}`;
		case 'gray-bounded':
			return `${scope.percent} % of the devices of ${scope.productKey} not on ${scope.destVersion}${versionNote(scope)}, ${rule}: at most ${scope.most} of its ${scope.total} devices`;
	}
}

export type PreviewApi = Pick<LifecycleApi, 'queryDevices' | 'batchQueryDeviceDetail' | 'queryGroupDevices'>;

const SAMPLE = 20;
/** Named devices checked one by one (BatchQueryDeviceDetail, 100 per call) before the rest is only counted. */
const CHECKED_NAMES = 200;

/** The devices a batch of named devices reaches: each checked name looked up (BatchQueryDeviceDetail, 100 per call). */
export async function previewNamed(
	api: Pick<PreviewApi, 'batchQueryDeviceDetail'>,
	plan: RolloutPlan,
	names: readonly string[],
	signal?: AbortSignal,
): Promise<TargetPreview> {
	const productKey = plan.firmware.productKey ?? '';
	const checked = names.slice(0, CHECKED_NAMES);
	const found = new Map<string, string | undefined>();
	for (let i = 0; i < checked.length; i += 100) {
		for (const device of await api.batchQueryDeviceDetail(productKey, checked.slice(i, i + 100), signal)) {
			found.set(device.deviceName, device.firmwareVersion);
		}
	}
	const unknown = checked.filter((name) => !found.has(name));
	const onDefault = (plan.firmware.moduleName ?? DEFAULT_MODULE) === DEFAULT_MODULE;
	const upToDate = onDefault ? checked.filter((name) => found.get(name) === plan.firmware.destVersion) : [];
	const unchecked = names.length - checked.length;
	return {
		count: names.length - unknown.length - upToDate.length,
		sample: checked.filter((name) => found.has(name) && !upToDate.includes(name)).slice(0, SAMPLE),
		unknown,
		upToDate,
		scope: { code: 'named', unchecked, checked: CHECKED_NAMES },
	};
}

/** The source versions a device must report: those given, else a delta package's own. */
function sourceVersions(plan: RolloutPlan): readonly string[] {
	const given = plan.spec.srcVersions ?? [];
	return given.length === 0 && plan.firmware.type === 1 && plan.firmware.srcVersion ? [plan.firmware.srcVersion] : given;
}

function versionFilter(plan: RolloutPlan): VersionFilter {
	const module = plan.firmware.moduleName && plan.firmware.moduleName !== DEFAULT_MODULE ? plan.firmware.moduleName : undefined;
	return { versions: sourceVersions(plan), ...(module ? { module } : {}) };
}

/** Whether a device reporting `version` gets a task of the batch: not on DestVersion, on a source version if any (§11.6). */
function eligible(plan: RolloutPlan, version: string): boolean {
	const versions = sourceVersions(plan);
	return version !== plan.firmware.destVersion && (versions.length === 0 || versions.includes(version));
}

/** Products of at most this many devices are read whole to count the eligible ones: 4 + 2 read calls. */
const COUNTED_DEVICES = 200;
/** QueryDevice's largest page (docs/protocols.md §12.1). */
const DEVICE_PAGE = maxPageSize('QueryDevice');

/** The eligible devices of the product, or undefined when it has too many to read or the package is for another module. */
async function countEligible(api: PreviewApi, plan: RolloutPlan, first: DevicePage, signal?: AbortSignal): Promise<number | undefined> {
	if (first.total > COUNTED_DEVICES || (plan.firmware.moduleName ?? DEFAULT_MODULE) !== DEFAULT_MODULE) {
		return undefined;
	}
	const productKey = plan.firmware.productKey ?? '';
	const names = first.items.map((d) => d.deviceName);
	for (let currentPage = 2; names.length < first.total && currentPage <= COUNTED_DEVICES / DEVICE_PAGE; currentPage++) {
		const page = await api.queryDevices({ productKey, pageSize: DEVICE_PAGE, currentPage }, signal);
		if (page.items.length === 0) {
			break;
		}
		names.push(...page.items.map((d) => d.deviceName));
	}
	let count = 0;
	for (let i = 0; i < names.length; i += 100) {
		for (const device of await api.batchQueryDeviceDetail(productKey, names.slice(i, i + 100), signal)) {
			count += eligible(plan, device.firmwareVersion ?? '') ? 1 : 0;
		}
	}
	return count;
}

async function grayPreview(
	api: PreviewApi,
	plan: RolloutPlan,
	percent: string,
	first: DevicePage,
	signal?: AbortSignal,
): Promise<TargetPreview> {
	const gray = { percent, productKey: plan.firmware.productKey ?? '', destVersion: plan.firmware.destVersion, ...versionFilter(plan) };
	const counted = await countEligible(api, plan, first, signal);
	const none = { sample: [], unknown: [], upToDate: [] };
	if (counted === undefined) {
		const most = grayDeviceCount(first.total, percent);
		return { ...none, of: first.total, scope: { code: 'gray-bounded', ...gray, most, total: first.total } };
	}
	return { ...none, count: grayDeviceCount(counted, percent), of: counted, scope: { code: 'gray-counted', ...gray, counted } };
}

/** The devices `plan` would reach, from at most a few read calls. */
export async function previewTargets(api: PreviewApi, plan: RolloutPlan, signal?: AbortSignal): Promise<TargetPreview> {
	const { target, dynamic } = plan.spec;
	const productKey = plan.firmware.productKey ?? '';
	const destVersion = plan.firmware.destVersion;
	if (target.kind === 'devices' || target.kind === 'deviceList') {
		return previewNamed(api, plan, target.deviceNames, signal);
	}
	if (target.kind === 'group') {
		const page = await api.queryGroupDevices({ groupId: target.groupId, pageSize: 50 }, signal);
		return {
			count: page.total,
			of: page.total,
			sample: page.items.slice(0, SAMPLE).map((d) => d.deviceName),
			unknown: [],
			upToDate: [],
			scope: { code: 'group', groupId: target.groupId, dynamic: dynamic === true, destVersion },
		};
	}
	const page = await api.queryDevices({ productKey, pageSize: DEVICE_PAGE }, signal);
	if (target.kind === 'gray') {
		return grayPreview(api, plan, target.percent, page, signal);
	}
	const sample = page.items.slice(0, SAMPLE).map((d) => d.deviceName);
	const filtered = sourceVersions(plan).length > 0;
	return {
		count: filtered ? undefined : page.total,
		of: page.total,
		sample: filtered ? [] : sample,
		unknown: [],
		upToDate: [],
		scope: { code: 'all', productKey, destVersion, dynamic: dynamic === true, ...versionFilter(plan) },
	};
}
