import { REGISTER_WINDOW_TEXT } from '../../core/format';
import { LIFECYCLE_LIMITS } from '../../core/lifecycle/rules';
import {
	PACKAGE_FILE_NAME_MAX,
	PACKAGE_FILES_MAX,
	PACKAGES_PER_INSTANCE,
	platformLength,
	TICKET_TTL_MS,
	UDI_MAX,
} from '../../core/otaFacts';
import { FIRMWARE_SUFFIXES, MAX_FIRMWARE_BYTES } from '../../core/types';
import { parseCreateFirmware } from '../firmwareRules';
import { randomId } from '../ids';
import { DEFAULT_MODULE, otaErrors } from '../ota';
import { mintUploadPolicy, signPostPolicy } from '../ossPolicy';
import { businessErrors } from '../rpcErrors';
import type { FirmwareFile, FirmwareRecord, StoredObject } from '../storeRecords';
import type { ActionContext, HandlerTable } from './context';
import { iso } from './format';
import { findProduct, instanceFirmware } from './lookups';
import type { ParamReader } from './params';

/** Upload tickets and CreateOTAFirmware (docs/protocols.md §4.1–§4.2, §11.4, §11.6). */

/** A PostObject ticket for a new object `ota/<account>/<id>.<suffix>`; `maxBytes` caps the upload. */
function mintTicket(ctx: ActionContext, suffix: string, maxBytes: number, expired: boolean) {
	const now = ctx.now();
	const key = `ota/${ctx.accountId}/${randomId(25).toLowerCase()}.${suffix}`;
	const policy = mintUploadPolicy({ key, now, ttlMs: expired ? -1000 : TICKET_TTL_MS, maxBytes });
	return {
		key,
		policy: policy.base64,
		signature: signPostPolicy(policy.base64, ctx.identity.oss.accessKeySecret),
		url: `${ctx.ossHost}/${key}`,
		utcCreate: iso(now),
	};
}

const generateOtaUploadUrl = async (p: ParamReader, ctx: ActionContext) => {
	const suffix = p.optional('FileSuffix') ?? 'bin';
	if (!(FIRMWARE_SUFFIXES as readonly string[]).includes(suffix)) {
		throw businessErrors.invalidParameter('FileSuffix', `must be one of ${FIRMWARE_SUFFIXES.join(', ')}.`);
	}
	const expired = ctx.faults.take('api', 'GenerateOTAUploadURL', ['expirePolicy']) !== undefined;
	const t = mintTicket(ctx, suffix, MAX_FIRMWARE_BYTES, expired);
	return {
		Data: {
			Key: t.key,
			Host: ctx.ossHost,
			Policy: t.policy,
			OSSAccessKeyId: ctx.identity.oss.accessKeyId,
			Signature: t.signature,
			FirmwareUrl: t.url,
			ObjectStorage: 'OSS',
			UtcCreate: t.utcCreate,
		},
	};
};

/** Same ticket, other names: `AccessKeyId` and `FileUrl` (docs/protocols.md §11.6). */
const generateDeviceNameListUrl = async (_p: ParamReader, ctx: ActionContext) => {
	const t = mintTicket(ctx, 'csv', LIFECYCLE_LIMITS.deviceListBytes, false);
	return {
		Data: {
			Key: t.key,
			Host: ctx.ossHost,
			Policy: t.policy,
			AccessKeyId: ctx.identity.oss.accessKeyId,
			Signature: t.signature,
			FileUrl: t.url,
			ObjectStorage: 'OSS',
			UtcCreate: t.utcCreate,
		},
	};
};

/** The stored object behind a URL of this sandbox's OSS listener (unsigned, as the tickets give it). */
export function storedObjectAt(url: string, ctx: ActionContext): StoredObject | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	if (parsed.origin !== new URL(ctx.ossHost).origin || parsed.search !== '') {
		return undefined;
	}
	try {
		return ctx.store.getObject(decodeURIComponent(parsed.pathname.slice(1)));
	} catch {
		return undefined;
	}
}

const NOT_UPLOADED = `no file was uploaded to this URL with a GenerateOTAUploadURL ticket, or it was deleted after ${REGISTER_WINDOW_TEXT} without CreateOTAFirmware.`;

/** The object behind a FirmwareUrl or MultiFiles.N.Url: one a GenerateOTAUploadURL ticket made, not a device list. */
function firmwareObjectAt(url: string, ctx: ActionContext): StoredObject | undefined {
	const object = storedObjectAt(url, ctx);
	return object && FIRMWARE_SUFFIXES.some((suffix) => object.key.endsWith(`.${suffix}`)) ? object : undefined;
}

async function digestOf(ctx: ActionContext, object: StoredObject, algorithm: 'md5' | 'sha256'): Promise<string> {
	const known = object[algorithm];
	if (known !== undefined) {
		return known;
	}
	const digests = await ctx.hashes.hashFile(ctx.store.objectPath(object.key), [algorithm]);
	const digest = digests[algorithm] ?? '';
	await ctx.store.updateObject(object.key, { [algorithm]: digest });
	return digest;
}

/** MultiFiles.N.{Name,Url,Size,SignValue,FileMd5}, each checked against its uploaded object. */
async function multiFiles(p: ParamReader, ctx: ActionContext, algorithm: 'md5' | 'sha256'): Promise<FirmwareFile[]> {
	const items = p.objects('MultiFiles', ['Name', 'Url', 'Size', 'SignValue', 'FileMd5'] as const);
	if (items.length < 1 || items.length > PACKAGE_FILES_MAX) {
		throw businessErrors.invalidParameter('MultiFiles', `a package has 1 to ${PACKAGE_FILES_MAX} files, each with its Name and Url.`);
	}
	const names = new Set<string>();
	const uploads = new Set<string>();
	const files: FirmwareFile[] = [];
	for (const item of items) {
		const name = item.Name ?? '';
		if (platformLength(name) < 1 || platformLength(name) > PACKAGE_FILE_NAME_MAX || names.has(name)) {
			throw businessErrors.invalidParameter(
				'MultiFiles.N.Name',
				`give every file a unique name of 1–${PACKAGE_FILE_NAME_MAX} characters.`,
			);
		}
		names.add(name);
		const object = firmwareObjectAt(item.Url ?? '', ctx);
		if (!object) {
			throw businessErrors.firmwareUrlInvalid(`MultiFiles.N.Url of ${name}: ${NOT_UPLOADED}`);
		}
		// The sources are silent on one upload given twice (under any spelling of its URL); refused [assumption]
		// (docs/protocols.md §13.6).
		if (uploads.has(object.key)) {
			throw businessErrors.invalidParameter(
				'MultiFiles.N.Url',
				`${name}: each file of a package is its own upload; this Url is given twice.`,
			);
		}
		uploads.add(object.key);
		if (item.Size !== undefined && item.Size !== String(object.size)) {
			throw businessErrors.sizeMismatch();
		}
		const signValue = await digestOf(ctx, object, algorithm);
		const fileMd5 = await digestOf(ctx, object, 'md5');
		if (
			(item.SignValue !== undefined && item.SignValue.toLowerCase() !== signValue) ||
			(item.FileMd5 !== undefined && item.FileMd5.toLowerCase() !== fileMd5)
		) {
			throw businessErrors.signMismatch();
		}
		files.push({ name, url: item.Url ?? '', objectKey: object.key, size: object.size, signValue, fileMd5 });
	}
	return files;
}

const createOtaFirmware = async (p: ParamReader, ctx: ActionContext) => {
	p.required('FirmwareName');
	p.required('DestVersion');
	const req = parseCreateFirmware(p.raw);
	const udi = p.text('Udi', UDI_MAX, businessErrors.firmwareUdiTooLong);
	const product = findProduct(ctx, req.productKey);
	const existing = instanceFirmware(ctx, p.instanceId);
	if (existing.some((f) => f.firmwareName === req.firmwareName)) {
		throw businessErrors.firmwareNameTaken();
	}
	if (existing.length >= PACKAGES_PER_INSTANCE) {
		throw businessErrors.firmwareLimit(PACKAGES_PER_INSTANCE);
	}
	if (req.moduleName !== DEFAULT_MODULE && !ctx.ota.modules(product.productKey).some((m) => m.moduleName === req.moduleName)) {
		throw otaErrors.moduleNotFound();
	}
	const algorithm = req.signMethod === 'MD5' ? 'md5' : 'sha256';
	let files: FirmwareFile[];
	if (req.firmwareUrl === undefined) {
		files = await multiFiles(p, ctx, algorithm);
	} else {
		const object = firmwareObjectAt(req.firmwareUrl, ctx);
		if (!object) {
			throw businessErrors.firmwareUrlInvalid(NOT_UPLOADED);
		}
		if (req.firmwareSize !== undefined && req.firmwareSize !== object.size) {
			throw businessErrors.sizeMismatch();
		}
		const sign = await digestOf(ctx, object, algorithm);
		if (req.firmwareSign !== undefined && req.firmwareSign !== sign) {
			throw businessErrors.signMismatch();
		}
		files = [{ name: '', url: req.firmwareUrl, objectKey: object.key, size: object.size, signValue: sign, fileMd5: '' }];
	}
	const [first] = files;
	const now = ctx.now();
	const record: FirmwareRecord = {
		firmwareId: randomId(26),
		firmwareName: req.firmwareName,
		destVersion: req.destVersion,
		srcVersion: req.srcVersion,
		productKey: product.productKey,
		productName: product.productName,
		firmwareUrl: first.url,
		objectKey: first.objectKey,
		firmwareSize: first.size,
		firmwareSign: first.signValue,
		signMethod: req.signMethod,
		moduleName: req.moduleName,
		type: req.type,
		firmwareDesc: req.firmwareDesc,
		udi,
		multiFiles: req.firmwareUrl === undefined ? files : undefined,
		status: req.needToVerify ? 0 : -1,
		iotInstanceId: p.instanceId,
		createdAt: now,
		modifiedAt: now,
	};
	await ctx.store.addFirmware(record);
	return { Data: { FirmwareId: record.firmwareId, UtcCreate: iso(now) } };
};

export const uploadActions: HandlerTable = {
	GenerateOTAUploadURL: generateOtaUploadUrl,
	GenerateDeviceNameListURL: generateDeviceNameListUrl,
	CreateOTAFirmware: createOtaFirmware,
};
