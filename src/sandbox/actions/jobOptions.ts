import { LIFECYCLE_LIMITS } from '../../core/lifecycle/rules';
import { platformLength } from '../../core/otaFacts';
import type { DeliveryRequest, JobTag, RolloutRequest } from '../ota';
import { otaErrors } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { FirmwareRecord } from '../storeRecords';
import type { ParamReader } from './params';

/** The job parameters verify, static and dynamic jobs share (docs/protocols.md §11.5), checked and parsed. */

// The documented limits are core's facts (LIFECYCLE_LIMITS); the checks and their refusals are the sandbox's own.
const { tags: TAG_LIMITS, retryIntervals: RETRY_INTERVALS, retryCounts: RETRY_COUNTS } = LIFECYCLE_LIMITS;
const TAG_KEY = /^[A-Za-z0-9.]+$/;
const MQTT_REGIONS = ['cn-shanghai', 'cn-beijing', 'cn-shenzhen'];
const MQTT_MAX_BYTES = 16 * 1024 * 1024;
const MAX_SRC_VERSIONS = LIFECYCLE_LIMITS.srcVersions;

function tags(p: ParamReader): JobTag[] {
	const items = p.objects('Tag', ['Key', 'Value'] as const);
	if (items.length > TAG_LIMITS.count) {
		throw businessErrors.invalidParameter('Tag.N', `give at most ${TAG_LIMITS.count} tags.`);
	}
	let total = 0;
	return items.map(({ Key: key, Value: value }) => {
		if (key === undefined || value === undefined) {
			throw businessErrors.invalidParameter('Tag.N', 'give every tag both a Key and a Value.');
		}
		if (!TAG_KEY.test(key)) {
			throw businessErrors.invalidParameter('Tag.N.Key', 'use letters, digits and periods (.).');
		}
		if (value === '') {
			throw businessErrors.invalidParameter('Tag.N.Value', `give every tag a Value of 1 to ${TAG_LIMITS.valueLength} characters.`);
		}
		total += platformLength(key) + platformLength(value);
		if (
			platformLength(key) > TAG_LIMITS.keyLength ||
			platformLength(value) > TAG_LIMITS.valueLength ||
			total > TAG_LIMITS.totalLength
		) {
			throw businessErrors.jobTagTooLong();
		}
		return { key, value };
	});
}

/** DownloadProtocol=MQTT: one file of at most 16 MB, in the three regions that have it. */
function checkMqtt(p: ParamReader, firmware: FirmwareRecord): void {
	if (firmware.multiFiles !== undefined || firmware.firmwareSize > MQTT_MAX_BYTES) {
		throw businessErrors.invalidParameter('DownloadProtocol', 'MQTT download needs a single-file package of at most 16 MB.');
	}
	if (!MQTT_REGIONS.includes(p.regionId)) {
		throw businessErrors.invalidParameter('DownloadProtocol', `MQTT download is only available in ${MQTT_REGIONS.join(', ')}.`);
	}
}

/** NeedPush, NeedConfirm, DownloadProtocol, Tag.N and TimeoutInMinutes: what CreateOTAVerifyJob takes too. */
export function deliveryOptions(p: ParamReader, firmware: FirmwareRecord): DeliveryRequest {
	const downloadProtocol = p.choice('DownloadProtocol', ['HTTPS', 'MQTT'] as const);
	if (downloadProtocol === 'MQTT') {
		checkMqtt(p, firmware);
	}
	return {
		needPush: p.boolean('NeedPush'),
		needConfirm: p.boolean('NeedConfirm'),
		downloadProtocol,
		tags: tags(p),
		timeoutInMinutes: p.integer('TimeoutInMinutes', { min: 1, max: 1440, error: businessErrors.invalidTimeout }),
	};
}

/** deliveryOptions plus retries, push rate and overwrite rules: what static and dynamic batches take. */
export function rolloutOptions(p: ParamReader, firmware: FirmwareRecord): RolloutRequest {
	const delivery = deliveryOptions(p, firmware);
	const retryInterval = p.choice('RetryInterval', RETRY_INTERVALS.map(String));
	const retryCount = p.choice('RetryCount', RETRY_COUNTS.map(String));
	if ((retryInterval === undefined) !== (retryCount === undefined)) {
		throw businessErrors.invalidParameter('RetryCount', 'RetryInterval and RetryCount are given together.');
	}
	if (retryInterval !== undefined && delivery.timeoutInMinutes !== undefined && Number(retryInterval) >= delivery.timeoutInMinutes) {
		throw businessErrors.invalidParameter('RetryInterval', 'must be less than TimeoutInMinutes.');
	}
	const multiModuleMode = p.boolean('MultiModuleMode');
	const overwriteMode = p.choice('OverwriteMode', ['1', '2']);
	if (overwriteMode === '2' && multiModuleMode === true) {
		throw businessErrors.invalidParameter('OverwriteMode', '2 (overwrite) is not allowed with MultiModuleMode=true.');
	}
	return {
		...delivery,
		retryInterval: retryInterval === undefined ? undefined : Number(retryInterval),
		retryCount: retryCount === undefined ? undefined : Number(retryCount),
		maximumPerMinute: p.integer('MaximumPerMinute', { min: 10, max: 10_000, error: businessErrors.invalidMaximumPerMinute }),
		overwriteMode: overwriteMode === undefined ? undefined : overwriteMode === '1' ? 1 : 2,
		multiModuleMode,
	};
}

/** SrcVersion.N: at most 10, unique (a delta package's own SrcVersion is the engine's check). */
export function srcVersions(p: ParamReader): string[] {
	return p.list('SrcVersion', {
		max: MAX_SRC_VERSIONS,
		unique: true,
		error: () => otaErrors.invalidSrcVersionList(`give at most ${MAX_SRC_VERSIONS} unique, non-empty versions.`),
	});
}

/** An epoch-ms parameter (13 digits) that must fall inside [from, to]. */
export function epochMs(p: ParamReader, name: string, from: number, to: number, window: string): number | undefined {
	const value = p.optional(name);
	if (value === undefined) {
		return undefined;
	}
	const ms = Number(value);
	if (!/^\d{13}$/.test(value) || ms < from || ms > to) {
		throw businessErrors.invalidParameter(name, `must be a 13-digit epoch time in milliseconds ${window}.`);
	}
	return ms;
}
