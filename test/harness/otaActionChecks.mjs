// UI checks of the OTA actions (issue 14) against the extension's own Local Sandbox: Roll Out…'s last step (the
// summary of the exact calls and devices, before anything is sent) and Diagnose's detail view of a failed task with
// its fix. The packages and the failing job are made through the core (loaded with tsx), as the tests do; every step
// of the commands is driven from the command palette and the quick input, like a user.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { constants, paletteTitle, text } from './extensionTexts.mjs';
import { sandboxAccess } from './otaUiChecks.mjs';
import { WAIT, assertNoErrorNotification, runPaletteCommand } from './workbenchPage.mjs';

const PRODUCT_KEY = 'a1SandboxPK1';
const FAILING_DEVICE = 'dev-00005';

const core = {
	iot: () => tsImport('../../src/core/iotClient.ts', import.meta.url),
	upload: () => tsImport('../../src/core/uploader.ts', import.meta.url),
	lifecycle: () => tsImport('../../src/core/lifecycle/client.ts', import.meta.url),
};

/** What the set-up made. */
const made = {};

async function clients(access) {
	const { IotClient } = await core.iot();
	const { LifecycleClient } = await core.lifecycle();
	const iot = new IotClient({
		region: 'cn-shanghai',
		endpoint: access.endpoint,
		credentials: { accessKeyId: access.accessKeyId, accessKeySecret: access.secret },
	});
	return { iot, lifecycle: new LifecycleClient(iot) };
}

/** A package that needs no verification (so it can be rolled out at once), uploaded and registered through the core. */
async function registerPackage(iot, label) {
	const { uploadFirmware } = await core.upload();
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-ui-pkg-'));
	try {
		const file = path.join(dir, `${label}.bin`);
		writeFileSync(file, randomBytes(32 * 1024));
		const upload = await uploadFirmware(iot, file);
		const destVersion = `8.${Date.now() % 100000}.0`;
		const firmwareName = `${label}-${destVersion.replace(/\./g, '_')}`;
		const { firmwareId } = await iot.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName,
			destVersion,
			productKey: PRODUCT_KEY,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			needToVerify: false,
		});
		return { firmwareId, firmwareName, destVersion };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function prepareFleet(page, { server }) {
	made.access = await sandboxAccess(page, server);
	made.clients = await clients(made.access);
}

/** A job whose one task fails: FAILING_DEVICE is set to fail, then a batch reaches it (~32 s at time scale 1). */
async function prepareFailedTask() {
	const rule = await globalThis.fetch(`${made.access.endpoint}/__sandbox/faults`, {
		method: 'POST',
		body: JSON.stringify({ target: 'device', devices: [FAILING_DEVICE], behaviour: 'fail' }),
	});
	if (rule.status !== 201) {
		throw new Error(`the sandbox refused the device rule: ${rule.status} ${await rule.text()}`);
	}
	made.failing = await registerPackage(made.clients.iot, 'ui-diagnose');
	const target = { kind: 'devices', deviceNames: [FAILING_DEVICE] };
	const { jobId } = await made.clients.lifecycle.createStaticJob({
		firmwareId: made.failing.firmwareId,
		productKey: PRODUCT_KEY,
		target,
	});
	made.failedJobId = jobId;
	const deadline = Date.now() + 120_000;
	for (;;) {
		const page = await made.clients.lifecycle.listTasksByJob({ jobId, status: 'FAILED', pageSize: 1 });
		if (page.total > 0) {
			return;
		}
		if (Date.now() > deadline) {
			throw new Error(`the task of ${FAILING_DEVICE} in job ${jobId} did not fail within 120 s`);
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

export const OTA_ACTION_PREPARE = { otaFleet: prepareFleet, otaFailedTask: prepareFailedTask };

const widget = (page) => page.locator('.quick-input-widget');
const quickInput = (page) => page.locator('.quick-input-widget input[type="text"]');

/** Waits for the quick input to show `expected` (a step counter, a title), then types `value` and presses Enter. */
async function answer(page, expected, value, beforeEnter = async () => undefined) {
	await widget(page)
		.filter({ hasText: expected })
		.waitFor({ state: 'visible', timeout: 30_000 })
		.catch(async () => {
			throw new Error(
				`the quick input never showed "${expected}"; it shows: ${await widget(page)
					.innerText()
					.catch(() => 'nothing')}`,
			);
		});
	await quickInput(page).fill(value);
	await beforeEnter();
	await page.keyboard.press('Enter');
}

/**
 * Like `answer`, for a pick whose items load after it opens: Enter only once a row shows `value` (typed before the
 * items arrived, Enter accepts nothing and the pick stays).
 */
async function pick(page, expected, value) {
	const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: value });
	await answer(page, expected, value, async () => row.first().waitFor({ state: 'visible', timeout: 30_000 }));
}

/** The palette's product and package picks of a command started without a node. */
async function pickPackage(page, firmwareName) {
	await pick(page, text('Product of the OTA package'), PRODUCT_KEY);
	await pick(page, text('OTA package of {0}', PRODUCT_KEY), firmwareName);
}

export const OTA_ACTION_CHECKS = [
	{
		id: 'ota-summary',
		needs: ['sandbox', 'otaFleet'],
		name: 'UI: the last step of Roll Out… lists the exact calls and the devices it reaches, and Escape sends nothing',
		async run(page, { shoot }) {
			const pkg = await registerPackage(made.clients.iot, 'ui-rollout');
			await runPaletteCommand(page, paletteTitle(constants.Commands.rollOut));
			await pickPackage(page, pkg.firmwareName);
			// Gray 50 %, then every other step with its default (empty inputs, no retry, no option, no guard).
			const answers = ['gray', '50', '', '', '', '', '', '', '', ''];
			for (const [index, value] of answers.entries()) {
				await answer(page, `${index + 1}/11`, value);
			}
			const summary = widget(page).filter({ hasText: '11/11' });
			await summary.waitFor({ state: 'visible', timeout: 30_000 });
			for (const expected of ['CreateOTAStaticUpgradeJob', 'TargetSelection', 'GRAY', 'GrayPercent', text('Start the rollout')]) {
				await summary
					.filter({ hasText: expected })
					.waitFor({ state: 'visible', timeout: 10_000 })
					.catch(async () => {
						throw new Error(`the summary does not show "${expected}"; it shows: ${await widget(page).innerText()}`);
					});
			}
			await summary.filter({ hasText: /\d+ of \d+ devices/ }).waitFor({ state: 'visible', timeout: 10_000 });
			await shoot('rollout-summary');
			await page.keyboard.press('Escape');
			const jobs = await made.clients.lifecycle.listJobsByFirmware({ firmwareId: pkg.firmwareId, pageSize: 10 });
			if (jobs.total !== 0) {
				throw new Error(`Escape on the summary still created ${jobs.total} job(s)`);
			}
			await assertNoErrorNotification(page, 'Roll Out');
		},
	},
	{
		id: 'ota-diagnosis',
		needs: ['sandbox', 'otaFleet', 'otaFailedTask'],
		name: 'UI: Diagnose opens the diagnosis of a failed task, with its cause and a Retry fix above it',
		async run(page, { shoot }) {
			await runPaletteCommand(page, paletteTitle(constants.Commands.diagnose));
			await pickPackage(page, made.failing.firmwareName);
			await answer(page, made.failedJobId, made.failedJobId);
			const editor = page.locator('.editor-instance .monaco-editor').first();
			await editor
				.filter({ hasText: text('Diagnosis of job {0}', made.failedJobId) })
				.waitFor(WAIT)
				.catch(async () => {
					throw new Error(
						`no diagnosis document for job ${made.failedJobId}; the editor shows: ${await editor.innerText().catch(() => '')}`,
					);
				});
			await editor.filter({ hasText: 'the device reported a failure' }).waitFor({ state: 'visible', timeout: 10_000 });
			await page
				.locator('.codelens-decoration', { hasText: text('Retry') })
				.first()
				.waitFor({ state: 'visible', timeout: 20_000 })
				.catch(() => {
					throw new Error('the diagnosis shows no Retry fix above the failed task');
				});
			await shoot('diagnosis');
			await assertNoErrorNotification(page, 'Diagnose');
		},
	},
];
