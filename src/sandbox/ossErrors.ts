/**
 * OSS error responses as the real service sends them: an XML <Error> with Code,
 * Message, RequestId, HostId and, where the EC is documented, EC + RecommendDoc.
 */

export class OssError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly ec?: string,
		readonly extra: Readonly<Record<string, string>> = {},
	) {
		super(message);
		this.name = 'OssError';
	}
}

/** Escapes element text (quotes stay literal, as in OSS's own messages). */
export function escapeXml(text: string): string {
	return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);
}

export function ossErrorXml(error: OssError, requestId: string, hostId: string): string {
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<Error>',
		`  <Code>${escapeXml(error.code)}</Code>`,
		`  <Message>${escapeXml(error.message)}</Message>`,
		`  <RequestId>${requestId}</RequestId>`,
		`  <HostId>${escapeXml(hostId)}</HostId>`,
		...Object.entries(error.extra).map(([name, value]) => `  <${name}>${escapeXml(value)}</${name}>`),
	];
	if (error.ec) {
		lines.push(`  <EC>${error.ec}</EC>`, `  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=${error.ec}</RecommendDoc>`);
	}
	lines.push('</Error>', '');
	return lines.join('\n');
}

const fieldOrderHint = 'If it is specified, please check the order of the fields';

export const ossErrors = {
	notMultipart: () => new OssError(400, 'RequestIsNotMultiPartContent', 'Bucket POST must be of the enclosure-type multipart/form-data.'),
	malformedPost: () => new OssError(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.'),
	missingField: (name: string, ec?: string) =>
		new OssError(400, 'InvalidArgument', `The bucket POST must contain the specified '${name}'. ${fieldOrderHint}`, ec, {
			ArgumentName: name,
		}),
	preDataTooLong: () =>
		new OssError(400, 'MaxPOSTPreDataLengthExceeded', 'Your POST request fields preceding the upload file was too large.'),
	requestTimeout: () =>
		new OssError(
			400,
			'RequestTimeout',
			'Your socket connection to the server was not read from or written to within the timeout period.',
		),
	wrongFileCount: () => new OssError(400, 'IncorrectNumberOfFilesInPOSTRequest', 'POST requires exactly one file upload per request.'),
	fieldTooLong: () => new OssError(400, 'FieldItemTooLong', 'Your name of form field is too long.'),
	invalidKey: (key: string) =>
		new OssError(
			400,
			'InvalidArgument',
			'The object name is not valid: it must be a relative path without "." or ".." segments, backslashes or NUL.',
			undefined,
			{
				ArgumentName: 'key',
				ArgumentValue: key,
			},
		),
	invalidPolicy: (detail: string, ec = '0006-00000201') => new OssError(400, 'InvalidPolicyDocument', `Invalid Policy: ${detail}`, ec),
	unknownAccessKey: (accessKeyId: string) =>
		new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', '0002-00000902', {
			OSSAccessKeyId: accessKeyId,
		}),
	signatureMismatch: () =>
		new OssError(
			403,
			'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
			'0002-00000705',
		),
	policyExpired: () => new OssError(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.', '0006-00000213'),
	conditionFailed: (rendered: string) =>
		new OssError(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${rendered}`, '0006-00000227'),
	tooLarge: () => new OssError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', '0006-00000003'),
	tooSmall: () => new OssError(400, 'EntityTooSmall', 'Your proposed upload smaller than the minimum allowed size.', '0006-00000004'),
	anonymousDenied: () =>
		new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.', '0003-00000001'),
	urlExpired: (expires: number, serverTime: number) =>
		new OssError(403, 'AccessDenied', 'Request has expired.', '0002-00000069', {
			Expires: new Date(expires * 1000).toISOString(),
			ServerTime: new Date(serverTime * 1000).toISOString(),
		}),
	invalidExpires: () => new OssError(400, 'InvalidArgument', 'Expires should be a UNIX timestamp in seconds.', '0002-00000070'),
	noSuchKey: (key: string) => new OssError(404, 'NoSuchKey', 'The specified key does not exist.', undefined, { Key: key }),
	invalidRange: (size: number) =>
		new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied', undefined, { ActualObjectSize: String(size) }),
	methodNotAllowed: () => new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'),
	injected: (status: number, code?: string, message?: string) =>
		new OssError(
			status,
			code ?? (status === 503 ? 'ServiceUnavailable' : 'InternalError'),
			message ?? 'Please try again later (fault injected by the sandbox).',
		),
};
