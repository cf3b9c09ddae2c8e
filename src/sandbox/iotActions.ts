import type { FileHasher } from '../core/hashing/fileHasher';
import { REGISTER_WINDOW_MS, TICKET_TTL_MS } from '../core/otaFacts';
import { FIRMWARE_SUFFIXES, MAX_FIRMWARE_BYTES } from '../core/types';
import type { FaultInjector } from './faults';
import { parseCreateFirmware } from './firmwareRules';
import { randomId } from './ids';
import type { SandboxIdentity } from './identity';
import { mintUploadPolicy, signPostPolicy } from './ossPolicy';
import { signedObjectUrl } from './ossSignedUrl';
import type { RpcParams } from './popSignature';
import { businessErrors, gatewayErrors } from './rpcErrors';
import type { OtaEngineApi } from './ota';
import type { FirmwareRecord, SandboxStore } from './store';

/** The IoT 2018-01-20 actions the sandbox implements, with the real response shapes (docs/protocols.md §4). */

export interface ActionContext {
	store: SandboxStore;
	/** The OTA lifecycle engine (fleet, jobs, tasks) the lifecycle actions call. */
	ota: OtaEngineApi;
	identity: SandboxIdentity;
	hashes: FileHasher;
	faults: FaultInjector;
	now: () => number;
	/** OSS listener base URL, e.g. http://127.0.0.1:43210 */
	ossHost: string;
	bucket: string;
	enterpriseInstanceId: string;
	requireInstanceId: boolean;
	/** Stable per-account id used as the first path segment of upload keys. */
	accountId: string;
}

type Handler = (params: RpcParams, ctx: ActionContext, instanceId: string | undefined) => Promise<Record<string, unknown>>;

const iso = (ms: number): string => new Date(ms).toISOString();

function requireParams(params: RpcParams, names: readonly string[]): void {
	for (const name of names) {
		if (!params[name]) {
			throw gatewayErrors.missing(name);
		}
	}
}

function pageParams(params: RpcParams, maxPageSize: number): { currentPage: number; pageSize: number } {
	requireParams(params, ['CurrentPage', 'PageSize']);
	const currentPage = Number(params.CurrentPage);
	const pageSize = Number(params.PageSize);
	if (!Number.isSafeInteger(currentPage) || currentPage < 1) {
		throw businessErrors.invalidPage('CurrentPage must be an integer of at least 1.');
	}
	if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
		throw businessErrors.invalidPage(`PageSize must be an integer from 1 to ${maxPageSize}.`);
	}
	return { currentPage, pageSize };
}

function page<T>(
	items: readonly T[],
	currentPage: number,
	pageSize: number,
): { Total: number; PageSize: number; PageCount: number; CurrentPage: number; items: T[] } {
	const start = (currentPage - 1) * pageSize;
	return {
		Total: items.length,
		PageSize: pageSize,
		PageCount: Math.ceil(items.length / pageSize),
		CurrentPage: currentPage,
		items: items.slice(start, start + pageSize),
	};
}

const DOWNLOAD_URL_TTL_MS = 3600 * 1000;

/** QueryOTAFirmware and device pushes carry a signed, expiring GET URL like the real platform's. */
export function signedDownloadUrl(record: FirmwareRecord, ctx: Pick<ActionContext, 'now' | 'identity' | 'bucket'>): string {
	return signedObjectUrl(record.firmwareUrl, {
		bucket: ctx.bucket,
		key: record.objectKey,
		owner: ctx.identity.oss,
		expiresAtMs: ctx.now() + DOWNLOAD_URL_TTL_MS,
	});
}

function firmwareFields(record: FirmwareRecord): Record<string, unknown> {
	return {
		FirmwareId: record.firmwareId,
		FirmwareName: record.firmwareName,
		FirmwareDesc: record.firmwareDesc,
		FirmwareSign: record.firmwareSign,
		FirmwareSize: record.firmwareSize,
		FirmwareUrl: record.firmwareUrl,
		SrcVersion: record.srcVersion,
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

function instanceFirmware(ctx: ActionContext, instanceId: string | undefined): FirmwareRecord[] {
	return ctx.store.listFirmware().filter((f) => f.iotInstanceId === instanceId);
}

const generateOtaUploadUrl: Handler = async (params, ctx) => {
	const suffix = params.FileSuffix || 'bin';
	if (!(FIRMWARE_SUFFIXES as readonly string[]).includes(suffix)) {
		throw businessErrors.invalidParameter('FileSuffix', `must be one of ${FIRMWARE_SUFFIXES.join(', ')}.`);
	}
	const now = ctx.now();
	const key = `ota/${ctx.accountId}/${randomId(25).toLowerCase()}.${suffix}`;
	const expired = ctx.faults.take('api', 'GenerateOTAUploadURL', ['expirePolicy']) !== undefined;
	const policy = mintUploadPolicy({ key, bucket: ctx.bucket, now, ttlMs: expired ? -1000 : TICKET_TTL_MS, maxBytes: MAX_FIRMWARE_BYTES });
	return {
		Data: {
			Key: key,
			Host: ctx.ossHost,
			Policy: policy.base64,
			OSSAccessKeyId: ctx.identity.oss.accessKeyId,
			Signature: signPostPolicy(policy.base64, ctx.identity.oss.accessKeySecret),
			FirmwareUrl: `${ctx.ossHost}/${key}`,
			ObjectStorage: 'OSS',
			UtcCreate: iso(now),
		},
	};
};

/** The object key behind a FirmwareUrl, if the URL points at this sandbox's OSS listener. */
function objectKeyOf(firmwareUrl: string, ctx: ActionContext): string | undefined {
	let url: URL;
	try {
		url = new URL(firmwareUrl);
	} catch {
		return undefined;
	}
	if (url.origin !== new URL(ctx.ossHost).origin || url.search !== '') {
		return undefined;
	}
	try {
		return decodeURIComponent(url.pathname.slice(1));
	} catch {
		return undefined;
	}
}

const createOtaFirmware: Handler = async (params, ctx, instanceId) => {
	requireParams(params, ['FirmwareName', 'DestVersion']);
	const req = parseCreateFirmware(params);
	const product = ctx.store.products().find((p) => p.productKey === req.productKey);
	if (!product) {
		throw businessErrors.productNotFound();
	}
	if (instanceFirmware(ctx, instanceId).some((f) => f.firmwareName === req.firmwareName)) {
		throw businessErrors.nameExists();
	}
	const key = objectKeyOf(req.firmwareUrl, ctx);
	const object = key === undefined ? undefined : ctx.store.getObject(key);
	if (!object) {
		throw businessErrors.firmwareUrlInvalid(
			`no file was uploaded to this URL, or it was deleted after ${REGISTER_WINDOW_MS / 60_000} minutes without CreateOTAFirmware.`,
		);
	}
	if (req.firmwareSize !== undefined && req.firmwareSize !== object.size) {
		throw businessErrors.sizeMismatch();
	}
	const algorithm = req.signMethod === 'MD5' ? 'md5' : 'sha256';
	let actualSign = object[algorithm];
	if (actualSign === undefined) {
		const digests = await ctx.hashes.hashFile(ctx.store.objectPath(object.key), [algorithm], object.size);
		actualSign = digests[algorithm] ?? '';
		await ctx.store.updateObject(object.key, { [algorithm]: actualSign });
	}
	if (req.firmwareSign !== undefined && req.firmwareSign !== actualSign) {
		throw businessErrors.signMismatch();
	}
	const now = ctx.now();
	const record: FirmwareRecord = {
		firmwareId: randomId(26),
		firmwareName: req.firmwareName,
		destVersion: req.destVersion,
		srcVersion: req.srcVersion,
		productKey: product.productKey,
		productName: product.productName,
		firmwareUrl: req.firmwareUrl,
		objectKey: object.key,
		firmwareSize: object.size,
		firmwareSign: actualSign,
		signMethod: req.signMethod,
		moduleName: req.moduleName,
		type: req.type,
		firmwareDesc: req.firmwareDesc,
		status: req.needToVerify ? 0 : -1,
		iotInstanceId: instanceId,
		createdAt: now,
		modifiedAt: now,
	};
	await ctx.store.addFirmware(record);
	return { Data: { FirmwareId: record.firmwareId, UtcCreate: iso(now) } };
};

function findFirmware(params: RpcParams, ctx: ActionContext, instanceId: string | undefined): FirmwareRecord {
	requireParams(params, ['FirmwareId']);
	const record = instanceFirmware(ctx, instanceId).find((f) => f.firmwareId === params.FirmwareId);
	if (!record) {
		throw businessErrors.firmwareNotFound();
	}
	return record;
}

const queryOtaFirmware: Handler = async (params, ctx, instanceId) => {
	const record = findFirmware(params, ctx, instanceId);
	return {
		FirmwareInfo: {
			...firmwareFields(record),
			FirmwareUrl: signedDownloadUrl(record, ctx),
			VerifyProgress: record.status === 1 ? 100 : 0,
		},
	};
};

const listOtaFirmware: Handler = async (params, ctx, instanceId) => {
	const { currentPage, pageSize } = pageParams(params, 100);
	const matching = instanceFirmware(ctx, instanceId)
		.filter(
			(f) =>
				(!params.ProductKey || f.productKey === params.ProductKey) && (!params.DestVersion || f.destVersion === params.DestVersion),
		)
		.sort((a, b) => b.createdAt - a.createdAt);
	const { items, ...counts } = page(matching, currentPage, pageSize);
	return { ...counts, FirmwareInfo: { SimpleFirmwareInfo: items.map(firmwareFields) } };
};

const deleteOtaFirmware: Handler = async (params, ctx, instanceId) => {
	const record = findFirmware(params, ctx, instanceId);
	await ctx.store.deleteFirmware(record.firmwareId);
	return {};
};

const queryProductList: Handler = async (params, ctx) => {
	const { currentPage, pageSize } = pageParams(params, 200);
	const { items, ...counts } = page(ctx.ota.fleet.products(), currentPage, pageSize);
	const ProductInfo = items.map((p) => ({
		ProductKey: p.productKey,
		ProductName: p.productName,
		NodeType: p.nodeType,
		DataFormat: p.dataFormat,
		DeviceCount: p.deviceCount,
		Description: p.description,
		AuthType: p.authType,
		GmtCreate: p.gmtCreate,
	}));
	return { Data: { ...counts, List: { ProductInfo } } };
};

const HANDLERS: Readonly<Record<string, Handler>> = {
	GenerateOTAUploadURL: generateOtaUploadUrl,
	CreateOTAFirmware: createOtaFirmware,
	QueryOTAFirmware: queryOtaFirmware,
	ListOTAFirmware: listOtaFirmware,
	DeleteOTAFirmware: deleteOtaFirmware,
	QueryProductList: queryProductList,
};

export function isKnownAction(action: string): boolean {
	return Object.prototype.hasOwnProperty.call(HANDLERS, action);
}

/** Runs an authenticated action; throws BusinessError / GatewayError; returns the body without RequestId. */
export async function runAction(params: RpcParams, ctx: ActionContext): Promise<Record<string, unknown>> {
	const instanceId = params.IotInstanceId || undefined;
	if (instanceId !== undefined ? instanceId !== ctx.enterpriseInstanceId : ctx.requireInstanceId) {
		throw businessErrors.instanceNotFound();
	}
	const body = await HANDLERS[params.Action](params, ctx, instanceId);
	return { Success: true, ...body };
}
