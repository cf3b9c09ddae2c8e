// A CreateOTAFirmware field that breaks its rule, worded in the window's language from the core's reason values
// (field, and the value when the core echoes it); the rules' limits come from the core's facts (core/otaFacts.ts).
import type { l10n } from 'vscode';
import type { MessageReason } from '../../core/errors';
import { formatCount } from '../../core/format';
import { FIRMWARE_DESC_MAX, FIRMWARE_NAME_MAX, PRODUCT_KEY_MAX, SIGN_HEX_DIGITS, VERSION_MAX } from '../../core/otaFacts';
import { MAX_FIRMWARE_BYTES } from '../../core/types';
import { FIELD_REASONS, type CreateFirmwareField } from '../../core/upload/createFirmwareRules';
import type { Translator } from '../upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const RULES: Record<CreateFirmwareField, (l10n: Translator) => string> = {
	FirmwareName: (l10n) =>
		l10n.t(
			'1–{0} characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character',
			FIRMWARE_NAME_MAX,
		),
	DestVersion: (l10n) => l10n.t('1–{0} characters: letters, digits, ".", "_" and "-"', VERSION_MAX),
	SrcVersion: (l10n) =>
		l10n.t(
			'1–{0} characters: letters, digits, ".", "_" and "-"; required for a delta package (Type 1) and different from DestVersion',
			VERSION_MAX,
		),
	ModuleName: (l10n) => l10n.t('1–{0} characters: letters, digits, ".", "_" and "-"', VERSION_MAX),
	ProductKey: (l10n) => l10n.t('a product key of 1–{0} letters and digits', PRODUCT_KEY_MAX),
	FirmwareUrl: (l10n) =>
		l10n.t(
			'the FirmwareUrl returned by GenerateOTAUploadURL (https://; http:// only from the local sandbox or an endpoint allowed to be insecure)',
		),
	FirmwareDesc: (l10n) => l10n.t('at most {0} characters', FIRMWARE_DESC_MAX),
	SignMethod: (l10n) => l10n.t('"MD5" or "SHA256"'),
	FirmwareSign: (l10n) => l10n.t('a hex digest: {0} hex digits for MD5, {1} for SHA256', SIGN_HEX_DIGITS.MD5, SIGN_HEX_DIGITS.SHA256),
	FirmwareSize: (l10n) => l10n.t('a whole number of bytes from 1 to {0}', formatCount(MAX_FIRMWARE_BYTES)),
	Type: (l10n) => l10n.t('0 (full package) or 1 (delta package)'),
};

/** "Invalid DestVersion "1 0": must be 1–64 characters: …" (the core's invalidFieldMessage with its own rule). */
export function fieldRuleText(values: MessageReason['values'], l10n: Translator): string {
	const field = values.field as CreateFirmwareField;
	const rule = RULES[field](l10n);
	const { value } = values;
	return value === undefined
		? l10n.t('Invalid {0}: must be {1}.', field, rule)
		: typeof value === 'string'
			? l10n.t('Invalid {0} "{1}": must be {2}.', field, value, rule)
			: l10n.t('Invalid {0} {1}: must be {2}.', field, value, rule);
}

/** The rules whose message says more than the field's rule, by the core's reason code (FIELD_REASONS). */
export const FIELD_REASON_TEXTS: Readonly<Record<string, (values: MessageReason['values'], l10n: Translator) => string>> = {
	[FIELD_REASONS.srcVersionRequired]: (v, l10n) => l10n.t('Invalid {0}: is required for a delta package (Type 1).', v.field),
	[FIELD_REASONS.srcVersionSame]: (v, l10n) =>
		l10n.t('Invalid {0} "{1}": must differ from DestVersion for a delta package (Type 1).', v.field, v.value),
	[FIELD_REASONS.descLength]: (v, l10n) =>
		l10n.t('Invalid {0}: must be {1} (got {2}).', v.field, RULES[v.field as CreateFirmwareField](l10n), v.got),
};

/** The fields this module words (the test compares them with the core's FIELD_RULES). */
export const WORDED_FIELDS: readonly string[] = Object.keys(RULES);
