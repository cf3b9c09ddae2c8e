// The platform's error codes that code outside the core's client compares with, in a module of its own that imports
// nothing: the extension's activation may load it (the client's error mapping, iot/popErrors.ts, and pop-core may not).

/** The platform's answer for a FirmwareId it does not know (docs/protocols.md §5.2): the package is not there. */
export const FIRMWARE_NOT_FOUND = 'iot.ota.FirmwareNotFound';
/** The platform's answer for a JobId it does not know, also a job of another instance (docs/protocols.md §11.10). */
export const JOB_NOT_FOUND = 'iot.ota.InvalidJobId';
/** The platform's answer for an AccessKey ID it does not know (docs/protocols.md §5.1). */
export const ACCESS_KEY_NOT_FOUND = 'InvalidAccessKeyId.NotFound';
/**
 * CreateOTAFirmware's answers for a FirmwareUrl with no upload behind it (never uploaded with a ticket, or deleted after
 * the registration window) and for a FirmwareSign or FirmwareSize other than the stored object's: the sandbox's names,
 * the sources document none (docs/protocols.md §8, §13.9).
 */
export const FIRMWARE_URL_INVALID = 'iot.ota.InvalidFirmwareUrl';
export const FIRMWARE_SIGN_MISMATCH = 'iot.ota.FirmwareSignNotMatch';
export const FIRMWARE_SIZE_MISMATCH = 'iot.ota.FirmwareSizeNotMatch';

/**
 * Gateway codes that say the key pair itself is wrong (signature, AccessKey ID, STS token; docs/protocols.md §5.1): new or
 * corrected credentials fix them. The CLI gives them the credentials exit code; the extension offers Configure Credentials.
 */
const CREDENTIAL_CODES =
	/^(SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId(\..+)?|InvalidSecurityToken(\..+)?|MissingSecurityToken)$/i;

export function isCredentialCode(code: string): boolean {
	return CREDENTIAL_CODES.test(code);
}

/**
 * Codes that say the key lacks a permission (RAM; docs/protocols.md §5.1, and §5.2's iot.common.…PermissionDeny): another
 * key, or a policy granted to this one, fixes them.
 */
export const PERMISSION_CODES = /^(Forbidden\.RAM|NoPermission|Forbidden)$|PermissionDeny$/i;
