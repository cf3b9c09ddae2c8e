import type { RpcParams } from './popSignature';
import { businessErrors } from './rpcErrors';

/** CreateOTAFirmware's documented field rules (docs/protocols.md §4.2), as the platform enforces them. */

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

const NAME_CHAR = 'A-Za-z0-9\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const FIRMWARE_NAME = new RegExp(`^[${NAME_CHAR}][${NAME_CHAR}_\\-()]*$`, 'u');
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const HEX = /^[0-9a-fA-F]+$/;

function codePoints(text: string): number {
	return [...text].length;
}

function optional(params: RpcParams, name: string): string | undefined {
	const value = params[name];
	return value === undefined || value === '' ? undefined : value;
}

/** FirmwareName: 1–40 letters, digits, CJK characters, `-`, `_`, `()`, not starting with a symbol. */
export function isFirmwareName(name: string): boolean {
	return codePoints(name) <= 40 && FIRMWARE_NAME.test(name);
}

export function parseCreateFirmware(params: RpcParams): CreateFirmwareParams {
	const firmwareName = params.FirmwareName ?? '';
	if (!isFirmwareName(firmwareName)) {
		throw businessErrors.invalidParameter(
			'FirmwareName',
			'use 1–40 letters, digits, CJK characters, hyphens (-), underscores (_) and parentheses, starting with a letter, digit or CJK character.',
		);
	}
	const destVersion = params.DestVersion ?? '';
	if (!VERSION.test(destVersion)) {
		throw businessErrors.invalidParameter(
			'DestVersion',
			'use 1–64 characters of letters, digits, periods (.), hyphens (-) and underscores (_).',
		);
	}
	const typeText = optional(params, 'Type') ?? '0';
	if (typeText !== '0' && typeText !== '1') {
		throw businessErrors.invalidParameter('Type', 'must be 0 (full package) or 1 (delta package).');
	}
	const type = typeText === '1' ? 1 : 0;
	const srcVersion = optional(params, 'SrcVersion');
	if (srcVersion !== undefined && !VERSION.test(srcVersion)) {
		throw businessErrors.invalidParameter(
			'SrcVersion',
			'use 1–64 characters of letters, digits, periods (.), hyphens (-) and underscores (_).',
		);
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
	if (firmwareSign !== undefined && (!HEX.test(firmwareSign) || firmwareSign.length !== (signMethod === 'MD5' ? 32 : 64))) {
		throw businessErrors.invalidParameter(
			'FirmwareSign',
			`must be the ${signMethod === 'MD5' ? '32' : '64'}-digit hex ${signMethod} of the file.`,
		);
	}
	const sizeText = optional(params, 'FirmwareSize');
	if (sizeText !== undefined && !/^\d{1,15}$/.test(sizeText)) {
		throw businessErrors.invalidParameter('FirmwareSize', 'must be a non-negative integer number of bytes.');
	}
	const moduleName = optional(params, 'ModuleName') ?? 'default';
	if (!VERSION.test(moduleName)) {
		throw businessErrors.invalidParameter(
			'ModuleName',
			'use 1–64 characters of letters, digits, periods (.), hyphens (-) and underscores (_).',
		);
	}
	const firmwareDesc = optional(params, 'FirmwareDesc');
	if (firmwareDesc !== undefined && codePoints(firmwareDesc) > 100) {
		throw businessErrors.invalidParameter('FirmwareDesc', 'must be at most 100 characters.');
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
