// The settings (region, endpoint, proxy), upload ticket, answer, package state and aliyun CLI profile errors are worded
// by their reasons: in English exactly as the core says them to the CLI (but for the hints that name a CLI command), in
// zh-cn with the values in place and the server's words kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readAliyunCliProfile } from '../../../src/core/credentials';
import { checkPackageTarget } from '../../../src/core/flow/packageTarget';
import { toUploadTicket } from '../../../src/core/iot/mappers';
import { fromErrorBody, mapPopError, type CallContext } from '../../../src/core/iot/popErrors';
import type { TargetPreview } from '../../../src/core/lifecycle/preview';
import { refuseUnreachable } from '../../../src/core/lifecycle/reach';
import { assertRolloutReady, assertVerifiable, planRollout } from '../../../src/core/lifecycle/rollout';
import { toTask } from '../../../src/core/lifecycle/mappers';
import { FIRMWARE_STATUS_TEXT, type FirmwareDetail } from '../../../src/core/lifecycle/types';
import { proxyFor } from '../../../src/core/proxy';
import { ENDPOINT_FLAWS, endpointFor, validateRegion } from '../../../src/core/regions';
import {
	deadlineExceeded,
	encodedResponse,
	EXCHANGE_TEXTS,
	headerOverflow,
	listingTooLong,
	RESPONSE_LIMITS,
	responseTooLarge,
} from '../../../src/core/responseBounds';
import type { UploadTicket } from '../../../src/core/types';
import { postObject } from '../../../src/core/upload/postObject';
import { checkUploadHost } from '../../../src/core/uploadHost';
import { errorReport } from '../../../src/vscode/errorText';
import { API_HINT_WORDS } from '../../../src/vscode/errorWordings';
import { EXCHANGE_WORDS, PACKAGE_STATUS_WORDS } from '../../../src/vscode/errorWordingsApi';
import { ENDPOINT_FLAW_WORDS } from '../../../src/vscode/errorWordingsNetwork';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { validationText, wordedParts } from '../../../src/vscode/validationText';
import { API_REASONS } from './apiReasons';
import { assertZhKeepsValues, thrown, zhL10n } from './wordingHelpers';

const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-wordings-api-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ctx: CallContext = { action: 'QueryOTAFirmware', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };
const trust = { endpoint: 'https://iot.cn-shanghai.aliyuncs.com', allowInsecure: false };
const shanghai = (endpoint: string) => () => endpointFor({ region: 'cn-shanghai', endpoint } as never);
const firmware = (status: number | undefined, productKey?: string): FirmwareDetail => ({ firmwareId: 'F-1', status, productKey }) as never;
const ticket = (fields: Partial<UploadTicket>): UploadTicket =>
	({ host: 'https://b.oss-cn-shanghai.aliyuncs.com', key: 'k', policy: 'p', ossAccessKeyId: 'a', signature: 's', ...fields }) as never;
const config = (name: string, content: unknown): string => {
	const file = path.join(dir, name);
	writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
	return file;
};
/** A batch of named devices (--devices, or a device list file whose unknown names are skipped). */
const namedPlan = (kind: 'devices' | 'deviceList') =>
	({
		spec: { firmwareId: 'F-1', target: { kind, deviceNames: ['dev-00001', 'dev-99999'] } },
		firmware: { ...firmware(1, 'a1PK'), destVersion: '1.2.0' },
	}) as never;
/** What its preview found: no device reached, `unknown` not in the product, `upToDate` already on the version. */
const reachedNone = (unknown: string[], upToDate: string[]): TargetPreview => ({
	count: 0,
	sample: [],
	unknown,
	upToDate,
	scope: { code: 'named', unchecked: 0, checked: 200 },
});
/** The module check of a package for module "nosuchmod", against a product whose ListOTAModuleByProduct lists `modules`. */
const moduleList = (modules: Array<Record<string, string>>) => () =>
	checkPackageTarget({ call: async () => ({ Data: modules }) }, { productKey: 'a1PK', moduleName: 'nosuchmod' });
const profile = (configPath: string, name?: string) => () => readAliyunCliProfile({ configPath, profile: name, env: {} });

/** Each reason produced by the core's own code, some in more than one shape. */
const CASES: Array<[string, () => unknown]> = [
	['invalid-region', () => validateRegion('')],
	['invalid-region', () => validateRegion('Shanghai!')],
	['invalid-endpoint', shanghai('no-scheme.example')],
	['invalid-endpoint', shanghai('ftp://iot.example.com')],
	['invalid-endpoint', shanghai('https://me:pw@iot.example.com')],
	['invalid-endpoint', shanghai('https://iot.example.com/?a=1')],
	['insecure-endpoint', shanghai('http://iot.example.com')],
	['invalid-proxy', () => proxyFor('https://iot.cn-shanghai.aliyuncs.com', { HTTPS_PROXY: 'ftp://proxy' })],
	['ticket-host-invalid', () => checkUploadHost('ftp://b.example', trust)],
	['ticket-host-insecure', () => checkUploadHost('http://b.oss-cn-shanghai.aliyuncs.com', trust)],
	['ticket-host-untrusted', () => checkUploadHost('https://b.example.com', trust)],
	['ticket-incomplete', () => postObject(ticket({ policy: '', signature: '' }), {} as never)],
	['ticket-host-not-url', () => postObject(ticket({ host: 'ftp://b.example' }), {} as never)],
	['answer-missing', () => toUploadTicket({ RequestId: 'R1' }, 0)],
	['answer-unknown-value', () => toTask({ TaskStatus: 'LOST' }, 'ListOTATaskByJob')],
	[
		'non-json-answer',
		() =>
			Promise.reject(
				mapPopError(
					{ name: 'SyntaxError', text: '<html><title>502 Bad Gateway</title></html>', entry: { response: { statusCode: 502 } } },
					ctx,
				),
			),
	],
	['non-json-answer', () => Promise.reject(mapPopError({ name: 'SyntaxError', text: '' }, ctx))],
	['response-too-large', () => Promise.reject(responseTooLarge({ kind: 'action-answer', name: 'QueryOTAFirmware' }, 4 * 1024 * 1024))],
	['response-too-large', () => Promise.reject(headerOverflow({ code: 'HPE_HEADER_OVERFLOW' }, { kind: 'host-answer', name: 'b.oss' }))],
	['unexpected-encoding', () => Promise.reject(encodedResponse({ kind: 'host-answer', name: 'b.oss' }, 'gzip'))],
	['deadline-exceeded', () => Promise.reject(deadlineExceeded({ kind: 'upload', name: 'b.oss' }, 121_000))],
	['deadline-exceeded', () => Promise.reject(deadlineExceeded({ kind: 'device-list', name: 'b.oss' }, 60_000))],
	['listing-too-long', () => Promise.reject(listingTooLong('ListOTATaskByJob', RESPONSE_LIMITS.listingItems))],
	['package-not-verified', () => assertRolloutReady(firmware(0))],
	['package-not-verified', () => assertRolloutReady(firmware(7))],
	['package-not-verified', () => assertRolloutReady(firmware(2))],
	['package-verified-already', () => assertVerifiable(firmware(1))],
	['package-verified-already', () => assertVerifiable(firmware(2))],
	[
		'package-no-product-key',
		() => planRollout({ queryFirmware: () => Promise.resolve(firmware(1)) }, { firmwareId: 'F-1', target: { kind: 'all' } } as never),
	],
	['devices-not-in-product', () => refuseUnreachable(namedPlan('devices'), reachedNone(['dev-99999'], []))],
	['devices-reach-none', () => refuseUnreachable(namedPlan('deviceList'), reachedNone(['dev-99999'], ['dev-00001']))],
	['module-not-in-product', moduleList([{ ModuleName: 'default' }, { ModuleName: 'modem' }])],
	['module-not-in-product', moduleList([])],
	[
		'target-refused',
		() =>
			checkPackageTarget(
				{
					call: async () => {
						const body = {
							RequestId: 'R1',
							Success: false,
							Code: 'iot.prod.NotExistedProduct',
							ErrorMessage: 'The specified product does not exist.',
						};
						throw fromErrorBody(body, 400, { ...ctx, action: 'QueryProduct' });
					},
				},
				{ productKey: 'a1PK' },
			),
	],
	[
		'aliyun-config-unreadable',
		() => {
			mkdirSync(path.join(dir, 'config-dir.json'), { recursive: true });
			return profile(path.join(dir, 'config-dir.json'))();
		},
	],
	['aliyun-config-unreadable', profile(config('huge.json', `{"profiles":[],"pad":"${'x'.repeat(1024 * 1024)}"}`))],
	['aliyun-config-invalid', profile(config('broken.json', '[1]'))],
	['profile-not-found', profile(config('two.json', { profiles: [{ name: 'a' }, { name: 'b' }] }), 'prod')],
	['profile-not-found', profile(config('none.json', { profiles: [] }), 'prod')],
	['profile-mode-unsupported', profile(config('ram.json', { profiles: [{ name: 'r', mode: 'RamRoleArn' }] }), 'r')],
	[
		'profile-token-missing',
		profile(
			config('sts.json', { profiles: [{ name: 's', mode: 'StsToken', access_key_id: 'LTAIx', access_key_secret: 'secret' }] }),
			's',
		),
	],
];

/** The package-state hints that name a CLI command, which the extension replaces with its own way. */
const SHELL_HINTS = new Set(['package-not-verified', 'package-verified-already']);
/** The hints that name a CLI flag, which the extension replaces with its own way. */
const FLAG_HINTS = new Set(['module-not-in-product']);

void test('in English, every error is worded exactly as the core says it (a hint naming a CLI command gives the extension’s way)', async () => {
	for (const [reason, check] of CASES) {
		const error = await thrown(check);
		assert.equal(error.reason?.code, reason, error.message);
		const hint = error.hint;
		assert.equal(wordedParts(error, plainL10n).message, error.message, `${reason}: the message`);
		const worded = validationText(error, plainL10n);
		if (SHELL_HINTS.has(reason)) {
			assert.match(hint ?? '', /iot-ota /, `${reason}: the core's hint names the CLI`);
			assert.doesNotMatch(worded, /iot-ota /, `${reason}: the extension's does not`);
			assert.match(worded, /OTA Packages view/, reason);
		} else if (FLAG_HINTS.has(reason)) {
			assert.match(hint ?? '', /--module/, `${reason}: the core's hint names the CLI's flag`);
			assert.equal(worded, `${error.message} ${API_HINT_WORDS['module-not-found'](plainL10n)}`, reason);
		} else {
			assert.equal(worded, hint ? `${error.message} ${hint}` : error.message, reason);
			assert.equal(errorReport(error, plainL10n).shown, error.describe(), `${reason}: the notification line`);
		}
	}
	assert.deepEqual([...new Set(CASES.map(([reason]) => reason))].sort(), [...API_REASONS].sort(), 'every reason is tried');
});

void test("in English, the parts of a message are worded as the core's tables say them", () => {
	for (const [flaw, words] of Object.entries(ENDPOINT_FLAWS)) {
		assert.equal(ENDPOINT_FLAW_WORDS[flaw as keyof typeof ENDPOINT_FLAWS]('x', plainL10n), words.replace('{0}', 'x'), flaw);
	}
	for (const [kind, words] of Object.entries(EXCHANGE_TEXTS)) {
		assert.equal(EXCHANGE_WORDS[kind as keyof typeof EXCHANGE_TEXTS]('h', plainL10n), words.replace('{0}', 'h'), kind);
	}
	for (const [status, words] of Object.entries(FIRMWARE_STATUS_TEXT)) {
		assert.equal(PACKAGE_STATUS_WORDS[Number(status)](plainL10n), words, status);
	}
	assert.deepEqual(Object.keys(PACKAGE_STATUS_WORDS).sort(), Object.keys(FIRMWARE_STATUS_TEXT).sort());
});

/**
 * The values the shell words by (a flaw, an exchange, an errno code, a package status, an API hint key, the system's
 * English detail of an unreadable config) or shows formatted (a limit in MB, a deadline as a span, a count of headers).
 */
const SELECTORS = ['why', 'exchange', 'limit', 'headers', 'deadlineMs', 'status', 'detail', 'errno', 'hint'];

void test('in a zh-cn window, every one of these errors reads in Chinese, message and hint, with its values in place', async () => {
	for (const [reason, check] of CASES) {
		// A refused call's code is shown by the notification line (errorReport), as for any refused call.
		assertZhKeepsValues(await thrown(check), reason === 'target-refused' ? [...SELECTORS, 'code'] : SELECTORS);
	}
});

void test("in a zh-cn window, our words are translated and the server's are kept as it said them", async () => {
	const gateway = await thrown(CASES.find(([reason]) => reason === 'non-json-answer')![1]);
	assert.equal(
		errorReport(gateway, zhL10n).shown,
		'QueryOTAFirmware：https://iot.cn-shanghai.aliyuncs.com 返回了非 JSON 应答（HTTP 502）（“502 Bad Gateway”）。请检查接入点和地域，以及中间的代理；如果是临时的网关错误，请重试。（NonJsonResponse）',
	);
	const region = await thrown(() => validateRegion('Shanghai!'));
	assert.equal(
		validationText(region, zhL10n),
		`IoT 地域“Shanghai!”不是地域 ID。请使用地域 ID，例如 cn-shanghai（已知：${String(region.reason?.values.known)}）。`,
	);
	const slow = await thrown(() => Promise.reject(deadlineExceeded({ kind: 'upload', name: 'b.oss' }, 121_000)));
	assert.equal(
		validationText(slow, zhL10n),
		'上传到 b.oss 的过程未在 2 min 1 s 内完成；连接已断开。请检查网络或代理设置；只偶尔发送一个字节的服务器会在此被切断。',
	);
	const notVerified = await thrown(() => assertRolloutReady(firmware(0)));
	assert.equal(
		validationText(notVerified, zhL10n),
		'升级包 F-1 的状态为“未验证”：批量升级需要已验证的升级包。请先验证它（在“OTA 升级包”视图中对该升级包运行“在设备上验证…”）。',
	);
});

void test('an endpoint’s user name, password or signature reaches neither the message nor the values the extension words', async () => {
	const shapes = [
		'LTAI:s3cr3tValue@iot.example.com',
		'https://LTAI:s3cr@tValue@iot.example.com',
		'https://LTAI:s3cr/tValue@iot.example.com',
		'https://iot.example.com/?Signature=s3cr3tValue',
	];
	for (const endpoint of shapes) {
		const error = await thrown(shanghai(endpoint));
		const said = [error.message, ...Object.values(error.reason?.values ?? {}).map(String), validationText(error, zhL10n)];
		assert.ok(
			said.every((text) => !/s3cr|LTAI|tValue/.test(text)),
			`${endpoint}: ${said.join(' | ')}`,
		);
	}
});

void test('a package-state refusal points to the step that state allows, the CLI to its command and the extension to its view', async () => {
	const verify = 'Verify on Devices… on the package in the OTA Packages view';
	const rollOut = 'Roll Out… on the package in the OTA Packages view';
	const watch = "the package's jobs in the OTA Packages view";
	const expected: Array<[string, () => unknown, RegExp, string]> = [
		['not verified, for a batch', () => assertRolloutReady(firmware(0)), /^Verify it first: iot-ota verify F-1 /, verify],
		['verification failed, for a batch', () => assertRolloutReady(firmware(3)), /^Verify it first: iot-ota verify F-1 /, verify],
		['verifying, for a batch', () => assertRolloutReady(firmware(2)), /^Watch the running verification: iot-ota jobs F-1$/, watch],
		['verified, to verify', () => assertVerifiable(firmware(1)), /^Roll it out: iot-ota rollout F-1 /, rollOut],
		['verifying, to verify', () => assertVerifiable(firmware(2)), /^Watch the running verification: iot-ota jobs F-1$/, watch],
	];
	for (const [what, check, cli, extension] of expected) {
		const error = await thrown(check);
		assert.match(error.hint ?? '', cli, what);
		assert.equal(wordedParts(error, plainL10n).hint?.includes(extension), true, `${what}: ${wordedParts(error, plainL10n).hint}`);
	}
});

void test('in a zh-cn window, a config that is no regular file or too large says so in Chinese; an errno text stays as said', async () => {
	const unreadable = CASES.filter(([reason]) => reason === 'aliyun-config-unreadable');
	const said = await Promise.all(unreadable.map(async ([, check]) => validationText(await thrown(check), zhL10n)));
	assert.equal(said.length, 2);
	assert.match(said[0], /config-dir\.json 不是普通文件$/, said[0]);
	assert.match(said[1], /huge\.json 大于 1048576 字节$/, said[1]);
	const loop = path.join(dir, 'loop.json');
	symlinkSync(loop, loop);
	const looped = validationText(await thrown(profile(loop)), zhL10n);
	assert.match(looped, /^无法读取 aliyun CLI 配置文件 .*loop\.json：ELOOP: too many symbolic links encountered/, looped);
});
