import { promises as fs } from 'node:fs';
import { DEVICE_LIST_TTL_MS } from '../../core/otaFacts';
import { formatSpan } from '../../core/format';
import { otaErrors, type JobRecord, type StaticJobRequest, type TargetSelection } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { ActionContext, HandlerTable } from './context';
import { iso } from './format';
import { epochMs, deliveryOptions, rolloutOptions, srcVersions } from './jobOptions';
import { findFirmware } from './lookups';
import type { ParamReader } from './params';
import { storedObjectAt } from './uploads';

/** Creating verify, static and dynamic jobs (docs/protocols.md §11.5–§11.6). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GRAY_PERCENT = /^\d{1,3}(?:\.\d{1,3})?$/;
const TARGET_SELECTIONS: readonly TargetSelection[] = ['ALL', 'SPECIFIC', 'GRAY', 'GROUP'];

const created = (job: JobRecord) => ({ Data: { JobId: job.jobId, UtcCreate: iso(job.createdAt) } });

const createOtaVerifyJob = async (p: ParamReader, ctx: ActionContext) => {
	p.required('FirmwareId');
	const productKey = p.required('ProductKey');
	const deviceNames = p.list('TargetDeviceName', { required: true, min: 1, max: 10, unique: true });
	const firmware = findFirmware(p, ctx);
	return created(ctx.ota.createVerifyJob(firmware, { productKey, deviceNames, ...deliveryOptions(p, firmware) }));
};

/** The names of a GenerateDeviceNameListURL file: one DeviceName a line, blank lines skipped. */
async function deviceListFile(url: string, ctx: ActionContext): Promise<string[]> {
	const object = storedObjectAt(url, ctx);
	if (!object) {
		throw businessErrors.invalidParameter(
			'DnListFileUrl',
			`no device list was uploaded to this URL, or it was deleted ${formatSpan(DEVICE_LIST_TTL_MS, 'minute')} after its upload.`,
		);
	}
	const text = await fs.readFile(ctx.store.objectPath(object.key), 'utf8');
	const names = [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter((name) => name !== '');
	if (names.length > ctx.deviceListMaxNames) {
		throw businessErrors.invalidParameter(
			'DnListFileUrl',
			`the file lists ${names.length} devices; at most ${ctx.deviceListMaxNames} are allowed.`,
		);
	}
	return names;
}

type Target = Pick<StaticJobRequest, 'srcVersions' | 'deviceNames' | 'fromDeviceListFile' | 'grayPercent' | 'groupId'>;

/** TargetSelection and the parameters that go with each kind of target. */
async function staticTarget(p: ParamReader, ctx: ActionContext, selection: TargetSelection): Promise<Target> {
	const only = (name: string, kind: string): never => {
		throw businessErrors.invalidParameter(name, `is only taken with TargetSelection ${kind}.`);
	};
	const versions = srcVersions(p);
	if (versions.length > 0 && (selection === 'SPECIFIC' || selection === 'GROUP')) {
		throw otaErrors.invalidSrcVersionList('SrcVersion.N is only taken with TargetSelection ALL or GRAY.');
	}
	const names = p.list('TargetDeviceName', { max: 200, unique: true });
	const file = p.optional('DnListFileUrl');
	if (selection !== 'SPECIFIC' && (names.length > 0 || file !== undefined)) {
		only(names.length > 0 ? 'TargetDeviceName.N' : 'DnListFileUrl', 'SPECIFIC');
	}
	if (selection === 'SPECIFIC' && names.length > 0 === (file !== undefined)) {
		throw businessErrors.invalidParameter('TargetDeviceName.N', 'SPECIFIC takes either TargetDeviceName.N or DnListFileUrl.');
	}
	const grayPercent = p.optional('GrayPercent');
	if (selection !== 'GRAY' && grayPercent !== undefined) {
		only('GrayPercent', 'GRAY');
	}
	if (
		selection === 'GRAY' &&
		(grayPercent === undefined || !GRAY_PERCENT.test(grayPercent) || !(Number(grayPercent) > 0 && Number(grayPercent) <= 100))
	) {
		throw businessErrors.invalidParameter('GrayPercent', 'GRAY needs a percentage above 0 and at most 100, with up to 3 decimals.');
	}
	const groupId = p.optional('GroupId');
	const groupType = p.optional('GroupType');
	if (selection !== 'GROUP' && (groupId ?? groupType) !== undefined) {
		only(groupId === undefined ? 'GroupType' : 'GroupId', 'GROUP');
	}
	if (selection === 'GROUP' && (groupId === undefined || groupType !== 'LINK_PLATFORM')) {
		throw businessErrors.invalidParameter('GroupId', 'GROUP needs GroupId and GroupType LINK_PLATFORM.');
	}
	return {
		srcVersions: versions,
		...(file === undefined ? { deviceNames: names } : { deviceNames: await deviceListFile(file, ctx), fromDeviceListFile: true }),
		grayPercent,
		groupId,
	};
}

const createOtaStaticUpgradeJob = async (p: ParamReader, ctx: ActionContext) => {
	p.required('FirmwareId');
	const productKey = p.required('ProductKey');
	p.required('TargetSelection');
	const targetSelection = p.choice('TargetSelection', TARGET_SELECTIONS) as TargetSelection;
	const firmware = findFirmware(p, ctx);
	const options = rolloutOptions(p, firmware);
	const now = ctx.now();
	const scheduleTime = epochMs(p, 'ScheduleTime', now + 5 * MINUTE, now + 7 * DAY, 'from 5 minutes to 7 days from now');
	const start = scheduleTime ?? now;
	const scheduleFinishTime = epochMs(
		p,
		'ScheduleFinishTime',
		start + HOUR,
		start + 30 * DAY,
		'from 1 hour to 30 days after ScheduleTime',
	);
	const target = await staticTarget(p, ctx, targetSelection);
	return created(
		ctx.ota.createStaticJob(firmware, { productKey, targetSelection, ...target, scheduleTime, scheduleFinishTime, ...options }),
	);
};

const createOtaDynamicUpgradeJob = async (p: ParamReader, ctx: ActionContext) => {
	p.required('FirmwareId');
	const productKey = p.required('ProductKey');
	const firmware = findFirmware(p, ctx);
	const options = rolloutOptions(p, firmware);
	const versions = srcVersions(p);
	const groupId = p.optional('GroupId');
	const groupType = p.optional('GroupType');
	if ((groupId ?? groupType) !== undefined) {
		if (groupId === undefined || groupType !== 'LINK_PLATFORM_DYNAMIC') {
			throw businessErrors.invalidParameter('GroupId', 'a dynamic job on a group needs GroupId and GroupType LINK_PLATFORM_DYNAMIC.');
		}
		if (versions.length > 0) {
			throw otaErrors.invalidSrcVersionList('SrcVersion.N is not taken together with a group.');
		}
	} else if (versions.length === 0) {
		throw businessErrors.emptySrcVersionList();
	}
	const dynamicMode = p.choice('DynamicMode', ['1', '2']);
	return created(
		ctx.ota.createDynamicJob(firmware, {
			productKey,
			...(groupId === undefined ? { srcVersions: versions } : { groupId }),
			dynamicMode: dynamicMode === undefined ? undefined : dynamicMode === '1' ? 1 : 2,
			...options,
		}),
	);
};

export const jobActions: HandlerTable = {
	CreateOTAVerifyJob: createOtaVerifyJob,
	CreateOTAStaticUpgradeJob: createOtaStaticUpgradeJob,
	CreateOTADynamicUpgradeJob: createOtaDynamicUpgradeJob,
};
