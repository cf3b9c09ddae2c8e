import { OtaError } from '../errors';
import { firmwareUrlProblem } from '../firmwareUrl';
import {
	FIRMWARE_DESC_MAX,
	FIRMWARE_NAME_CHARS,
	FIRMWARE_NAME_FIRST_CHARS,
	FIRMWARE_NAME_MAX,
	platformLength,
	PRODUCT_KEY_CHARS,
	PRODUCT_KEY_MAX,
	SIGN_HEX_DIGITS,
	VERSION_CHARS,
	VERSION_MAX,
} from '../otaFacts';
import { formatCount } from '../format';
import { MAX_FIRMWARE_BYTES, type CreateFirmwareRequest, type PackageFileEntry, type SignMethod } from '../types';
import { validatePackageFiles } from './packageFileRules';

export type CreateFirmwareField =
	| 'FirmwareName'
	| 'DestVersion'
	| 'SrcVersion'
	| 'ModuleName'
	| 'ProductKey'
	| 'FirmwareUrl'
	| 'FirmwareDesc'
	| 'SignMethod'
	| 'FirmwareSign'
	| 'FirmwareSize'
	| 'Type';

/** What each CreateOTAFirmware field allows, phrased for the user (docs/protocols.md §4.2, §13.1). */
export const FIELD_RULES: Readonly<Record<CreateFirmwareField, string>> = {
	FirmwareName: `1–${FIRMWARE_NAME_MAX} characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character`,
	DestVersion: `1–${VERSION_MAX} characters: letters, digits, ".", "_" and "-"`,
	SrcVersion: `1–${VERSION_MAX} characters: letters, digits, ".", "_" and "-"; required for a delta package (Type 1) and different from DestVersion`,
	ModuleName: `1–${VERSION_MAX} characters: letters, digits, ".", "_" and "-"`,
	ProductKey: `a product key of 1–${PRODUCT_KEY_MAX} letters and digits`,
	FirmwareUrl:
		'the FirmwareUrl returned by GenerateOTAUploadURL (https://; http:// only from the local sandbox or an endpoint allowed to be insecure)',
	FirmwareDesc: `at most ${FIRMWARE_DESC_MAX} characters`,
	SignMethod: '"MD5" or "SHA256"',
	FirmwareSign: `a hex digest: ${SIGN_HEX_DIGITS.MD5} hex digits for MD5, ${SIGN_HEX_DIGITS.SHA256} for SHA256`,
	FirmwareSize: `a whole number of bytes from 1 to ${formatCount(MAX_FIRMWARE_BYTES)}`,
	Type: '0 (full package) or 1 (delta package)',
};

/** The value as a message echoes it: a string of at most 120 characters or a number; undefined when not echoed. */
function echoed(value: unknown): string | number | undefined {
	return (typeof value === 'string' && value.length <= 120) || typeof value === 'number' ? value : undefined;
}

/** "Invalid DestVersion "1 0": must be 1–64 characters: …" — `value` omitted when it is too long to echo. */
export function invalidFieldMessage(field: CreateFirmwareField, value: unknown, reason?: string): string {
	const shown = echoed(value);
	const quoted = typeof shown === 'string' ? ` "${shown}"` : shown === undefined ? '' : ` ${shown}`;
	return `Invalid ${field}${quoted}: ${reason ?? `must be ${FIELD_RULES[field]}`}.`;
}

/** The reason code of a field that breaks its rule of FIELD_RULES (values: field, and value when echoed). */
export const FIELD_RULE_REASON = 'field-rule';

/**
 * The reason codes of the rules whose message says more than FIELD_RULES (values: field, value when echoed, `got` for
 * a length): a shell words them by these codes, as it words FIELD_RULE_REASON.
 */
export const FIELD_REASONS = {
	/** "Invalid SrcVersion: is required for a delta package (Type 1)." */
	srcVersionRequired: 'src-version-required',
	/** "Invalid SrcVersion "1.0.0": must differ from DestVersion for a delta package (Type 1)." */
	srcVersionSame: 'src-version-same',
	/** "Invalid FirmwareDesc: must be at most 100 characters (got 101)." */
	descLength: 'desc-length',
} as const;

type FieldReason = (typeof FIELD_REASONS)[keyof typeof FIELD_REASONS];

function invalid(field: CreateFirmwareField, value: unknown, reason?: { text: string; code?: FieldReason; got?: number }): OtaError {
	const shown = echoed(value);
	const values = { field, ...(shown === undefined ? {} : { value: shown }) };
	return new OtaError({
		code: `Invalid${field}`,
		source: 'validation',
		message: invalidFieldMessage(field, value, reason?.text),
		reason:
			reason === undefined
				? { code: FIELD_RULE_REASON, values }
				: reason.code
					? { code: reason.code, values: reason.got === undefined ? values : { ...values, got: reason.got } }
					: undefined,
	});
}

const FIRMWARE_NAME = new RegExp(`^[${FIRMWARE_NAME_FIRST_CHARS}][${FIRMWARE_NAME_CHARS}]*$`, 'u');
const VERSION_LIKE = new RegExp(`^[${VERSION_CHARS}]{1,${VERSION_MAX}}$`);
const PRODUCT_KEY = new RegExp(`^[${PRODUCT_KEY_CHARS}]{1,${PRODUCT_KEY_MAX}}$`);
const HEX = /^[0-9a-fA-F]+$/;

export function isProductKey(value: unknown): value is string {
	return typeof value === 'string' && PRODUCT_KEY.test(value);
}

/** DestVersion, SrcVersion and ModuleName share this rule. */
export function isOtaVersion(value: unknown): value is string {
	return typeof value === 'string' && VERSION_LIKE.test(value);
}

export function isFirmwareName(value: unknown): value is string {
	return typeof value === 'string' && platformLength(value) <= FIRMWARE_NAME_MAX && FIRMWARE_NAME.test(value);
}

/** Checks a CreateOTAFirmware request locally; throws OtaError(validation, 'Invalid<Field>') on the first broken rule. */
export function validateCreateFirmware(req: CreateFirmwareRequest): void {
	if (!isFirmwareName(req.firmwareName)) {
		throw invalid('FirmwareName', req.firmwareName);
	}
	if (typeof req.destVersion !== 'string' || !VERSION_LIKE.test(req.destVersion)) {
		throw invalid('DestVersion', req.destVersion);
	}
	const type = req.type ?? 0;
	if (type !== 0 && type !== 1) {
		throw invalid('Type', req.type);
	}
	if (req.srcVersion === undefined || req.srcVersion === '') {
		if (type === 1) {
			throw invalid('SrcVersion', undefined, {
				text: 'is required for a delta package (Type 1)',
				code: FIELD_REASONS.srcVersionRequired,
			});
		}
	} else if (!VERSION_LIKE.test(req.srcVersion)) {
		throw invalid('SrcVersion', req.srcVersion);
	} else if (type === 1 && req.srcVersion === req.destVersion) {
		throw invalid('SrcVersion', req.srcVersion, {
			text: 'must differ from DestVersion for a delta package (Type 1)',
			code: FIELD_REASONS.srcVersionSame,
		});
	}
	if (req.moduleName !== undefined && !VERSION_LIKE.test(req.moduleName)) {
		throw invalid('ModuleName', req.moduleName);
	}
	if (!isProductKey(req.productKey)) {
		throw invalid('ProductKey', req.productKey);
	}
	if (req.multiFiles === undefined && firmwareUrlProblem(req.firmwareUrl) !== undefined) {
		// Not echoed when it holds characters a terminal could interpret.
		throw invalid('FirmwareUrl', /^[\x20-\x7e]*$/.test(String(req.firmwareUrl)) ? req.firmwareUrl : undefined);
	}
	if (req.firmwareDesc !== undefined && platformLength(req.firmwareDesc) > FIRMWARE_DESC_MAX) {
		const got = platformLength(req.firmwareDesc);
		throw invalid('FirmwareDesc', undefined, {
			text: `must be ${FIELD_RULES.FirmwareDesc} (got ${got})`,
			code: FIELD_REASONS.descLength,
			got,
		});
	}
	const signMethod = req.signMethod ?? 'MD5';
	if (signMethod !== 'MD5' && signMethod !== 'SHA256') {
		throw invalid('SignMethod', req.signMethod);
	}
	if (req.firmwareSign !== undefined) {
		const expected = SIGN_HEX_DIGITS[signMethod];
		if (!HEX.test(req.firmwareSign) || req.firmwareSign.length !== expected) {
			throw invalid('FirmwareSign', req.firmwareSign, { text: `must be ${expected} hex digits for SignMethod ${signMethod}` });
		}
	}
	if (req.firmwareSize !== undefined) {
		const size = req.firmwareSize;
		if (!Number.isInteger(size) || size < 1 || size > MAX_FIRMWARE_BYTES) {
			throw invalid('FirmwareSize', size);
		}
	}
	if (req.multiFiles !== undefined) {
		validateMultiFilePackage(req, req.multiFiles, signMethod);
	}
}

/** A multi-file package: its files by their rules, and none of the single-file fields (docs/protocols.md §11.4). */
function validateMultiFilePackage(req: CreateFirmwareRequest, files: readonly PackageFileEntry[], signMethod: SignMethod): void {
	const single = (['firmwareUrl', 'firmwareSign', 'firmwareSize'] as const).filter((field) => req[field] !== undefined);
	if (single.length > 0) {
		throw new OtaError({
			code: 'InvalidMultiFiles',
			source: 'validation',
			message: `A multi-file package takes no ${single.map((field) => field.charAt(0).toUpperCase() + field.slice(1)).join(', ')}: each file's URL, size and digest go in MultiFiles.N.`,
		});
	}
	validatePackageFiles(files, signMethod);
}
