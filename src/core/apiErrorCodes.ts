// The platform's error codes that code outside the core's client compares with, in a module of its own that imports
// nothing: the extension's activation may load it (the client's error mapping, iot/popErrors.ts, and pop-core may not).

/** The platform's answer for a FirmwareId it does not know (docs/protocols.md §5.2): the package is not there. */
export const FIRMWARE_NOT_FOUND = 'iot.ota.FirmwareNotFound';
/** The platform's answer for a JobId it does not know, also a job of another instance (docs/protocols.md §11.10). */
export const JOB_NOT_FOUND = 'iot.ota.InvalidJobId';
/** The platform's answer for an AccessKey ID it does not know (docs/protocols.md §5.1). */
export const ACCESS_KEY_NOT_FOUND = 'InvalidAccessKeyId.NotFound';
