// A package deleted elsewhere (the CLI, the console) leaves its Uploads rows Registered: an action on such a row that gets
// the platform's not-found answer for the row's FirmwareId at the row's place marks every row of that FirmwareId deleted
// and says so in the error's hint; a timeout, or a not-found outside a row's place, marks nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { FIRMWARE_NOT_FOUND } from '../../../src/core/apiErrorCodes';
import { fromErrorBody, type CallContext } from '../../../src/core/iot/popErrors';
import type { FirmwareDetail } from '../../../src/core/lifecycle';
import { errorReport } from '../../../src/vscode/errorText';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { validationText } from '../../../src/vscode/validationText';
import { installVscodeStub } from '../../support/vscodeStub';
import { registeredRow as row, stubFolders, twoProfiles } from './placeFixtures';
import { thrown, zhL10n } from './wordingHelpers';

const stub = installVscodeStub();
stubFolders(stub);

const GONE_HINT = 'The package was deleted elsewhere (the CLI or the console): its uploads are now marked deleted.';

/**
 * One profile's account: it knows only `firmwareIds`; `failure` stands for an answer that never came. Reached in `region`,
 * at `iotInstanceId` (none: the region's default instance).
 */
function account(profile: string, firmwareIds: string[], failure?: OtaError, region = 'cn-shanghai', iotInstanceId?: string) {
	const known = new Set(firmwareIds);
	const lifecycle = {
		queryFirmware: async (firmwareId: string): Promise<FirmwareDetail> => {
			if (failure) {
				throw failure;
			}
			if (!known.has(firmwareId)) {
				throw new OtaError({ code: FIRMWARE_NOT_FOUND, source: 'api', message: 'The specified firmware does not exist.' });
			}
			return { firmwareId, firmwareName: 'app', destVersion: '1.0.0', productKey: 'pk', status: 0 };
		},
		listJobsByFirmware: async () => ({ items: [], total: 0 }),
		deleteFirmware: async () => assert.fail('nothing is deleted'),
	};
	return { profile: { name: profile }, lifecycle, connection: { region, iotInstanceId } } as unknown as OtaConnection;
}

/**
 * Services over a real in-memory upload history holding rows u1, u2 (fw-gone) and u3 (fw-kept), all of profile "other",
 * uploaded from folder b in cn-shanghai (`recorded`: what the rows say of their folder instead).
 */
async function harness(
	other: OtaConnection,
	reveal: () => Promise<void> = async () => undefined,
	recorded: { folder?: string; instance?: string } = { folder: 'file:///work/b' },
	activeProfile = 'other',
) {
	const { HistoryStore } = await import('../../../src/vscode/history.js');
	let saved: unknown = [row('u1', 'fw-gone'), row('u2', 'fw-gone'), row('u3', 'fw-kept')].map((r) => ({ ...r, ...recorded }));
	const history = new HistoryStore({
		get: () => saved,
		update: async (_key: string, value: unknown) => void (saved = value),
		keys: () => [],
	} as never);
	const { access } = twoProfiles(account('active', ['fw-gone', 'fw-kept']), other);
	const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
	// The rows' profile is the active one (Show in OTA Packages looks in the view first); `active` makes another one active.
	const profiles = { active: () => ({ name: activeProfile }) };
	const s = { log, history, prompter: {}, profiles, ota: { access, view: { refresh: () => undefined, reveal } } };
	const statuses = () => ['u1', 'u2', 'u3'].map((id) => history.get(id)?.status);
	return { s, statuses, entry: history.get('u1') };
}

const isGone = (error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === GONE_HINT;

void describe('an action on an Uploads row whose package was deleted elsewhere', () => {
	void test('Delete Package gets the not-found answer at the row place: the rows of that FirmwareId become deleted, the hint says so', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept']));
		await assert.rejects(deletePackage(s as never, { entry }), isGone);
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});

	void test('Verify on Devices… does the same', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept']));
		await assert.rejects(verifyOnDevices(s as never, { entry }), isGone);
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});

	void test('Show in OTA Packages, not finding it in the view, asks the row place; its not-found marks the rows', async () => {
		const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
		const notInView = new OtaError({ code: 'NotFound', source: 'validation', message: 'fw-gone is not in the OTA Packages view.' });
		const { s, statuses, entry } = await harness(account('other', ['fw-kept']), () => Promise.reject(notInView));
		await assert.rejects(revealPackage(s as never, { entry }), isGone);
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});

	void test('Show in OTA Packages of a package that still exists at the row place keeps the view error and marks nothing', async () => {
		const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
		const notInView = new OtaError({ code: 'NotFound', source: 'validation', message: 'fw-gone is not in the OTA Packages view.' });
		const { s, statuses, entry } = await harness(account('other', ['fw-gone', 'fw-kept']), () => Promise.reject(notInView));
		await assert.rejects(revealPackage(s as never, { entry }), (error: unknown) => error === notInView);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('a timeout marks nothing: the error stays as it was', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const timeout = new OtaError({ code: 'RequestTimeout', source: 'network', message: 'QueryOTAFirmware did not answer.' });
		const { s, statuses, entry } = await harness(account('other', [], timeout));
		await assert.rejects(deletePackage(s as never, { entry }), (error: unknown) => error === timeout);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('a not-found for a package named outside a row (OTA Packages view, plain ids) marks no row', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses } = await harness(account('other', ['fw-kept']));
		s.ota.access.connect = async () => account('active', []);
		await assert.rejects(
			deletePackage(s as never, { firmwareId: 'fw-gone' }),
			(error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === undefined,
		);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('a row recorded before folders were kept marks nothing: the folder holding its file now may not be where it was registered', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept']), undefined, {});
		await assert.rejects(
			deletePackage(s as never, { entry }),
			(error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === undefined,
		);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('a not-found in another region than the row recorded (its settings changed since) marks nothing', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept'], undefined, 'cn-beijing'));
		await assert.rejects(
			verifyOnDevices(s as never, { entry }),
			(error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === undefined,
		);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('Show in OTA Packages of a row from another region asks nothing more and marks nothing', async () => {
		const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
		const notInView = new OtaError({ code: 'NotFound', source: 'validation', message: 'fw-gone is not in the OTA Packages view.' });
		const { s, statuses, entry } = await harness(account('other', ['fw-kept'], undefined, 'cn-beijing'), () =>
			Promise.reject(notInView),
		);
		await assert.rejects(
			revealPackage(s as never, { entry }),
			(error: unknown) =>
				// The view's error, with the hint of revealMoved.test.ts naming both regions.
				error instanceof OtaError && error.code === 'NotFound' && error.message === notInView.message,
		);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('Show in OTA Packages of a row of a profile that is not the active one says so, naming the profile, and shows nothing', async () => {
		const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
		let revealed = 0;
		const { s, statuses, entry } = await harness(
			account('other', ['fw-gone', 'fw-kept']),
			async () => void revealed++,
			undefined,
			'active',
		);
		await assert.rejects(
			revealPackage(s as never, { entry }),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'OtherProfile' &&
				error.message ===
					'This upload was registered with profile "other", and the OTA Packages view lists the packages of the active profile. Switch to profile "other" to see it there.',
		);
		assert.equal(revealed, 0, 'the view was not asked: it lists another profile');
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('Show in OTA Packages of a row of another profile whose package is gone marks the rows (asked at the row place)', async () => {
		const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept']), undefined, undefined, 'active');
		await assert.rejects(revealPackage(s as never, { entry }), isGone);
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});
});

void describe('the hint that a package was deleted elsewhere, in a zh-cn window', () => {
	const ctx: CallContext = {
		action: 'QueryOTAFirmware',
		endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
		secrets: [],
		timeoutMs: 30_000,
	};
	const answer = fromErrorBody({ Code: FIRMWARE_NOT_FOUND, Message: 'Firmware fw-gone not found', RequestId: 'R-9' }, 200, ctx);

	void test('is Chinese after the answer worded by its own reason; the log keeps the English, the code and the RequestId', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses, entry } = await harness(account('other', [], answer));
		const english = stub.l10n.t;
		stub.l10n.t = (message, ...args) => zhL10n.t(message, ...(args as string[]));
		try {
			const error = await thrown(() => deletePackage(s as never, { entry }));
			assert.deepEqual([error.code, error.requestId, error.status, error.source], [FIRMWARE_NOT_FOUND, 'R-9', 200, 'api']);
			const { shown, logged } = errorReport(error, zhL10n);
			assert.equal(
				logged,
				`QueryOTAFirmware failed: Firmware fw-gone not found. ${GONE_HINT} (${FIRMWARE_NOT_FOUND}, RequestId: R-9)`,
			);
			const ownWords = validationText(answer, zhL10n);
			assert.match(ownWords, /[\u4e00-\u9fff]/, 'the answer has its own wording');
			assert.ok(shown.startsWith(`${ownWords}`), shown);
			const hint = shown.slice(ownWords.length);
			assert.match(hint, /[\u4e00-\u9fff]/, hint);
			assert.doesNotMatch(hint, /deleted elsewhere|marked deleted/, hint);
			assert.ok(shown.includes(FIRMWARE_NOT_FOUND) && shown.includes('R-9'), shown);
		} finally {
			stub.l10n.t = english;
		}
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});
});

void describe('an action on an Uploads row that recorded its instance', () => {
	const B = 'file:///work/b';
	const enterprise = { folder: B, instance: 'iot-06z00aaa' };

	void test('a not-found at another instance of the same region (the setting changed since) leaves the rows alone', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses, entry } = await harness(
			account('other', ['fw-kept'], undefined, 'cn-shanghai', 'iot-06z00bbb'),
			undefined,
			enterprise,
		);
		await assert.rejects(
			deletePackage(s as never, { entry }),
			(error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === undefined,
		);
		assert.deepEqual(statuses(), ['registered', 'registered', 'registered']);
	});

	void test('a not-found at the default instance for a row of an Enterprise instance leaves the rows alone, and the reverse', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const { DEFAULT_INSTANCE } = await import('../../../src/vscode/model.js');
		for (const [recorded, reachedAt] of [
			[enterprise, undefined],
			[{ folder: B, instance: DEFAULT_INSTANCE }, 'iot-06z00aaa'],
		] as const) {
			const { s, statuses, entry } = await harness(
				account('other', ['fw-kept'], undefined, 'cn-shanghai', reachedAt),
				undefined,
				recorded,
			);
			await assert.rejects(
				verifyOnDevices(s as never, { entry }),
				(error: unknown) => error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND && error.hint === undefined,
			);
			assert.deepEqual(statuses(), ['registered', 'registered', 'registered'], JSON.stringify(recorded));
		}
	});

	void test('a not-found at the instance the row recorded marks the rows deleted (the default instance too)', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { DEFAULT_INSTANCE } = await import('../../../src/vscode/model.js');
		for (const [recorded, reachedAt] of [
			[enterprise, 'iot-06z00aaa'],
			[{ folder: B, instance: DEFAULT_INSTANCE }, undefined],
		] as const) {
			const { s, statuses, entry } = await harness(
				account('other', ['fw-kept'], undefined, 'cn-shanghai', reachedAt),
				undefined,
				recorded,
			);
			await assert.rejects(deletePackage(s as never, { entry }), isGone);
			assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered'], JSON.stringify(recorded));
		}
	});

	void test('a row recorded before rows kept their instance is judged by folder and region alone, as before', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { s, statuses, entry } = await harness(account('other', ['fw-kept'], undefined, 'cn-shanghai', 'iot-06z00bbb'));
		await assert.rejects(deletePackage(s as never, { entry }), isGone);
		assert.deepEqual(statuses(), ['deleted', 'deleted', 'registered']);
	});
});
