/**
 * The two kinds of IoT API failures:
 *  - gateway (POP) errors: HTTP 4xx/5xx with {RequestId, HostId, Code, Message, Recommend};
 *  - business errors: HTTP 400 with {RequestId, Success:false, Code:'iot.…', ErrorMessage}: the status the API
 *    reference's error tables give every documented business code (docs/protocols.md §5.2, §8).
 */

export class GatewayError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = 'GatewayError';
	}
}

export class BusinessError extends Error {
	/** Every business code family (iot.ota, iot.firmware, iot.prod, iot.device, iot.common, iot.system, Missing…) is 400. */
	readonly status = 400;

	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = 'BusinessError';
	}
}

export function gatewayErrorBody(error: GatewayError, requestId: string, hostId: string): Record<string, string> {
	return {
		RequestId: requestId,
		HostId: hostId,
		Code: error.code,
		Message: error.message,
		Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Iot&requestId=${requestId}`,
	};
}

export function businessErrorBody(error: BusinessError, requestId: string): Record<string, unknown> {
	return { RequestId: requestId, Success: false, Code: error.code, ErrorMessage: error.message };
}

export const gatewayErrors = {
	missing: (name: string) => new GatewayError(400, `Missing${name}`, `${name} is mandatory for this action.`),
	invalidFormat: () => new GatewayError(400, 'InvalidParameter.Format', 'Specified parameter format is not valid.'),
	invalidVersion: () => new GatewayError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
	actionNotFound: () => new GatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
	signatureMethod: () => new GatewayError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.'),
	signatureVersion: () => new GatewayError(400, 'InvalidSignatureVersion', 'Specified signature version is not valid.'),
	timestampFormat: () => new GatewayError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
	timestampExpired: () => new GatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
	accessKeyNotFound: () => new GatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
	missingSecurityToken: () => new GatewayError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.'),
	tokenMismatch: () =>
		new GatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
	signatureMismatch: (stringToSign: string) =>
		new GatewayError(
			400,
			'SignatureDoesNotMatch',
			`Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
		),
	/** A Signature that cannot be an HMAC-SHA1 at all (not the base64 of 20 bytes): docs/protocols.md §5.1, §8. */
	incompleteSignature: (stringToSign: string) =>
		new GatewayError(
			400,
			'IncompleteSignature',
			`The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}`,
		),
	nonceUsed: () => new GatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
	throttled: () => new GatewayError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
	injected: (status: number, code?: string, message?: string) =>
		new GatewayError(
			status,
			code ?? (status === 503 ? 'ServiceUnavailable' : 'InternalError'),
			message ?? 'The request processing has failed due to some unknown error (fault injected by the sandbox).',
		),
};

/**
 * Business error codes. The documented ones are listed in docs/protocols.md §11.10; the
 * others (InvalidFirmwareUrl, FirmwareSignNotMatch, FirmwareSizeNotMatch, FirmwareExceedLimit) are the
 * sandbox's own names for checks the platform performs with undocumented codes (§11.9).
 */
export const businessErrors = {
	instanceNotFound: () => new BusinessError('iot.system.InstanceNotFound', 'The specified instance does not exist.'),
	invalidParameter: (name: string, rule: string) =>
		new BusinessError('iot.check.InvalidFormattedParameter', `The ${name} parameter is invalid: ${rule}`),
	invalidPage: (rule: string) => new BusinessError('iot.common.InvalidPageParams', `Invalid paging parameters: ${rule}`),
	nullProductKey: () => new BusinessError('iot.prod.NullProductKey', 'The ProductKey parameter cannot be empty.'),
	productNotFound: () => new BusinessError('iot.prod.NotExistedProduct', 'The specified product does not exist.'),
	firmwareNotFound: () => new BusinessError('iot.ota.FirmwareNotFound', 'The specified firmware does not exist.'),
	firmwareUrlInvalid: (why: string) => new BusinessError('iot.ota.InvalidFirmwareUrl', `The FirmwareUrl is invalid: ${why}`),
	signMismatch: () => new BusinessError('iot.ota.FirmwareSignNotMatch', 'The FirmwareSign does not match the uploaded file.'),
	sizeMismatch: () => new BusinessError('iot.ota.FirmwareSizeNotMatch', 'The FirmwareSize does not match the uploaded file.'),
	firmwareLimit: (max: number) =>
		new BusinessError('iot.ota.FirmwareExceedLimit', `The instance already has the maximum of ${max} OTA update packages.`),
	// Documented codes and messages (docs/protocols.md §11.10).
	invalidTimeout: () => new BusinessError('iot.ota.InvalidTimeout', 'Parameter TimeoutInMinutes is invalid.'),
	invalidMaximumPerMinute: () => new BusinessError('iot.ota.InvalidMaximumPerMinute', 'Invalid MaximumPerMinute.'),
	jobTagTooLong: () => new BusinessError('iot.ota.JobTagIsTooLong', 'The tags of job exceed the maximum number of characters.'),
	emptySrcVersionList: () => new BusinessError('iot.ota.EmptySrcVersionList', 'The SrcVersion list is empty.'),
	tooManyTasks: () => new BusinessError('iot.ota.TooManyOtaTask', 'There are too many tasks in parameters.'),
	invalidTaskStatus: () => new BusinessError('iot.firmware.InvalidTaskStatus', 'Invalid TaskStatus.'),
	emptyDeviceInfo: () => new BusinessError('iot.ota.EmptyDeviceInfoParams', 'the device info in params is empty'),
	invalidModuleName: () => new BusinessError('iot.ota.InvalidOtaModuleName', 'the format of module name is invalid.'),
	incorrectFirmwareName: () =>
		new BusinessError('iot.firmware.IncorrectFormattedFirmwareName', 'The format of the OTA update package name is invalid.'),
	firmwareNameTaken: () => new BusinessError('iot.firmware.AlreadyExistedFirmwareName', 'The OTA update package already exists.'),
	firmwareDescTooLong: () =>
		new BusinessError('iot.firmware.FirmwareDescExceedLimit', 'The description of the firmware is longer than the limit.'),
	firmwareUdiTooLong: () => new BusinessError('iot.firmware.FirmwareUdiExceedLimit', 'The UDI of the firmware is longer than the limit.'),
};
