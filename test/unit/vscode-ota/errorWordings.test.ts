// The errors a user of the extension commonly meets (the firmware file, credentials, the upload ticket, timeouts and
// unreachable endpoints, platform refusals, a cancel that left a package registered) are worded by their reasons: in
// English exactly as the core says them to the CLI, in zh-cn with the values in place and the server's words kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CERTIFICATE_UNTRUSTED } from '../../../src/core/certificateTrust';
import { credentialsFromEnv, validateCredentials } from '../../../src/core/credentials';
import {
	CANCELLED_BUT_REGISTERED,
	cancelledButRegistered,
	OtaError,
	PACKAGE_MAY_BE_REGISTERED,
	UPLOAD_FAILED,
} from '../../../src/core/errors';
import { notRegistered, type UploadedPackageFile } from '../../../src/core/flow/multiFileRun';
import { uploadSuffix, type CheckedFirmware } from '../../../src/core/flow/preflight';
import { API_HINTS, fromErrorBody, mapPopError, throttlingHint, type CallContext } from '../../../src/core/iot/popErrors';
import { fileNotReadable, openFailure, openFirmwareFile, parseSuffix } from '../../../src/core/limits';
import { MAX_FIRMWARE_BYTES, type CreateFirmwareRequest } from '../../../src/core/types';
import { finalError } from '../../../src/core/uploader';
import { OSS_HINTS, OSS_REJECTED, ossErrorFromResponse } from '../../../src/core/upload/ossError';
import { TLS_MISCONFIGURED } from '../../../src/core/tlsFailure';
import { timeoutError, transportError } from '../../../src/core/upload/postObject';
import { API_HINT_WORDS, OSS_HINT_WORDS } from '../../../src/vscode/errorWordings';
import { errorReport, errorText } from '../../../src/vscode/errorText';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { validationText } from '../../../src/vscode/validationText';
import { COMMON_REASONS } from './commonReasons';
import { assertEnglishAsCore, thrown, zhL10n } from './wordingHelpers';

const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-wordings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, size: number): string => {
	const p = path.join(dir, name);
	writeFileSync(p, '');
	truncateSync(p, size);
	return p;
};

const ctx: CallContext = { action: 'CreateOTAFirmware', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };
const request: CreateFirmwareRequest = { productKey: 'pk1', firmwareName: 'fw-5', destVersion: '5.0.0', firmwareUrl: 'https://x' };
const uploaded = [{ name: 'spiffs.bin' }, { name: 'modem.bin' }] as UploadedPackageFile[];
const ossXml = (code: string, message: string) =>
	`<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;

/** Each reason produced by the core's own code, some in more than one shape. */
const CASES: Array<[string, () => unknown]> = [
	['file-not-found', () => openFirmwareFile(path.join(dir, 'missing.bin'))],
	[
		'file-broken-link',
		() => {
			symlinkSync(path.join(dir, 'nowhere.bin'), path.join(dir, 'broken.bin'));
			return openFirmwareFile(path.join(dir, 'broken.bin'));
		},
	],
	[
		'file-symlink-loop',
		() => {
			symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
			symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
			return openFirmwareFile(path.join(dir, 'loop-a'));
		},
	],
	[
		'file-directory',
		() => {
			mkdirSync(path.join(dir, 'build'));
			return openFirmwareFile(path.join(dir, 'build'));
		},
	],
	['file-not-regular', async () => Promise.reject(await openFailure(path.join(dir, 'sock'), { code: 'ENXIO' }))],
	['file-unreadable', async () => Promise.reject(await openFailure(path.join(dir, 'secret.bin'), { code: 'EACCES' }))],
	['file-inaccessible', () => Promise.reject(fileNotReadable(path.join(dir, 'fw.bin'), { code: 'EIO' }))],
	['file-empty', () => openFirmwareFile(file('empty.bin', 0))],
	['file-too-large', () => openFirmwareFile(file('huge.bin', MAX_FIRMWARE_BYTES + 1))],
	['file-no-allowed-suffix', () => uploadSuffix({ filePath: path.join(dir, 'firmware') } as CheckedFirmware)],
	['suffix-unsupported', () => parseSuffix('.exe')],
	['env-credentials-incomplete', () => credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample' })],
	['access-key-id-empty', () => validateCredentials({})],
	['access-key-id-spaces', () => validateCredentials({ accessKeyId: 'LTAI x', accessKeySecret: 's' })],
	['access-key-secret-empty', () => validateCredentials({ accessKeyId: 'LTAIx' })],
	['access-key-secret-spaces', () => validateCredentials({ accessKeyId: 'LTAIx', accessKeySecret: 'a b' })],
	['security-token-missing', () => validateCredentials({ accessKeyId: 'STS.x', accessKeySecret: 'secret' })],
	['request-timeout', () => Promise.reject(mapPopError({ name: 'RequestTimeoutError' }, ctx))],
	['endpoint-unreachable', () => Promise.reject(mapPopError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 1.2.3.4:443' }, ctx))],
	[
		'api-failed',
		() => Promise.reject(fromErrorBody({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.' }, 400, ctx)),
	],
	['api-failed', () => Promise.reject(fromErrorBody({ Code: 'Throttling.User', Message: 'Request was denied.' }, 400, ctx))],
	['api-failed', () => Promise.reject(fromErrorBody({ Code: 'iot.prod.NotExistedProduct' }, 200, ctx))],
	['api-failed', () => Promise.reject(fromErrorBody({ Code: 'iot.common.Other', Message: 'Something else' }, 200, ctx))],
	[
		OSS_REJECTED,
		() =>
			Promise.reject(
				ossErrorFromResponse(
					403,
					'Forbidden',
					ossXml('AccessDenied', 'Invalid according to Policy: Policy expired.'),
					undefined,
					[],
				),
			),
	],
	[OSS_REJECTED, () => Promise.reject(ossErrorFromResponse(400, 'Bad Request', ossXml('EntityTooLarge', 'Too big'), undefined, []))],
	[OSS_REJECTED, () => Promise.reject(ossErrorFromResponse(503, 'Service Unavailable', '', 'R2', []))],
	[OSS_REJECTED, () => Promise.reject(ossErrorFromResponse(400, 'Bad Request', ossXml('InvalidArgument', 'No'), undefined, []))],
	[
		'upload-network',
		() =>
			Promise.reject(
				transportError({ name: 'Error', code: 'ECONNRESET', message: 'socket hang up' }, 'b.oss-cn-shanghai.aliyuncs.com', []),
			),
	],
	[
		'upload-network',
		() =>
			Promise.reject(
				transportError(
					{ name: 'Error', code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', message: 'decryption failed or bad record mac' },
					'b.oss',
					[],
				),
			),
	],
	[
		TLS_MISCONFIGURED,
		() =>
			Promise.reject(
				transportError({ name: 'Error', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' }, 'b.oss', []),
			),
	],
	[TLS_MISCONFIGURED, () => Promise.reject(mapPopError({ code: 'ERR_SSL_NO_SHARED_CIPHER', message: 'no shared cipher' }, ctx))],
	[
		TLS_MISCONFIGURED,
		() => Promise.reject(mapPopError({ code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'tlsv1 alert protocol version' }, ctx)),
	],
	// The issuer flaw's hint is the extension's own (its test below); these two are worded as the core says them.
	[
		CERTIFICATE_UNTRUSTED,
		() => Promise.reject(transportError({ name: 'Error', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'b.oss', [])),
	],
	[
		CERTIFICATE_UNTRUSTED,
		() =>
			Promise.reject(
				mapPopError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, ctx),
			),
	],
	['upload-stalled', () => Promise.reject(timeoutError('b.oss-cn-shanghai.aliyuncs.com', 60_000))],
	[UPLOAD_FAILED, () => Promise.reject(finalError(mapPopError({ name: 'RequestTimeoutError' }, ctx), 4))],
	[UPLOAD_FAILED, () => Promise.reject(finalError(new OtaError({ code: 'X', source: 'network', message: 'Socket hang up.' }), 1))],
	[CANCELLED_BUT_REGISTERED, () => Promise.reject(cancelledButRegistered('F-1', 'DeleteOTAFirmware failed: Not now.'))],
	[
		PACKAGE_MAY_BE_REGISTERED,
		() => Promise.reject(notRegistered(mapPopError({ name: 'RequestTimeoutError' }, ctx), uploaded, 'the registration', request)),
	],
	[
		PACKAGE_MAY_BE_REGISTERED,
		() =>
			Promise.reject(
				notRegistered(fromErrorBody({ Code: 'InternalError', Message: 'Unknown error.' }, 500, ctx), uploaded, 'x', request),
			),
	],
];

void test('in English, every common core error is worded exactly as the core says it, hint included', async () => {
	for (const [reason, check] of CASES) {
		assertEnglishAsCore(await thrown(check), reason);
	}
	assert.deepEqual([...new Set(CASES.map(([reason]) => reason))].sort(), [...COMMON_REASONS].sort(), 'every reason is tried');
});

void test("in English, every hint key is worded as the core's hint, but where it names a CLI flag the extension names its own way", () => {
	for (const [key, hint] of Object.entries(API_HINTS)) {
		const worded = API_HINT_WORDS[key as keyof typeof API_HINTS](plainL10n);
		if (/--[a-z]/.test(hint) && !/VS Code/.test(hint)) {
			assert.doesNotMatch(worded, /--[a-z]/, key);
			assert.notEqual(worded, hint, key);
		} else {
			assert.equal(worded, hint, key);
		}
	}
	assert.match(API_HINT_WORDS['firmware-name-taken'](plainL10n), /^FirmwareName is unique in the account: register again/);
	assert.match(API_HINT_WORDS['module-not-found'](plainL10n), /CreateOTAModule\); then register again and enter that module\.$/);
	for (const [key, hint] of Object.entries(OSS_HINTS)) {
		assert.equal(OSS_HINT_WORDS[key as keyof typeof OSS_HINTS](plainL10n), hint(), key);
	}
	assert.deepEqual(Object.keys(API_HINT_WORDS).sort(), Object.keys(API_HINTS).sort());
	assert.deepEqual(Object.keys(OSS_HINT_WORDS).sort(), Object.keys(OSS_HINTS).sort());
	assert.match(throttlingHint('CreateOTAFirmware'), /allows \d+ calls per second/);
});

void test('the notification line adds the shell hint after the core hint, and the code and RequestId, as describe() does', async () => {
	const look = 'Look for it in the OTA Packages view (product pk) before registering again.';
	const refused = await thrown(CASES.find(([reason]) => reason === 'api-failed')![1]);
	assert.equal(errorText(refused, plainL10n, look), refused.withHint(`${refused.hint} ${look}`).describe());
	const cancel = cancelledButRegistered('F-1', 'gone');
	const remove = 'Delete it in the OTA Packages view (Delete Package…).';
	assert.equal(errorText(cancel, plainL10n, remove), cancel.withHint(remove).describe());
	const withId = ossErrorFromResponse(503, 'Service Unavailable', '', 'R2', []);
	assert.match(errorText(withId, plainL10n), /\(Http503, RequestId: R2\)$/);
});

void test('in a zh-cn window, a cancel that left a package registered and a file-size error read in Chinese, values in place', async () => {
	const cancel = cancelledButRegistered('F-42', 'DeleteOTAFirmware failed: Not now.');
	assert.equal(
		errorText(cancel, zhL10n, zhL10n.t('Delete it in the OTA Packages view (Delete Package…).')),
		'已取消，但刚刚注册的 OTA 固件 F-42 未能删除（DeleteOTAFirmware failed: Not now.）。请在“OTA 升级包”视图中删除它（删除升级包…）。（CancelledButRegistered）',
	);
	const huge = file('big.bin', MAX_FIRMWARE_BYTES + 1);
	const tooLarge = await thrown(() => openFirmwareFile(huge));
	assert.equal(
		validationText(tooLarge, zhL10n),
		`固件文件过大：1,048,576,001 字节；OTA 上限为 1,000 MB（1,048,576,000 字节）：${huge}请拆分升级包，或使用差分升级包。`,
	);
});

void test("in a zh-cn window, our words are translated and the server's are kept as it said them", async () => {
	const refused = fromErrorBody(
		{ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.', RequestId: 'R9' },
		400,
		ctx,
	);
	assert.equal(
		errorText(refused, zhL10n),
		'CreateOTAFirmware 失败：Specified signature is not matched。请检查 AccessKey Secret：它与 AccessKey ID 不匹配。（SignatureDoesNotMatch, RequestId：R9）',
	);
	const expired = ossErrorFromResponse(
		403,
		'Forbidden',
		ossXml('AccessDenied', 'Invalid according to Policy: Policy expired.'),
		undefined,
		[],
	);
	const upload = finalError(expired, 4);
	assert.equal(
		validationText(upload, zhL10n),
		'上传在 4 次尝试后失败。最后一次错误：OSS 拒绝了上传（HTTP 403 AccessDenied）：Invalid according to Policy: Policy expired.上传凭证只在 1 分钟内有效；请重新申请并立即上传。',
	);
	const doubt = notRegistered(mapPopError({ name: 'RequestTimeoutError' }, ctx), uploaded, 'the registration', request);
	assert.equal(
		validationText(doubt, zhL10n),
		'CreateOTAFirmware：https://iot.cn-shanghai.aliyuncs.com 在 30 秒内未应答。CreateOTAFirmware 没有得到明确答复：“fw-5”（产品 pk1，DestVersion 5.0.0）可能已经注册，包含 spiffs.bin, modem.bin。请检查网络或代理设置，或调大请求超时时间。',
	);
	const stalled = finalError(timeoutError('b.oss-cn-shanghai.aliyuncs.com', 60_000), 2);
	assert.equal(
		validationText(stalled, zhL10n),
		'上传在 2 次尝试后失败。最后一次错误：上传到 b.oss-cn-shanghai.aliyuncs.com 时 1 分钟内没有进展；连接已断开。',
	);
	const reset = transportError({ name: 'Error', code: 'ECONNRESET', message: 'socket hang up' }, 'b.oss-cn-shanghai.aliyuncs.com', []);
	assert.equal(validationText(reset, zhL10n), '上传到 b.oss-cn-shanghai.aliyuncs.com 失败：socket hang up');
	const timeout = mapPopError({ name: 'RequestTimeoutError' }, ctx);
	assert.equal(
		validationText(timeout, zhL10n),
		'CreateOTAFirmware：https://iot.cn-shanghai.aliyuncs.com 在 30 秒内未应答。请检查网络或代理设置，或调大请求超时时间。',
	);
});

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

void test("in a zh-cn window, the log line stays the CLI's English: the core's message and hint, the extension's way out in English", async () => {
	const cancel = cancelledButRegistered('F-42', 'DeleteOTAFirmware failed: Not now.');
	const doubt = notRegistered(mapPopError({ name: 'RequestTimeoutError' }, ctx), uploaded, 'the registration', request);
	const refused = fromErrorBody({ Code: 'SignatureDoesNotMatch', Message: 'Not matched.', RequestId: 'R9' }, 400, ctx);
	for (const error of [cancel, doubt, refused]) {
		const { shown, logged } = errorReport(error, zhL10n);
		assert.match(shown, CJK, `${error.code}: the window's line is in Chinese`);
		assert.doesNotMatch(logged, CJK, `${error.code}: no translated text reaches the log`);
		assert.equal(logged, errorReport(error, plainL10n).shown, `${error.code}: the log line is the English notification`);
		assert.ok(
			logged.startsWith(error.describe().replace(/ \([^()]*\)$/, '')),
			`${error.code}: it starts with the core's message and hint`,
		);
	}
	assert.equal(
		errorReport(cancel, zhL10n).logged,
		'Cancelled, but the OTA firmware F-42 registered just before could not be deleted (DeleteOTAFirmware failed: Not now.). Delete it in the OTA Packages view (Delete Package…). (CancelledButRegistered)',
	);
	assert.equal(errorReport(cancel, zhL10n).firmwareId, 'F-42');
});
