import {
	FIRMWARE_DESC_MAX,
	FIRMWARE_NAME_CHARS,
	FIRMWARE_NAME_FIRST_CHARS,
	FIRMWARE_NAME_MAX,
	platformLength,
	SIGN_HEX_DIGITS,
	VERSION_CHARS,
	VERSION_MAX,
} from '../core/otaFacts';
import type { RpcParams } from './popSignature';
import { businessErrors } from './rpcErrors';

/**
 * CreateOTAFirmware's documented field rules (docs/protocols.md §4.2, §13.1), checked as the platform checks them. The
 * charsets and limits are core's facts; the checks and the answers are the sandbox's own. FirmwareName and
 * FirmwareDesc get the iot.firmware.* codes documented for the same rules (§11.10), as in ModifyOTAFirmware.
 */

export interface CreateFirmwareParams {
	firmwareName: string;
	destVersion: string;
	srcVersion?: string;
	productKey: string;
	/** Undefined for a multi-file package (MultiFiles.N). */
	firmwareUrl?: string;
	firmwareSign?: string;
	signMethod: 'MD5' | 'SHA256';
	firmwareSize?: number;
	moduleName: string;
	type: 0 | 1;
	firmwareDesc?: string;
	needToVerify: boolean;
}

const FIRMWARE_NAME = new RegExp(`^[${FIRMWARE_NAME_FIRST_CHARS}][${FIRMWARE_NAME_CHARS}]*$`, 'u');
const VERSION = new RegExp(`^[${VERSION_CHARS}]{1,${VERSION_MAX}}$`);
const HEX = /^[0-9a-fA-F]+$/;
const VERSION_RULE = `use 1–${VERSION_MAX} characters of letters, digits, periods (.), hyphens (-) and underscores (_).`;

function optional(params: RpcParams, name: string): string | undefined {
	const value = params[name];
	return value === undefined || value === '' ? undefined : value;
}

/** ModuleName (CreateOTAModule, ListOTAModuleVersionsByDevice, CreateOTAFirmware): the version charset and length. */
export function isModuleName(name: string): boolean {
	return VERSION.test(name);
}

/** FirmwareName: 1–40 letters, digits, CJK characters, `-`, `_`, `()`, not starting with a symbol (docs/protocols.md §13.1). */
export function isFirmwareName(name: string): boolean {
	return platformLength(name) <= FIRMWARE_NAME_MAX && FIRMWARE_NAME.test(name);
}

export function parseCreateFirmware(params: RpcParams): CreateFirmwareParams {
	const firmwareName = params.FirmwareName ?? '';
	if (!isFirmwareName(firmwareName)) {
		throw businessErrors.incorrectFirmwareName();
	}
	const destVersion = params.DestVersion ?? '';
	if (!VERSION.test(destVersion)) {
		throw businessErrors.invalidParameter('DestVersion', VERSION_RULE);
	}
	const typeText = optional(params, 'Type') ?? '0';
	if (typeText !== '0' && typeText !== '1') {
		throw businessErrors.invalidParameter('Type', 'must be 0 (full package) or 1 (delta package).');
	}
	const type = typeText === '1' ? 1 : 0;
	const srcVersion = optional(params, 'SrcVersion');
	if (srcVersion !== undefined && !VERSION.test(srcVersion)) {
		throw businessErrors.invalidParameter('SrcVersion', VERSION_RULE);
	}
	if (type === 1 && srcVersion === undefined) {
		throw businessErrors.invalidParameter('SrcVersion', 'is required for a delta package (Type=1).');
	}
	if (type === 1 && srcVersion === destVersion) {
		throw businessErrors.invalidParameter('SrcVersion', 'must differ from DestVersion for a delta package.');
	}
	const signMethodText = (optional(params, 'SignMethod') ?? 'MD5').toUpperCase();
	if (signMethodText !== 'MD5' && signMethodText !== 'SHA256') {
		throw businessErrors.invalidParameter('SignMethod', 'must be MD5 or SHA256.');
	}
	const signMethod = signMethodText;
	const firmwareSign = optional(params, 'FirmwareSign');
	if (firmwareSign !== undefined && (!HEX.test(firmwareSign) || firmwareSign.length !== SIGN_HEX_DIGITS[signMethod])) {
		throw businessErrors.invalidParameter(
			'FirmwareSign',
			`must be the ${SIGN_HEX_DIGITS[signMethod]}-digit hex ${signMethod} of the file.`,
		);
	}
	const sizeText = optional(params, 'FirmwareSize');
	if (sizeText !== undefined && !/^\d{1,15}$/.test(sizeText)) {
		throw businessErrors.invalidParameter('FirmwareSize', 'must be a non-negative integer number of bytes.');
	}
	const moduleName = optional(params, 'ModuleName') ?? 'default';
	if (!VERSION.test(moduleName)) {
		throw businessErrors.invalidParameter('ModuleName', VERSION_RULE);
	}
	const firmwareDesc = optional(params, 'FirmwareDesc');
	if (firmwareDesc !== undefined && platformLength(firmwareDesc) > FIRMWARE_DESC_MAX) {
		throw businessErrors.firmwareDescTooLong();
	}
	const needToVerifyText = (optional(params, 'NeedToVerify') ?? 'true').toLowerCase();
	if (needToVerifyText !== 'true' && needToVerifyText !== 'false') {
		throw businessErrors.invalidParameter('NeedToVerify', 'must be true or false.');
	}
	const productKey = optional(params, 'ProductKey');
	if (productKey === undefined) {
		throw businessErrors.nullProductKey();
	}
	const firmwareUrl = optional(params, 'FirmwareUrl');
	const multiFile = Object.keys(params).some((name) => name.startsWith('MultiFiles.'));
	if (multiFile && (firmwareUrl ?? firmwareSign ?? sizeText) !== undefined) {
		throw businessErrors.invalidParameter('MultiFiles', 'a multi-file package takes no FirmwareUrl, FirmwareSign or FirmwareSize.');
	}
	if (firmwareUrl === undefined && !multiFile) {
		throw businessErrors.firmwareUrlInvalid(
			'FirmwareUrl is required for a single-file package; use the one GenerateOTAUploadURL returned.',
		);
	}
	return {
		firmwareName,
		destVersion,
		srcVersion,
		productKey,
		firmwareUrl,
		firmwareSign: firmwareSign?.toLowerCase(),
		signMethod,
		firmwareSize: sizeText === undefined ? undefined : Number(sizeText),
		moduleName,
		type,
		firmwareDesc,
		needToVerify: needToVerifyText === 'true',
	};
}
