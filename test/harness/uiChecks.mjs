// Browser session 2: the workbench with the production extension installed from its packaged files (no test payload),
// driven like a user. Each check counts as one test and leaves PNGs in test-results/screenshots/. Every check can run
// alone (IOT_OTA_UI_CHECK=upload,cancel): what it needs (e.g. a running sandbox) it sets up itself.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openWorkbenchPage, workbenchLogger, workbenchUrl } from './browser.mjs';
import { repoRoot, resultsDir, screenshotsDir } from './config.mjs';
import { constants, paletteTitle, text, title } from './extensionTexts.mjs';
import {
	WAIT,
	assertNoErrorNotification,
	chooseMenuItem,
	closeOverlays,
	explorerRow,
	openContextMenuOn,
	openExplorer,
	openViewContainer,
	runPaletteCommand,
	toastTexts,
} from './workbenchPage.mjs';
import { LARGE_FIRMWARE } from './workspace.mjs';
import { OTA_CHECKS, OTA_PREPARE } from './otaUiChecks.mjs';
import { OTA_ACTION_CHECKS, OTA_ACTION_PREPARE } from './otaActionChecks.mjs';

export const LARGE_FIRMWARE_MB = 200;

const UPLOAD_MENU_TITLE = title('command.uploadFirmware');
const CONTAINER_TITLE = title('viewsContainers.iotOta.title');
const START_SANDBOX = paletteTitle(constants.Commands.startSandbox);
const CLEAR_NOTIFICATIONS = 'Notifications: Clear All Notifications'; // a workbench command, not ours
const CANCEL = 'Cancel'; // the workbench's button on a cancellable progress notification

const statusItem = (page) => page.locator(`.part.statusbar [id$="${constants.STATUS_BAR_ITEM_ID}"]`).first();
const uploadingToast = (page) => page.locator('.notification-toast', { hasText: text('Uploading {0}', LARGE_FIRMWARE) }).first();
const resultToast = (page) =>
	page.locator('.notification-toast', { hasText: text(/^Uploaded \{0\} \(\{1\}\)\. Register/, LARGE_FIRMWARE) }).first();

/** Runs "Start Local Sandbox" from the palette and waits for its profile in the Account view. */
async function startSandbox(page) {
	await openViewContainer(page, CONTAINER_TITLE); // the extension's contributions are in
	await runPaletteCommand(page, START_SANDBOX);
	await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
	await openViewContainer(page, CONTAINER_TITLE);
	await page
		.locator('.part.sidebar .monaco-list-row', { hasText: constants.SANDBOX_PROFILE })
		.first()
		.waitFor(WAIT)
		.catch(() => {
			throw new Error(`the "${CONTAINER_TITLE}" views do not list the "${constants.SANDBOX_PROFILE}" profile after ${START_SANDBOX}`);
		});
}

/** Right-click → Upload on the large firmware; resolves once the progress notification is up. */
async function startLargeUpload(page) {
	await chooseMenuItem(page, await openContextMenuOn(page, LARGE_FIRMWARE, UPLOAD_MENU_TITLE));
	await uploadingToast(page)
		.waitFor({ state: 'visible', timeout: 30_000 })
		.catch(async () => {
			throw new Error(
				`no progress notification for ${LARGE_FIRMWARE}; notifications: ${(await toastTexts(page)).join(' | ') || 'none'}`,
			);
		});
}

/** Preconditions a check may need, each set up once per session (by the check that proves it, or on demand). */
const PREPARE = { sandbox: startSandbox, ...OTA_PREPARE, ...OTA_ACTION_PREPARE };

const CHECKS = [
	{
		id: 'workbench',
		name: 'UI: the workbench opens the fixture workspace',
		async run(page) {
			await page.locator('.monaco-workbench').waitFor(WAIT);
			await openExplorer(page);
			await explorerRow(page, 'firmware.bin').waitFor(WAIT);
		},
	},
	{
		id: 'container',
		name: `UI: the activity bar shows the "${CONTAINER_TITLE}" view container`,
		async run(page) {
			await openViewContainer(page, CONTAINER_TITLE);
			// Once the extension is active, the Firmware Files view lists the fixture's PlatformIO build output.
			await page
				.locator('.part.sidebar .monaco-list-row', { hasText: 'firmware.bin' })
				.first()
				.waitFor(WAIT)
				.catch(() => {
					throw new Error(`the "${CONTAINER_TITLE}" container does not list the fixture's firmware.bin (Firmware Files view)`);
				});
		},
	},
	{
		id: 'menu-bin',
		name: `UI: the explorer context menu on firmware.bin offers "${UPLOAD_MENU_TITLE}"`,
		async run(page) {
			await openContextMenuOn(page, 'firmware.bin', UPLOAD_MENU_TITLE);
		},
	},
	{
		id: 'menu-targz',
		name: `UI: the explorer context menu on build/app.tar.gz offers "${UPLOAD_MENU_TITLE}"`,
		async run(page) {
			await openExplorer(page);
			const folder = explorerRow(page, 'build');
			await folder.waitFor(WAIT);
			if ((await folder.getAttribute('aria-expanded')) !== 'true') {
				await folder.click();
			}
			await openContextMenuOn(page, 'app.tar.gz', UPLOAD_MENU_TITLE);
		},
	},
	{
		id: 'sandbox',
		proves: 'sandbox',
		name: `UI: the command palette runs "${START_SANDBOX}"`,
		async run(page) {
			await startSandbox(page);
			await assertNoErrorNotification(page, START_SANDBOX);
		},
	},
	{
		id: 'upload',
		needs: ['sandbox'],
		name: `UI: uploading ${LARGE_FIRMWARE} shows the status bar, the cancellable progress notification and the result`,
		async run(page, { shoot }) {
			await startLargeUpload(page);
			// While uploading the status item reads "… 42% large-firmware.bin · 80 MB/s" (or "· ticket" before bytes flow).
			const name = LARGE_FIRMWARE.replace(/\./g, '\\.');
			await statusItem(page)
				.filter({ hasText: new RegExp(`\\d+%.*${name}|${name}.*ticket`) })
				.waitFor({ state: 'visible', timeout: 30_000 })
				.catch(async () => {
					const items = await page
						.locator('.part.statusbar .statusbar-item')
						.evaluateAll((els) => els.map((e) => `${e.id}="${e.textContent?.trim()}"`));
					throw new Error(`the status bar never showed ${LARGE_FIRMWARE} uploading; items: ${items.join(', ')}`);
				});
			await shoot('during-upload');
			const toast = uploadingToast(page);
			await toast
				.locator('.monaco-button', { hasText: CANCEL })
				.first()
				.waitFor({ state: 'visible', timeout: 5_000 })
				.catch(() => {
					throw new Error('the progress notification has no Cancel button');
				});
			// Once bytes flow: "Uploading large-firmware.bin: 42% · 84.0 / 200 MB · …".
			await toast
				.filter({ hasText: /[1-9]\d*% · [\d.]+ \/ \d+ MB/ })
				.waitFor({ state: 'visible', timeout: 30_000 })
				.catch(async () => {
					throw new Error(
						`the progress notification showed no percentage above 0; it reads: ${(await toastTexts(page)).join(' | ')}`,
					);
				});
			await shoot('progress-notification');
			// Afterwards: a check mark in the status bar (tooltip with URL, size, MD5, time) and the result notification.
			await statusItem(page)
				.locator('.codicon-check')
				.waitFor({ timeout: 120_000 })
				.catch(async () => {
					throw new Error(
						`the upload did not finish with a check mark within 120 s; notifications: ${(await toastTexts(page)).join(' | ') || 'none'}`,
					);
				});
			const result = resultToast(page);
			await result.waitFor({ state: 'visible', timeout: 15_000 });
			for (const action of [text('Insert into Config'), text('Copy URL'), text('Create OTA Firmware…')]) {
				await result
					.locator('.monaco-button', { hasText: action })
					.first()
					.waitFor({ state: 'visible', timeout: 5_000 })
					.catch(() => {
						throw new Error(`the result notification has no "${action}" button`);
					});
			}
			await result.hover(); // a hovered toast does not fade while the picture is taken
			await shoot('result-notification');
			await statusItem(page).hover();
			await page
				.locator('.monaco-hover', { hasText: LARGE_FIRMWARE })
				.filter({ hasText: 'MD5' })
				.first()
				.waitFor({ state: 'visible', timeout: 10_000 })
				.catch(() => {
					throw new Error(`hovering the status-bar result shows no tooltip naming ${LARGE_FIRMWARE} and its MD5`);
				});
			await shoot('status-tooltip');
			await assertNoErrorNotification(page, 'upload');
		},
	},
	{
		id: 'cancel',
		needs: ['sandbox'],
		name: `UI: Cancel on the progress notification stops the upload of ${LARGE_FIRMWARE} at once`,
		async run(page, { shoot }) {
			await runPaletteCommand(page, CLEAR_NOTIFICATIONS); // e.g. an earlier upload's result
			await startLargeUpload(page);
			const toast = uploadingToast(page);
			await toast.filter({ hasText: /[1-9]\d*% · / }).waitFor({ state: 'visible', timeout: 30_000 }); // bytes are flowing
			await toast.locator('.monaco-button', { hasText: CANCEL }).first().click();
			await statusItem(page)
				.locator('.codicon-circle-slash')
				.waitFor({ timeout: 10_000 })
				.catch(async () => {
					const shown = await statusItem(page)
						.textContent()
						.catch(() => '');
					throw new Error(`the status bar did not show the upload as cancelled within 10 s (it shows "${shown?.trim()}")`);
				});
			await toast.waitFor({ state: 'hidden', timeout: 10_000 });
			await shoot('cancelled');
			if ((await resultToast(page).count()) > 0) {
				throw new Error('a cancelled upload still reported the upload as done');
			}
			await assertNoErrorNotification(page, 'cancel');
		},
	},
	...OTA_CHECKS,
	...OTA_ACTION_CHECKS,
];

/** The ids IOT_OTA_UI_CHECK may name. */
export const UI_CHECK_IDS = CHECKS.map((check) => check.id);

/** The checks a comma-separated IOT_OTA_UI_CHECK selects (all when empty); an unknown id is an error. */
export function selectUiChecks(filter = process.env.IOT_OTA_UI_CHECK ?? '') {
	const wanted = filter
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	const unknown = wanted.filter((id) => !UI_CHECK_IDS.includes(id));
	if (unknown.length > 0) {
		throw new Error(`IOT_OTA_UI_CHECK names unknown check(s) ${unknown.join(', ')}; known: ${UI_CHECK_IDS.join(', ')}`);
	}
	return wanted.length === 0 ? CHECKS : CHECKS.filter((check) => wanted.includes(check.id));
}

/** Runs the selected UI checks in one workbench; returns [{ title, state, error?, screenshots }]. */
export async function runUiChecks({ browser, server, workspace, print, checks = selectUiChecks() }) {
	rmSync(screenshotsDir, { recursive: true, force: true }); // no stale pictures from an earlier run
	mkdirSync(screenshotsDir, { recursive: true });
	const { context, page } = await openWorkbenchPage(browser, {
		onLog: workbenchLogger(path.join(resultsDir, 'logs', 'workbench-ui.log'), print),
		onExit: () => {},
	});
	const prepared = new Set();
	const results = [];
	try {
		await page.goto(workbenchUrl({ host: server.host, folder: workspace })); // the extension is installed, not in development
		// Ready for any check first: the workbench shows the workspace (what the 'workbench' check then asserts in full).
		await explorerRow(page, 'firmware.bin')
			.waitFor(WAIT)
			.catch(() => undefined);
		for (const check of checks) {
			const screenshots = [];
			const shoot = async (suffix) => {
				const file = path.join(
					screenshotsDir,
					`${String(UI_CHECK_IDS.indexOf(check.id) + 1).padStart(2, '0')}-${check.id}${suffix ? `-${suffix}` : ''}.png`,
				);
				await page.screenshot({ path: file }).catch((error) => print(`[ui] screenshot ${file} failed: ${error.message}`));
				screenshots.push(path.relative(repoRoot, file));
			};
			try {
				for (const need of (check.needs ?? []).filter((n) => !prepared.has(n))) {
					await PREPARE[need](page, { server, print }).catch((error) => {
						throw new Error(`setting up "${need}" failed: ${error.message}`, { cause: error });
					});
					prepared.add(need);
					await closeOverlays(page);
				}
				await check.run(page, { shoot, print, server });
				if (check.proves) {
					prepared.add(check.proves);
				}
				await shoot();
				results.push({ title: check.name, state: 'passed', screenshots });
				print(`  ✔ ${check.name}`);
			} catch (error) {
				await shoot('FAILED');
				results.push({ title: check.name, state: 'failed', error: error.message.split('\n')[0], screenshots });
				print(`  ✘ ${check.name}\n      ${error.message.split('\n')[0]}`);
			}
			await closeOverlays(page);
		}
	} finally {
		await context.close().catch(() => {});
	}
	return results;
}
