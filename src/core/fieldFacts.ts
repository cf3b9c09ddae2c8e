/**
 * What CreateOTAFirmware accepts, as documented (docs/protocols.md §4.3 "Field rules"). Facts only: the client
 * (upload/createFirmwareRules.ts) and the sandbox (sandbox/firmwareRules.ts) each build their own check from them,
 * so the two cannot disagree on a charset or a limit, while the sandbox still judges requests as the cloud does.
 * Character classes are regex class bodies for the `u` flag.
 */

/**
 * The first character of a FirmwareName: ASCII letters and digits (full-width forms are refused), Chinese (Han) and
 * Japanese (kana) characters, including the prolonged-sound marks ー and ｰ, which Unicode files under Common.
 */
export const FIRMWARE_NAME_FIRST_CHARS = 'A-Za-z0-9\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30FC\\uFF70';
/** Every later character: the same plus the half-width hyphen, underscore and parentheses. */
export const FIRMWARE_NAME_CHARS = `${FIRMWARE_NAME_FIRST_CHARS}\\-_()`;
export const FIRMWARE_NAME_MAX = 40;

/** DestVersion, SrcVersion and ModuleName. */
export const VERSION_CHARS = 'A-Za-z0-9._\\-';
export const VERSION_MAX = 64;

export const FIRMWARE_DESC_MAX = 100;

/**
 * A text's length as the platform counts it: one per UTF-16 code unit. A Chinese or Japanese character counts one
 * (as documented); a character outside the Basic Multilingual Plane counts two, the stricter reading where the
 * sources are silent (docs/protocols.md §4.3).
 */
export function platformLength(text: string): number {
	return text.length;
}
