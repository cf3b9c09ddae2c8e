/**
 * What the platform documents about uploading and registering a package (docs/protocols.md §4.1, §4.2, §13). Facts only:
 * the client and the sandbox each build their own checks from them (e.g. upload/createFirmwareRules.ts and
 * sandbox/firmwareRules.ts), so the two cannot disagree on a charset or a limit, while the sandbox still judges
 * requests as the cloud does. Character classes are regex class bodies for the `u` flag.
 */

/** An upload ticket (GenerateOTAUploadURL's policy) is valid for one minute. */
export const TICKET_TTL_MS = 60_000;
/** CreateOTAFirmware must follow the upload within 60 minutes, or the file is deleted. */
export const REGISTER_WINDOW_MS = 60 * 60 * 1000;
/** A device list (GenerateDeviceNameListURL) is cleaned up 60 minutes after its upload (docs/protocols.md §11.6). */
export const DEVICE_LIST_TTL_MS = 60 * 60 * 1000;

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

/** The module every product has: a package without ModuleName is registered in it (docs/protocols.md §4.2, §11.3). */
export const DEFAULT_MODULE = 'default';
/** CreateOTAFirmware refuses a package beyond this many in the instance (docs/protocols.md §11.4). */
export const PACKAGES_PER_INSTANCE = 500;
/** A multi-file package (CreateOTAFirmware MultiFiles.N) holds at most this many files (docs/protocols.md §11.4). */
export const PACKAGE_FILES_MAX = 20;
/** MultiFiles.N.Name: 1 to this many characters, unique within the package (docs/protocols.md §11.4). */
export const PACKAGE_FILE_NAME_MAX = 32;
/** Udi (ModifyOTAFirmware: FirmwareUdi): custom data pushed to devices. */
export const UDI_MAX = 4096;

/** ProductKey: letters and digits; the sources give no length, 64 is assumed as an upper bound. */
export const PRODUCT_KEY_CHARS = 'A-Za-z0-9';
export const PRODUCT_KEY_MAX = 64;

/** FirmwareSign: hex digits, as many as the SignMethod's digest has. */
export const SIGN_HEX_DIGITS = { MD5: 32, SHA256: 64 } as const;

/**
 * A text's length as the platform counts it: one per UTF-16 code unit. A Chinese or Japanese character counts one
 * (as documented); a character outside the Basic Multilingual Plane counts two, the stricter reading where the
 * sources are silent (docs/protocols.md §13.1).
 */
export function platformLength(text: string): number {
	return text.length;
}
