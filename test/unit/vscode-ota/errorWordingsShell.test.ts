// The extension's own refusals are made like the core's errors: the log keeps the English the CLI would print, whatever
// the window's language, and the notification words them by their reasons in the window's language.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { OtaError } from '../../../src/core/errors';
import { fromErrorBody, throttlingHint, type CallContext } from '../../../src/core/iot/popErrors';
import { shareProblem, shareProblemText, type BehaviourShare } from '../../../src/sandbox/ota/behaviours';
import { errorReport } from '../../../src/vscode/errorText';
import { placeValues, shareProblemValues, SHELL_WORDINGS, shellRefusal, withShellHint } from '../../../src/vscode/errorWordingsShell';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { installVscodeStub } from '../../support/vscodeStub';
import { assertEnglishAsCore, assertZhKeepsValues, english, zhL10n } from './wordingHelpers';

const vscodeStub = installVscodeStub();
Object.assign(vscodeStub, { workspace: { isTrusted: true } });

const uri = (path: string) => ({ path }) as vscode.Uri;

/** The OtaError `check` throws (or rejects with). */
async function thrown(check: () => unknown): Promise<OtaError> {
	try {
		await check();
	} catch (error) {
		assert.ok(error instanceof OtaError, String(error));
		return error;
	}
	return assert.fail('the check passed');
}

/** The refusal of an upload started while app.bin uploads. */
async function uploadBusy(): Promise<OtaError> {
	const { UploadTracker } = await import('../../../src/vscode/upload/tracker.js');
	const tracker = new UploadTracker();
	tracker.begin({ entryId: 'e1', fileName: 'app.bin', controller: new AbortController() });
	try {
		return await thrown(() => tracker.assertIdle());
	} finally {
		tracker.dispose();
	}
}

/** The refusal of app.hex, which has no allowed suffix, with iotOta.suffixMode "alwaysInfer". */
async function noSuffixToInfer(): Promise<OtaError> {
	const { chooseSuffix } = await import('../../../src/vscode/upload/imageChecks.js');
	return thrown(() => chooseSuffix({ settings: { suffixMode: () => 'alwaysInfer' } } as never, undefined, 'app.hex'));
}

/**
 * The refusal of a.bin (folder a: cn-shanghai) and b.bin (folder b: cn-beijing, instance iot-b) as one package; with
 * `endpointOfB`, folder b's iotOta.endpoint (and the same region as a).
 */
async function connectionsDiffer(endpointOfB?: string): Promise<OtaError> {
	const { assertOneConnection } = await import('../../../src/vscode/create/packageConnection.js');
	const inB = (scope?: vscode.Uri) => scope?.path.startsWith('/work/b/') === true;
	const settings = {
		region: (scope?: vscode.Uri) => (inB(scope) && endpointOfB === undefined ? 'cn-beijing' : 'cn-shanghai'),
		endpoint: (scope?: vscode.Uri) => (inB(scope) && endpointOfB !== undefined ? { workspace: endpointOfB } : {}),
		iotInstanceId: (scope?: vscode.Uri) => ({ workspace: inB(scope) ? 'iot-b' : undefined }),
	};
	const s = { settings, endpointDeclines: { list: () => [] } };
	const profile = { name: 'lab', accessKeyId: 'LTAI', region: 'cn-shanghai', kind: 'user' };
	return thrown(() => assertOneConnection(s as never, [uri('/work/a/a.bin'), uri('/work/b/b.bin')], profile as never));
}

/** The sandbox's refusal of `shares` in iotOta.sandbox.behaviours, with the English the sandbox says to the CLI. */
function behaviours(...shares: Array<[string, number]>): [OtaError, string] {
	const problem = shareProblem(shares.map(([behaviour, percent]) => ({ behaviour, percent }) as BehaviourShare));
	assert.ok(problem);
	return [
		shellRefusal('InvalidSetting', 'sandbox-behaviours', shareProblemValues(problem)),
		`iotOta.sandbox.behaviours: ${shareProblemText(problem)}`,
	];
}

const ctx: CallContext = { action: 'QueryOTAFirmware', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };

const GONE = 'The package was deleted elsewhere (the CLI or the console): its uploads are now marked deleted.';

/** Each refusal as its builder makes it, with the English it has always said. */
async function cases(): Promise<Array<[OtaError, string]>> {
	const { folderNotOpen, noCredentials } = await import('../../../src/vscode/ota/access.js');
	return [
		[await uploadBusy(), 'app.bin is still uploading; uploads run one at a time.'],
		[
			await noSuffixToInfer(),
			'"app.hex" has no allowed OTA suffix (bin, dav, apk, tar, gz, tar.gz, zip, gzip). Rename the file, or set iotOta.suffixMode to "ask" to choose the suffix.',
		],
		[
			await connectionsDiffer(),
			'a.bin and b.bin are in folders whose settings choose different connections (iotOta.region "cn-shanghai" ≠ "cn-beijing", iotOta.iotInstanceId (not set) ≠ "iot-b"), and one package is registered in one account and instance. Upload them as a package per file, or give the folders the same settings.',
		],
		behaviours(['explode', 5]),
		behaviours(['fail-flash', 101]),
		behaviours(['fail-flash', 60], ['slow', 40.5]),
		[
			shellRefusal('CredentialsSourceUnavailable', 'credential-source-unavailable', {}, 'credentials'),
			'This credential source is not available.',
		],
		[
			shellRefusal('CredentialsNotReadBack', 'credentials-not-read-back', {}, 'credentials'),
			'The credentials just saved could not be read back from secret storage.',
		],
		[
			withShellHint(fromErrorBody({ Code: 'iot.ota.FirmwareNotFound' }, 200, ctx), 'package-deleted-elsewhere'),
			`QueryOTAFirmware failed with iot.ota.FirmwareNotFound. ${GONE}`,
		],
		[
			withShellHint(fromErrorBody({ Code: 'Throttling.User' }, 400, ctx), 'package-deleted-elsewhere'),
			`QueryOTAFirmware failed with Throttling.User. ${throttlingHint('QueryOTAFirmware')} ${GONE}`,
		],
		[
			folderNotOpen(uri('/work/fw/app.bin'), uri('/work/fw')),
			'Folder fw is no longer open in this window: its settings (region, endpoint, instance) chose where app.bin was registered, and without them another instance could be reached. Add the folder to the workspace again, then retry.',
		],
		[noCredentials('lab'), 'Profile "lab" has no credentials on this machine.'],
		[
			shellRefusal('NoCredentials', 'package-profile-no-credentials', { profile: 'lab' }, 'credentials'),
			'Profile "lab" has no credentials on this machine. The package is still registered with the account of that profile: configure it again, or delete the package in the OTA Packages view with a profile of the same account.',
		],
		[noCredentials('lab', 'watch'), 'Profile "lab" of this watch has no credentials on this machine.'],
		[shellRefusal('NoCredentials', 'no-active-profile', {}, 'credentials'), 'No active profile.'],
		[
			shellRefusal('OtherProfile', 'other-profile-row', { profile: 'lab' }),
			'This upload was registered with profile "lab", and the OTA Packages view lists the packages of the active profile. Switch to profile "lab" to see it there.',
		],
		[shellRefusal('NotWatching', 'no-watch'), 'No OTA job is being watched. Choose Watch Job on a job in the OTA Packages view.'],
		[shellRefusal('NotWatching', 'job-not-watched', { jobId: 'J1' }), 'Job J1 is not being watched.'],
		[shellRefusal('NoProduct', 'choose-product-devices'), 'Choose the Devices of a product in the OTA Packages view.'],
		[shellRefusal('NoDevice', 'choose-device'), 'Choose a device in the OTA Packages view.'],
		[
			shellRefusal('NoPackage', 'upload-not-registered'),
			'This upload is not registered as an OTA package yet: run Create OTA Firmware… first.',
		],
		[
			shellRefusal('NoPackage', 'no-package-to-roll-out', { productKey: 'a1Pk' }),
			'Product a1Pk has no verified OTA package to roll out. Verify one first (Verify on Devices…).',
		],
		[
			shellRefusal('NoPackage', 'no-package-to-verify', { productKey: 'a1Pk' }),
			'Product a1Pk has no OTA package waiting for verification.',
		],
		[shellRefusal('NoPackage', 'product-no-package', { productKey: 'a1Pk' }), 'Product a1Pk has no OTA package.'],
		[shellRefusal('NoDevice', 'product-no-device', { productKey: 'a1Pk' }), 'Product a1Pk has no device.'],
		[shellRefusal('NoJob', 'package-no-job', { firmwareName: 'fw-1.2' }), 'Package fw-1.2 has no job yet.'],
		[
			shellRefusal('NoPackage', 'diagnose-first'),
			'Run Diagnose on a failed verification to register its image with the version it reports.',
		],
		[
			shellRefusal('NoFirmwareUrl', 'no-firmware-url', { firmwareName: 'fw-1.2' }),
			'Package fw-1.2 has several files or no FirmwareUrl: upload the image again instead.',
		],
		[shellRefusal('NothingToCancel', 'no-unfinished-task', { jobId: 'J1' }), 'Job J1 has no unfinished task to cancel.'],
		[
			shellRefusal('MixedSelection', 'mixed-selection'),
			'Select the tasks of one job, or one job or task group: the selection holds rows of several jobs or kinds.',
		],
		[shellRefusal('NothingChosen', 'nothing-to-retry'), 'None of the chosen tasks failed or was cancelled: nothing to retry.'],
		[shellRefusal('NothingChosen', 'nothing-to-confirm'), 'None of the chosen tasks waits for confirmation.'],
		[shellRefusal('NoGroup', 'no-device-group'), 'This account has no device group. Create one in the IoT Platform console first.'],
		[shellRefusal('NotFound', 'not-in-ota-view', { what: 'fw-1.2' }), 'fw-1.2 is not in the OTA Packages view.'],
		[
			shellRefusal('NotFound', 'not-in-ota-view-moved', {
				what: 'fw-1.2',
				...placeValues('recorded', { profile: 'lab', region: 'cn-shanghai' }),
				...placeValues('now', { profile: 'lab', region: 'cn-beijing', instance: 'iot-06z00aaa' }),
			}),
			'fw-1.2 is not in the OTA Packages view. This upload was registered with profile "lab", region cn-shanghai, instance not recorded, and the view looked with profile "lab", region cn-beijing, instance iot-06z00aaa: the region or instance setting of its folder or profile changed since.',
		],
		[
			shellRefusal('NoDevice', 'expand-devices-first', { productKey: 'a1Pk', deviceName: 'dev-7' }),
			'Expand the Devices of a1Pk and choose dev-7 there first.',
		],
		[shellRefusal('NoFolder', 'choose-folder'), 'Right-click a folder in the Explorer to upload the firmware files in it.'],
		[
			shellRefusal('NotUploaded', 'not-uploaded', { fileName: 'app.bin' }),
			'app.bin has not been uploaded successfully, so it cannot be registered.',
		],
		[shellRefusal('AlreadyRegistering', 'registering-already', { fileName: 'app.bin' }), 'app.bin is being registered already.'],
		[
			shellRefusal('NoFirmwareUrl', 'upload-unfinished', { fileName: 'app.bin' }),
			'app.bin has no FirmwareUrl: its upload did not finish.',
		],
		[shellRefusal('NoUploads', 'no-uploads'), 'No uploaded firmware in this workspace yet. Upload a firmware file first.'],
		[shellRefusal('NoFile', 'choose-file-to-reveal'), 'Choose a firmware file or an upload to reveal.'],
		[shellRefusal('FileNotFound', 'file-gone', { name: 'app.bin' }), 'app.bin no longer exists.'],
		[
			shellRefusal('InvalidInsertTarget', 'insert-target-outside', { file: '../x.json' }, 'config'),
			'iotOta.insertTargets entry "../x.json" points outside the workspace folder. Use a path relative to the workspace folder.',
		],
		[
			shellRefusal('InsertTargetMissing', 'insert-target-missing', { file: 'cfg/ota.json' }, 'config'),
			'The insert target cfg/ota.json does not exist. Fix iotOta.insertTargets.',
		],
		[
			shellRefusal('UnsupportedConfigFile', 'insert-file-format-unknown', { name: 'ota.xml' }, 'config'),
			'ota.xml is not a config format the FirmwareUrl can be inserted into. Supported: JSON/JSONC, YAML, TOML, .env, .properties, INI, sdkconfig, C/C++ headers.',
		],
		[shellRefusal('EditRejected', 'edit-rejected', {}, 'config'), 'VS Code refused the edit (is the file read-only?).'],
	];
}

void test('each of the extension own refusals says in English what it always said, worded alike in an English window', async () => {
	const tried = await cases();
	for (const [error, message] of tried) {
		assert.equal(english(error), message);
		assertEnglishAsCore(error, error.reason?.code ?? '(none)');
	}
	assert.deepEqual(
		[...new Set(tried.map(([error]) => error.reason?.code))].sort(),
		Object.keys(SHELL_WORDINGS).sort(),
		'every reason is tried',
	);
});

/** `run` with vscode.l10n translating as in a zh-cn window. */
async function inZhWindow<T>(run: () => Promise<T>): Promise<T> {
	const english = vscodeStub.l10n.t;
	vscodeStub.l10n.t = (message, ...args) => zhL10n.t(message, ...(args as string[]));
	try {
		return await run();
	} finally {
		vscodeStub.l10n.t = english;
	}
}

void test('in a zh-cn window the notification of each refusal is Chinese with its values, and the log line stays English', async () => {
	// Built in a zh-cn window: whatever the window's language, the refusal's message and hint stay the CLI's English.
	for (const [error, message] of await inZhWindow(cases)) {
		const { shown, logged } = errorReport(error, zhL10n);
		assert.equal(logged, `${message} (${error.code})`, 'the log line is the English the CLI would print');
		assert.equal(logged, errorReport(error, plainL10n).shown);
		assertZhKeepsValues(error, error.reason?.code === 'sandbox-behaviours' ? ['problem'] : []);
		assert.match(shown, /[\u4e00-\u9fff]/, shown);
		assert.ok(shown.endsWith(`（${error.code}）`), shown);
	}
});

void test('watches ended by a stopped Local sandbox log it in English and show it in the window language', async () => {
	const { sandboxStopped } = await import('../../../src/vscode/ota/watchRules.js');
	const stopped = await inZhWindow(async () => sandboxStopped());
	assert.equal(stopped.logged, 'The Local sandbox was stopped.');
	assert.match(stopped.error, /[\u4e00-\u9fff]/, stopped.error);
	assert.equal(stopped.sandboxStopped, true);
});

void test('the busy message a second Upload Firmware shows at once is worded in the window language, naming the file', async () => {
	const { UploadTracker } = await import('../../../src/vscode/upload/tracker.js');
	const tracker = new UploadTracker();
	tracker.begin({ entryId: 'e1', fileName: 'app.bin', controller: new AbortController() });
	const busy = await inZhWindow(async () => tracker.busyMessage());
	assert.equal(busy, errorReport(await uploadBusy(), zhL10n).shown.replace(/（UploadBusy）$/, ''));
	assert.match(busy ?? '', /^app\.bin[^a-z]*[\u4e00-\u9fff]/, busy);
	tracker.dispose();
});

void test("package files under different connections: an endpoint's user name, password and secret query are in no text nor value", async () => {
	const error = await connectionsDiffer('https://ak:s3cret@gw.example.com/iot?SecurityToken=t0k');
	const { shown, logged } = errorReport(error, zhL10n);
	for (const text of [logged, shown, JSON.stringify(error.reason?.values), error.message]) {
		assert.doesNotMatch(text, /s3cret|t0k|ak:/, text);
	}
	assert.match(logged, /iotOta\.endpoint \(not set\) ≠ "https:\/\/\*\*\*@gw\.example\.com\/iot\?SecurityToken=\*\*\*"/, logged);
	assert.doesNotMatch(logged, /iotOta\.region/, 'only the setting that differs');
	assert.match(shown, /gw\.example\.com/, shown);
});
