// Browser session 2: the workbench with the extension installed from its packaged files (no test payload), driven like a user.
// Each check counts as one test; every step leaves a PNG in test-results/screenshots/.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openWorkbenchPage, workbenchLogger, workbenchUrl } from './browser.mjs';
import { repoRoot, resultsDir, screenshotsDir } from './config.mjs';

const UPLOAD_MENU_TITLE = 'Upload Firmware to IoT Platform';
const CONTAINER_TITLE = 'IoT OTA';
const START_SANDBOX_TITLE = 'IoT OTA: Start Local Sandbox';
const STATUS_BAR_ITEM_ID = 'iotOta.uploadStatus'; // src/vscode/constants.ts STATUS_BAR_ITEM_ID
const SANDBOX_PROFILE_NAME = 'Local sandbox'; // src/vscode/sandbox.ts SANDBOX_PROFILE
export const LARGE_FIRMWARE = 'large-firmware.bin'; // created by workspace.mjs
export const LARGE_FIRMWARE_MB = 200;

const WAIT = { timeout: 60_000 };

function explorerRow(page, name) {
	return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
}

async function openExplorer(page) {
	await page.keyboard.press('Control+Shift+E');
	await page.locator('.explorer-folders-view').waitFor(WAIT);
}

/** Clicks the container's activity-bar icon; fails with the titles that are there when ours is missing. */
async function openViewContainer(page) {
	const item = page
		.locator(`.part.activitybar .action-item[aria-label^="${CONTAINER_TITLE}"]`)
		.or(page.locator('.part.activitybar .action-item').filter({ has: page.locator(`[aria-label^="${CONTAINER_TITLE}"]`) }))
		.first();
	await item.waitFor({ state: 'visible', timeout: 60_000 }).catch(async () => {
		const labels = await page
			.locator('.part.activitybar [aria-label]')
			.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('aria-label')))]);
		throw new Error(`no activity-bar item titled "${CONTAINER_TITLE}"; present: ${labels.join(' | ')}`);
	});
	if ((await page.locator('.part.sidebar .composite.title', { hasText: new RegExp(CONTAINER_TITLE, 'i') }).count()) === 0) {
		await item.click();
	}
	await page.locator('.part.sidebar .composite.title', { hasText: new RegExp(CONTAINER_TITLE, 'i') }).waitFor(WAIT);
}

async function closeOverlays(page) {
	for (let i = 0; i < 2; i++) {
		await page.keyboard.press('Escape');
	}
}

/** Right-clicks a row in the explorer and returns the menu item with the upload title. */
async function openUploadMenuOn(page, name) {
	await openExplorer(page);
	const row = explorerRow(page, name);
	await row.waitFor(WAIT);
	await row.click({ button: 'right' });
	await page.locator('.monaco-menu').first().waitFor(WAIT);
	const item = page.locator('.monaco-menu .action-item', { hasText: UPLOAD_MENU_TITLE }).first();
	await item.waitFor({ state: 'visible', timeout: 15_000 }).catch(async () => {
		const offered = await page
			.locator('.monaco-menu .action-label')
			.allInnerTexts()
			.catch(() => []);
		throw new Error(
			`the explorer context menu on ${name} has no "${UPLOAD_MENU_TITLE}" item; it offers: ${offered
				.map((t) => t.trim())
				.filter(Boolean)
				.join(' | ')}`,
		);
	});
	return item;
}

/**
 * Activates a context-menu item. Monaco menus ignore a mouse-up that comes too soon after they open (so the right-click
 * release does not pick an item), so a click can be swallowed: hover first, and fall back to Enter on the
 * hovered (focused) item when the menu is still open.
 */
async function chooseMenuItem(page, item) {
	await item.hover();
	await page.waitForTimeout(250);
	await item.click();
	const menu = page.locator('.context-view .monaco-menu').first();
	const closed = await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(
		() => true,
		() => false,
	);
	if (!closed) {
		await item.hover();
		await page.keyboard.press('Enter');
		await menu.waitFor({ state: 'hidden', timeout: 5_000 });
	}
}

async function runPaletteCommand(page, title) {
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input[type="text"]');
	await input.waitFor(WAIT);
	await input.fill(`>${title}`);
	const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^[^:]+:\s*/, '') }).first();
	await entry.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
		throw new Error(`the command palette has no entry "${title}"`);
	});
	await entry.click();
}

async function assertNoErrorNotification(page, context) {
	const errors = page.locator('.notification-toast .codicon-error, .notification-toast .codicon-notifications-error');
	if ((await errors.count()) > 0) {
		const text = await page.locator('.notification-toast').allInnerTexts();
		throw new Error(`${context}: error notification shown: ${text.join(' | ')}`);
	}
}

const CHECKS = [
	{
		name: 'UI: the workbench opens the fixture workspace',
		async run(page) {
			await page.locator('.monaco-workbench').waitFor(WAIT);
			await openExplorer(page);
			await explorerRow(page, 'firmware.bin').waitFor(WAIT);
		},
	},
	{
		name: `UI: the activity bar shows the "${CONTAINER_TITLE}" view container`,
		async run(page) {
			await openViewContainer(page);
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
		name: `UI: the explorer context menu on firmware.bin offers "${UPLOAD_MENU_TITLE}"`,
		async run(page) {
			await openUploadMenuOn(page, 'firmware.bin');
		},
	},
	{
		name: `UI: the explorer context menu on build/app.tar.gz offers "${UPLOAD_MENU_TITLE}"`,
		async run(page) {
			await openExplorer(page);
			const folder = explorerRow(page, 'build');
			await folder.waitFor(WAIT);
			if ((await folder.getAttribute('aria-expanded')) !== 'true') {
				await folder.click();
			}
			await openUploadMenuOn(page, 'app.tar.gz');
		},
	},
	{
		name: `UI: the command palette runs "${START_SANDBOX_TITLE}"`,
		async run(page) {
			await runPaletteCommand(page, START_SANDBOX_TITLE);
			await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
			// The sandbox becomes the active profile, listed in the container's Account view.
			await openViewContainer(page);
			await page
				.locator('.part.sidebar .monaco-list-row', { hasText: SANDBOX_PROFILE_NAME })
				.first()
				.waitFor(WAIT)
				.catch(() => {
					throw new Error(
						`the "${CONTAINER_TITLE}" views do not list the "${SANDBOX_PROFILE_NAME}" profile after ${START_SANDBOX_TITLE}`,
					);
				});
			await assertNoErrorNotification(page, START_SANDBOX_TITLE);
		},
	},
	{
		name: `UI: uploading ${LARGE_FIRMWARE} shows the status bar, the cancellable progress notification and the result`,
		async run(page, { shoot, print }) {
			const item = await openUploadMenuOn(page, LARGE_FIRMWARE);
			await chooseMenuItem(page, item);
			// The item's DOM id is `<extension id>.${STATUS_BAR_ITEM_ID}`; while uploading it reads "… 42% large-firmware.bin · 80 MB/s"
			// (or "· ticket" before the bytes flow), afterwards a check mark and the file name.
			const status = page.locator(`.part.statusbar [id$="${STATUS_BAR_ITEM_ID}"]`).first();
			const name = LARGE_FIRMWARE.replace(/\./g, '\\.');
			const uploading = status.filter({ hasText: new RegExp(`\\d+%.*${name}|${name}.*ticket`) });
			await uploading.waitFor({ state: 'visible', timeout: 60_000 }).catch(async () => {
				const items = await page
					.locator('.part.statusbar .statusbar-item')
					.evaluateAll((els) => els.map((e) => `${e.id}="${e.textContent?.trim()}"`));
				const toasts = await page
					.locator('.notification-toast')
					.allInnerTexts()
					.catch(() => []);
				throw new Error(
					`the status bar never showed ${LARGE_FIRMWARE} uploading; items: ${items.join(', ')}; notifications: ${toasts.join(' | ') || 'none'}`,
				);
			});
			await shoot('during-upload');
			// The cancellable progress notification, once bytes flow: "Uploading large-firmware.bin: 42% · 84.0 / 200 MB · …".
			const toast = page.locator('.notification-toast', { hasText: `Uploading ${LARGE_FIRMWARE}` }).first();
			await toast.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
				throw new Error(`no progress notification "Uploading ${LARGE_FIRMWARE}" while the status bar shows the upload`);
			});
			await toast
				.locator('.monaco-button', { hasText: 'Cancel' })
				.first()
				.waitFor({ state: 'visible', timeout: 5_000 })
				.catch(() => {
					throw new Error('the progress notification has no Cancel button');
				});
			await toast
				.filter({ hasText: /[1-9]\d*% · [\d.]+ \/ \d+ MB/ })
				.waitFor({ state: 'visible', timeout: 30_000 })
				.catch(() => print('[ui] the progress notification showed no percentage above 0 within 30 s'));
			await shoot('progress-notification');
			// Afterwards: a check mark in the status bar (tooltip with URL, size, MD5, time) and the result notification.
			await status
				.locator('.codicon-check')
				.waitFor({ timeout: 120_000 })
				.catch(async () => {
					const toasts = await page
						.locator('.notification-toast')
						.allInnerTexts()
						.catch(() => []);
					throw new Error(
						`the upload did not finish with a check mark within 120 s; notifications: ${toasts.join(' | ') || 'none'}`,
					);
				});
			const result = page.locator('.notification-toast', { hasText: `Uploaded ${LARGE_FIRMWARE}` }).first();
			await result.waitFor({ state: 'visible', timeout: 15_000 });
			for (const action of ['Insert into Config', 'Copy URL', 'Create OTA Firmware…']) {
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
			await status.hover();
			await page
				.locator('.monaco-hover', { hasText: 'Uploaded' })
				.first()
				.waitFor({ state: 'visible', timeout: 10_000 })
				.then(
					() => shoot('status-tooltip'),
					() => print('[ui] no tooltip on the status-bar result within 10 s'),
				);
			await assertNoErrorNotification(page, 'upload');
		},
	},
	{
		name: `UI: Cancel on the progress notification stops the upload of ${LARGE_FIRMWARE} at once`,
		async run(page, { shoot }) {
			await runPaletteCommand(page, 'Notifications: Clear All Notifications'); // the previous upload's result
			const item = await openUploadMenuOn(page, LARGE_FIRMWARE);
			await chooseMenuItem(page, item);
			const toast = page.locator('.notification-toast', { hasText: `Uploading ${LARGE_FIRMWARE}` }).first();
			await toast.waitFor({ state: 'visible', timeout: 30_000 });
			await toast.filter({ hasText: /[1-9]\d*% · / }).waitFor({ state: 'visible', timeout: 30_000 }); // bytes are flowing
			await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
			const status = page.locator(`.part.statusbar [id$="${STATUS_BAR_ITEM_ID}"]`).first();
			await status
				.locator('.codicon-circle-slash')
				.waitFor({ timeout: 10_000 })
				.catch(async () => {
					const text = await status.textContent().catch(() => '');
					throw new Error(`the status bar did not show the upload as cancelled within 10 s (it shows "${text?.trim()}")`);
				});
			await toast.waitFor({ state: 'hidden', timeout: 10_000 });
			await shoot('cancelled');
			if ((await page.locator('.notification-toast', { hasText: `Uploaded ${LARGE_FIRMWARE}` }).count()) > 0) {
				throw new Error('a cancelled upload still reported "Uploaded"');
			}
			await assertNoErrorNotification(page, 'cancel');
		},
	},
];

function slug(index, name) {
	return `${String(index + 1).padStart(2, '0')}-${name
		.replace(/^UI: /, '')
		.replace(/[^a-z0-9]+/gi, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase()
		.slice(0, 60)}`;
}

/** Runs every UI check in one workbench; returns [{ title, state, error?, screenshots }]. */
export async function runUiChecks({ browser, server, workspace, print }) {
	rmSync(screenshotsDir, { recursive: true, force: true }); // no stale pictures from an earlier run
	mkdirSync(screenshotsDir, { recursive: true });
	const { context, page } = await openWorkbenchPage(browser, {
		onLog: workbenchLogger(path.join(resultsDir, 'logs', 'workbench-ui.log'), print),
		onExit: () => {},
	});
	const results = [];
	try {
		await page.goto(workbenchUrl({ host: server.host, folder: workspace })); // the extension is installed, not in development
		for (const [index, check] of CHECKS.entries()) {
			const base = slug(index, check.name);
			const screenshots = [];
			const shoot = async (suffix) => {
				const file = path.join(screenshotsDir, `${base}${suffix ? `-${suffix}` : ''}.png`);
				await page.screenshot({ path: file }).catch((error) => print(`[ui] screenshot ${file} failed: ${error.message}`));
				screenshots.push(path.relative(repoRoot, file));
			};
			try {
				await check.run(page, { shoot, print });
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
