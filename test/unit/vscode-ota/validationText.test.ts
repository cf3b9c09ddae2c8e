// The extension words a core validation message by its reason (zh-cn through vscode.l10n); in English it must say
// exactly what the core says to the CLI (message and hint), for every reason the core gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { REGISTER_WINDOW_TEXT } from '../../../src/core/format';
import {
	checkCancelSpec,
	checkGrayPercent,
	checkNames,
	checkRolloutSpec,
	NAME_LISTS,
	parseHaltAt,
	RULE_REASONS,
	validateDynamicJob,
	validateStaticJob,
	validateVerifyJob,
	type NameList,
	type StaticJobRequest,
} from '../../../src/core/lifecycle';
import { deviceListCsv } from '../../../src/core/lifecycle/deviceList';
import { FIELD_REASONS, FIELD_RULE_REASON, FIELD_RULES, validateCreateFirmware } from '../../../src/core/upload/createFirmwareRules';
import type { CreateFirmwareRequest } from '../../../src/core/types';
import { problemOf } from '../../../src/vscode/ota/actions/inputs';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';
import { listName, registerWindowText, validationText, WORDED_REASONS } from '../../../src/vscode/validationText';
import { WORDED_FIELDS } from '../../../src/vscode/create/fieldRuleText';
import { SHELL_WORDINGS } from '../../../src/vscode/errorWordingsShell';
import { API_REASONS } from './apiReasons';
import { COMMON_REASONS, CONFIG_IMAGE_REASONS } from './commonReasons';
import { english, thrown } from './wordingHelpers';

const NOW = Date.parse('2025-03-01T00:00:00Z');
const MIN = 60_000;
const job: StaticJobRequest = { firmwareId: 'F', productKey: 'pk', target: { kind: 'all' } };
const create: CreateFirmwareRequest = {
	firmwareUrl: 'https://b.oss-cn-shanghai.aliyuncs.com/fw.bin',
	productKey: 'pk',
	destVersion: '1.0.0',
	firmwareName: 'fw',
};

/** A check that throws, for each reason, some in more than one shape (the optional parts of the wording). */
const CASES: Array<[string, () => unknown]> = [
	['list-entry', () => validateVerifyJob({ ...job, deviceNames: ['a b'] })],
	['list-duplicate', () => validateStaticJob({ ...job, target: { kind: 'devices', deviceNames: ['a', 'a'] } }, NOW)],
	['list-length', () => validateVerifyJob({ ...job, deviceNames: [] })],
	['list-length', () => checkNames('device', ['a', 'b'], 1)],
	['timeout-range', () => validateVerifyJob({ ...job, deviceNames: ['a'], timeoutInMinutes: 1441 })],
	['retry-pair', () => validateStaticJob({ ...job, retryInterval: 10 }, NOW)],
	['retry-interval', () => validateStaticJob({ ...job, retryInterval: 15, retryCount: 1 }, NOW)],
	['retry-count', () => validateStaticJob({ ...job, retryInterval: 10, retryCount: 3 }, NOW)],
	['retry-before-timeout', () => validateStaticJob({ ...job, retryInterval: 60, retryCount: 1, timeoutInMinutes: 60 }, NOW)],
	['retry-before-timeout', () => validateStaticJob({ ...job, retryInterval: 1440, retryCount: 1, timeoutInMinutes: 60 }, NOW)],
	['rate-range', () => validateStaticJob({ ...job, maximumPerMinute: 9 }, NOW)],
	['gray-percent', () => checkGrayPercent('1.2345')],
	['schedule-start', () => validateStaticJob({ ...job, scheduleTime: NOW + MIN }, NOW)],
	['finish-time', () => validateStaticJob({ ...job, scheduleFinishTime: NOW + MIN }, NOW)],
	['finish-time', () => validateStaticJob({ ...job, scheduleTime: NOW + 10 * MIN, scheduleFinishTime: NOW + 20 * MIN }, NOW)],
	['group-empty', () => validateStaticJob({ ...job, target: { kind: 'group', groupId: ' ' } }, NOW)],
	[
		'src-versions-target',
		() => validateStaticJob({ ...job, target: { kind: 'devices', deviceNames: ['a'] }, srcVersions: ['1.0'] }, NOW),
	],
	['dynamic-job-target', () => validateDynamicJob({ firmwareId: 'F', productKey: 'pk' })],
	['dynamic-rollout-target', () => checkRolloutSpec({ firmwareId: 'F', target: { kind: 'gray', percent: '5' }, dynamic: true }, NOW)],
	['scheduled-dynamic', () => checkRolloutSpec({ firmwareId: 'F', target: { kind: 'all' }, dynamic: true, scheduleTime: NOW }, NOW)],
	['device-list-size', () => deviceListCsv(Array.from({ length: 10_000 }, (_, i) => `${'d'.repeat(600)}${i}`))],
	['halt-at', () => parseHaltAt('0')],
	['nothing-to-cancel', () => checkCancelSpec({})],
	[FIELD_RULE_REASON, () => validateCreateFirmware({ ...create, destVersion: '1 0' })],
	[FIELD_RULE_REASON, () => validateCreateFirmware({ ...create, firmwareName: '_fw' })],
	[FIELD_RULE_REASON, () => validateCreateFirmware({ ...create, firmwareSize: 0 })],
	[FIELD_RULE_REASON, () => validateCreateFirmware({ ...create, destVersion: 'v'.repeat(121) })],
	[FIELD_REASONS.srcVersionRequired, () => validateCreateFirmware({ ...create, type: 1 })],
	[FIELD_REASONS.srcVersionRequired, () => validateCreateFirmware({ ...create, type: 1, srcVersion: '' })],
	[FIELD_REASONS.srcVersionSame, () => validateCreateFirmware({ ...create, type: 1, srcVersion: '1.0.0' })],
	[FIELD_REASONS.descLength, () => validateCreateFirmware({ ...create, firmwareDesc: 'd'.repeat(101) })],
];

void test('in English, the extension words every reason exactly as the core does, hint included', async () => {
	for (const [reason, check] of CASES) {
		const error = await thrown(check);
		assert.equal(error.source, 'validation', error.message);
		assert.equal(error.reason?.code, reason, error.message);
		assert.equal(validationText(error, plainL10n), english(error), reason);
	}
	const reasons = [...RULE_REASONS, FIELD_RULE_REASON, ...Object.values(FIELD_REASONS)].sort();
	assert.deepEqual([...new Set(CASES.map(([reason]) => reason))].sort(), reasons, 'every reason is tried');
	// The common errors' reasons are tried in errorWordings.test.ts, the API-side ones in errorWordingsApi.test.ts, the
	// config engine's, the image checks' and the prefixed ones in errorWordingsConfig.test.ts and errorWordingsImage.test.ts,
	// the extension's own refusals in errorWordingsShell.test.ts.
	assert.deepEqual(
		[...WORDED_REASONS].sort(),
		[...reasons, ...COMMON_REASONS, ...API_REASONS, ...CONFIG_IMAGE_REASONS, ...Object.keys(SHELL_WORDINGS)].sort(),
		'every reason is worded',
	);
});

void test('in English, every list and every CreateOTAFirmware field rule is worded as the core words it', async () => {
	for (const list of Object.keys(NAME_LISTS) as NameList[]) {
		assert.equal(listName(list, plainL10n), NAME_LISTS[list], list);
		const error = await thrown(() => checkNames(list, ['x', 'x'], 5));
		assert.equal(validationText(error, plainL10n), error.message, list);
	}
	assert.deepEqual([...WORDED_FIELDS].sort(), Object.keys(FIELD_RULES).sort(), 'every field is worded');
	const breaking: Record<string, Partial<CreateFirmwareRequest>> = {
		FirmwareName: { firmwareName: '-x' },
		DestVersion: { destVersion: '1 0' },
		SrcVersion: { srcVersion: '1 0' },
		ModuleName: { moduleName: 'a b' },
		ProductKey: { productKey: 'p-k' },
		FirmwareUrl: { firmwareUrl: 'ftp://x' },
		SignMethod: { signMethod: 'CRC' as 'MD5' },
		FirmwareSize: { firmwareSize: 1.5 },
		Type: { type: 2 as 0 },
	};
	for (const [field, change] of Object.entries(breaking)) {
		const error = await thrown(() => validateCreateFirmware({ ...create, ...change }));
		assert.equal(error.code, `Invalid${field}`);
		assert.equal(validationText(error, plainL10n), error.message, field);
	}
});

void test('the words come from the translator, with the values in their places; the hint too', async () => {
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	const retry = await thrown(() => validateStaticJob({ ...job, retryInterval: 1440, retryCount: 1, timeoutInMinutes: 60 }, NOW));
	assert.equal(
		validationText(retry, upper),
		'THE RETRY INTERVAL (1 DAY) MUST BE SHORTER THAN THE TIMEOUT (1 HOUR). WITH A 1440-MINUTE RETRY INTERVAL LEAVE THE TIMEOUT UNSET.',
	);
	const start = await thrown(() => validateStaticJob({ ...job, scheduleTime: NOW + MIN }, NOW));
	assert.equal(validationText(start, upper), 'THE START TIME MUST BE BETWEEN 5 MINUTES AND 7 DAYS FROM NOW.');
	const name = await thrown(() => validateCreateFirmware({ ...create, firmwareName: '_fw' }));
	assert.match(validationText(name, upper), /^INVALID FirmwareName "_fw": MUST BE 1–40 CHARACTERS: LETTERS/);
	const same = await thrown(() => validateCreateFirmware({ ...create, type: 1, srcVersion: '1.0.0' }));
	assert.equal(validationText(same, upper), 'INVALID SrcVersion "1.0.0": MUST DIFFER FROM DESTVERSION FOR A DELTA PACKAGE (TYPE 1).');
	const desc = await thrown(() => validateCreateFirmware({ ...create, firmwareDesc: 'd'.repeat(101) }));
	assert.equal(validationText(desc, upper), 'INVALID FirmwareDesc: MUST BE AT MOST 100 CHARACTERS (GOT 101).');
	const duplicate = await thrown(() => validateVerifyJob({ ...job, deviceNames: ['a', 'a'] }));
	assert.equal(validationText(duplicate, upper), 'VERIFICATION DEVICES: "a" IS LISTED TWICE.');
});

void test('the registration window is worded as the core states it ("60 minutes"), through the translator', () => {
	assert.equal(registerWindowText(plainL10n), REGISTER_WINDOW_TEXT);
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	assert.equal(registerWindowText(upper), '60 MINUTES');
});

void test("a step's problem is the worded message; a message without a known reason keeps the core's English", async () => {
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	assert.equal(
		problemOf(() => parseHaltAt('5:20'), upper),
		undefined,
	);
	assert.match(problemOf(() => parseHaltAt('x'), upper) ?? '', /^THE HALT THRESHOLD MUST BE PCT OR PCT:N.* \(GOT "x"\)\. EXAMPLE: 5:20/);
	const tags = await thrown(() =>
		validateStaticJob({ ...job, tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, NOW),
	);
	assert.equal(tags.reason, undefined);
	assert.equal(validationText(tags, upper), tags.message);
	const unknown = new OtaError({ code: 'X', source: 'validation', message: 'English.', reason: { code: 'toString', values: {} } });
	assert.equal(validationText(unknown, upper), 'English.');
	assert.throws(() => problemOf(() => JSON.parse('{'), upper), SyntaxError, 'anything but a validation error is thrown on');
});
