// Show in OTA Packages on an Uploads row whose place moved since (its folder's or profile's region or instance setting
// changed): the view's NotFound gets one hint naming where the row was registered and where the view looked (movedPlace);
// a row whose place did not move keeps the view's error as it was.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { errorReport } from '../../../src/vscode/errorText';
import { shellRefusal } from '../../../src/vscode/errorWordingsShell';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { registeredRow, stubFolders, twoProfiles } from './placeFixtures';
import { zhL10n } from './wordingHelpers';

const stub = installVscodeStub();
stubFolders(stub);

const notInView = shellRefusal('NotFound', 'not-in-ota-view', { what: 'fw-1' });

/** Profile "other"'s connection now: reached in `region`, at `iotInstanceId` (none: the region's default instance); it knows fw-1. */
function reachedAt(region: string, iotInstanceId?: string): OtaConnection {
	const lifecycle = {
		queryFirmware: async (firmwareId: string) => ({ firmwareId, firmwareName: 'app', destVersion: '1.0.0', productKey: 'pk' }),
	};
	return { profile: { name: 'other' }, lifecycle, connection: { region, iotInstanceId } } as unknown as OtaConnection;
}

/** Show in OTA Packages on a row of the active profile "other" uploaded from folder b in cn-shanghai (`recorded`: its instance); the view does not find it. */
async function reveal(now: OtaConnection, recorded: { instance?: string } = {}) {
	const { revealPackage } = await import('../../../src/vscode/ota/commands.js');
	const { access } = twoProfiles(now, now);
	const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
	const s = { log, profiles: { active: () => ({ name: 'other' }) }, ota: { access, view: { reveal: () => Promise.reject(notInView) } } };
	const entry = { ...registeredRow('u1', 'fw-1'), folder: 'file:///work/b', ...recorded };
	return revealPackage(s as never, { entry }).then(
		() => assert.fail('the view did not find it'),
		(error: unknown) => error,
	);
}

const sameError = (error: unknown) => {
	assert.ok(error instanceof OtaError);
	assert.equal(error.code, 'NotFound');
	assert.equal(error.message, notInView.message);
	return error;
};

void describe('Show in OTA Packages on a row whose place moved', () => {
	void test('a region changed since: the hint names the region the row was registered in and the one the view looked in', async () => {
		const error = sameError(await reveal(reachedAt('cn-beijing')));
		assert.equal(
			error.hint,
			'This upload was registered with profile "other", region cn-shanghai, instance not recorded, and the view looked with ' +
				'profile "other", region cn-beijing, public instance: the region or instance setting of its folder or profile changed since.',
		);
	});

	void test('an instance changed since (same region): the hint names both instances', async () => {
		const { DEFAULT_INSTANCE } = await import('../../../src/vscode/model.js');
		const error = sameError(await reveal(reachedAt('cn-shanghai', 'iot-06z00bbb'), { instance: DEFAULT_INSTANCE }));
		assert.equal(
			error.hint,
			'This upload was registered with profile "other", region cn-shanghai, public instance, and the view looked with ' +
				'profile "other", region cn-shanghai, instance iot-06z00bbb: the region or instance setting of its folder or profile changed since.',
		);
	});

	void test('in a zh-cn window the hint is Chinese with both places, and the log line stays the English the CLI would print', async () => {
		const english = stub.l10n.t;
		stub.l10n.t = (message, ...args) => zhL10n.t(message, ...(args as string[]));
		try {
			const error = sameError(await reveal(reachedAt('cn-beijing')));
			const { shown, logged } = errorReport(error, zhL10n);
			assert.equal(
				logged,
				'fw-1 is not in the OTA Packages view. This upload was registered with profile "other", region cn-shanghai, instance ' +
					'not recorded, and the view looked with profile "other", region cn-beijing, public instance: the region or instance ' +
					'setting of its folder or profile changed since. (NotFound)',
			);
			assert.match(shown, /[\u4e00-\u9fff]/, shown);
			for (const value of ['fw-1', 'other', 'cn-shanghai', 'cn-beijing']) {
				assert.ok(shown.includes(value), `${value} in ${shown}`);
			}
			assert.ok(!/registered with|not recorded|public instance/.test(shown), shown);
		} finally {
			stub.l10n.t = english;
		}
	});

	void test('a place that did not move keeps the view error as it was, without a hint', async () => {
		const error = await reveal(reachedAt('cn-shanghai', 'iot-06z00aaa'), { instance: 'iot-06z00aaa' });
		assert.equal(error, notInView);
	});
});
