import { FIRMWARE_DESC_MAX, UDI_MAX } from '../../core/otaFacts';
import { isFirmwareName } from '../firmwareRules';
import { otaErrors } from '../ota';
import { signedObjectUrl } from '../ossSignedUrl';
import { businessErrors } from '../rpcErrors';
import type { FirmwareRecord } from '../storeRecords';
import type { ActionContext, HandlerTable } from './context';
import { iso } from './format';
import { findFirmware, instanceFirmware } from './lookups';
import { pageCounts, pageOf, type ParamReader } from './params';

/** Query, list, modify and delete packages (docs/protocols.md §4.3, §11.4). */

const DOWNLOAD_URL_TTL_MS = 3600 * 1000;

/** A signed, expiring GET URL of a stored object, as QueryOTAFirmware and device pushes carry it. */
function signedUrl(url: string, objectKey: string, ctx: Pick<ActionContext, 'now' | 'identity' | 'bucket'>): string {
	return signedObjectUrl(url, {
		bucket: ctx.bucket,
		key: objectKey,
		owner: ctx.identity.oss,
		expiresAtMs: ctx.now() + DOWNLOAD_URL_TTL_MS,
	});
}

export function signedDownloadUrl(record: FirmwareRecord, ctx: Pick<ActionContext, 'now' | 'identity' | 'bucket'>): string {
	return signedUrl(record.firmwareUrl, record.objectKey, ctx);
}

/** The fields ListOTAFirmware items and QueryOTAFirmware share. */
function commonFields(record: FirmwareRecord): Record<string, unknown> {
	return {
		FirmwareId: record.firmwareId,
		FirmwareName: record.firmwareName,
		FirmwareDesc: record.firmwareDesc,
		DestVersion: record.destVersion,
		SignMethod: record.signMethod,
		ProductKey: record.productKey,
		ProductName: record.productName,
		ModuleName: record.moduleName,
		Type: record.type,
		Status: record.status,
		UtcCreate: iso(record.createdAt),
		UtcModified: iso(record.modifiedAt),
	};
}

const queryOtaFirmware = async (p: ParamReader, ctx: ActionContext) => {
	const record = findFirmware(p, ctx);
	const files = record.multiFiles
		? {
				MultiFiles: record.multiFiles.map((f) => ({
					Name: f.name,
					Url: signedUrl(f.url, f.objectKey, ctx),
					Size: f.size,
					SignValue: f.signValue,
					FileMd5: f.fileMd5,
				})),
			}
		: { FirmwareUrl: signedDownloadUrl(record, ctx), FirmwareSize: record.firmwareSize, FirmwareSign: record.firmwareSign };
	return {
		FirmwareInfo: {
			...commonFields(record),
			...(record.type === 1 ? { SrcVersion: record.srcVersion } : {}),
			Udi: record.udi,
			VerifyProgress: ctx.ota.verifyProgress(record.firmwareId),
			...files,
		},
	};
};

const listOtaFirmware = async (p: ParamReader, ctx: ActionContext) => {
	const page = p.page({ action: 'ListOTAFirmware', required: true });
	const productKey = p.optional('ProductKey');
	const destVersion = p.optional('DestVersion');
	const matching = instanceFirmware(ctx, p.instanceId)
		.filter((f) => (!productKey || f.productKey === productKey) && (!destVersion || f.destVersion === destVersion))
		.sort((a, b) => b.createdAt - a.createdAt);
	// The single-file fields are a single-file package's only, as in QueryOTAFirmware (docs/protocols.md §11.4).
	const SimpleFirmwareInfo = pageOf(matching, page).map((f) => ({
		...commonFields(f),
		SrcVersion: f.srcVersion,
		...(f.multiFiles ? {} : { FirmwareSize: f.firmwareSize, FirmwareSign: f.firmwareSign, FirmwareUrl: f.firmwareUrl }),
	}));
	return { ...pageCounts(matching.length, page), FirmwareInfo: { SimpleFirmwareInfo } };
};

const deleteOtaFirmware = async (p: ParamReader, ctx: ActionContext) => {
	const record = findFirmware(p, ctx);
	await ctx.store.deleteFirmware(record.firmwareId);
	return {};
};

/** ModifyOTAFirmware: name, description and UDI (the parameter is `FirmwareUdi`), with the documented codes. */
const modifyOtaFirmware = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	const record = findFirmware(p, ctx);
	if (record.productKey !== productKey) {
		throw otaErrors.firmwareProductMismatch();
	}
	const firmwareName = p.optional('FirmwareName');
	if (firmwareName !== undefined && !isFirmwareName(firmwareName)) {
		throw businessErrors.incorrectFirmwareName();
	}
	if (firmwareName !== undefined && instanceFirmware(ctx, p.instanceId).some((f) => f !== record && f.firmwareName === firmwareName)) {
		throw businessErrors.firmwareNameTaken();
	}
	const firmwareDesc = p.text('FirmwareDesc', FIRMWARE_DESC_MAX, businessErrors.firmwareDescTooLong);
	const udi = p.text('FirmwareUdi', UDI_MAX, businessErrors.firmwareUdiTooLong);
	await ctx.store.updateFirmware(record.firmwareId, {
		...(firmwareName === undefined ? {} : { firmwareName }),
		...(firmwareDesc === undefined ? {} : { firmwareDesc }),
		...(udi === undefined ? {} : { udi }),
		modifiedAt: ctx.now(),
	});
	return {};
};

export const firmwareActions: HandlerTable = {
	QueryOTAFirmware: queryOtaFirmware,
	ListOTAFirmware: listOtaFirmware,
	DeleteOTAFirmware: deleteOtaFirmware,
	ModifyOTAFirmware: modifyOtaFirmware,
};
