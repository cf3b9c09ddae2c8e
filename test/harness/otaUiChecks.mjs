// UI checks of the OTA Packages view and live watching (issue 14), against the extension's own Local Sandbox. The
// package and its verification job are made with the CLI twin (iot-ota upload --create, iot-ota verify), as a
// developer would in a terminal; the sandbox's endpoint is read from the Account view and its key from its data
// folder. Two of the three verification devices are set to fail, so the watched job ends with failures (~60 s).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './config.mjs';
import { constants, paletteTitle, text, title } from './extensionTexts.mjs';
import { WAIT, assertNoErrorNotification, chooseMenuItem, openViewContainer, runPaletteCommand, toastTexts } from './workbenchPage.mjs';

const CONTAINER_TITLE = title('viewsContainers.iotOta.title');
const PACKAGES_VIEW = title('views.iotOta.packages.name');
const DEVICES = ['dev-00001', 'dev-00002', 'dev-00003'];
const FAILING = ['dev-00002', 'dev-00003'];

/** What the set-up made: the sandbox's endpoint, the package and the job. */
const fleet = {};

const packagesPane = (page) =>
	page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: PACKAGES_VIEW }) });
const row = (page, hasText) => packagesPane(page).locator('.monaco-list-row', { hasText }).first();
const watchItem = (page) => page.locator(`.part.statusbar [id$="${constants.WATCH_STATUS_ITEM_ID}"]`).first();

function findFile(dir, suffix) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			const found = findFile(full, suffix);
			if (found) {
				return found;
			}
		} else if (full.endsWith(suffix)) {
			return full;
		}
	}
	return undefined;
}

/** Runs the CLI with the sandbox's key in the environment; resolves with its one JSON object. */
function cli(args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--endpoint', fleet.endpoint, '--json'], {
			env: { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: fleet.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: fleet.secret },
		});
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			const json = (() => {
				try {
					return JSON.parse(out);
				} catch {
					return undefined;
				}
			})();
			return code === 0 && json ? resolve(json) : reject(new Error(`iot-ota ${args[0]} exited ${code}: ${out.trim()}`));
		});
	});
}

/** Expands a row of the OTA Packages view (a click toggles it) and returns it. */
async function expand(page, hasText) {
	const target = row(page, hasText);
	await target.waitFor(WAIT);
	if ((await target.getAttribute('aria-expanded')) === 'false') {
		await target.click();
	}
	return target;
}

async function showPackagesView(page) {
	await openViewContainer(page, CONTAINER_TITLE);
	const header = page.locator('.part.sidebar .pane-header', { hasText: PACKAGES_VIEW }).first();
	await header.waitFor(WAIT);
	if ((await header.getAttribute('aria-expanded')) === 'false') {
		await header.click();
	}
}

/** The Local Sandbox's endpoint (from the Account view) and key (from its data folder under the server's). */
export async function sandboxAccess(page, server) {
	await openViewContainer(page, CONTAINER_TITLE);
	const endpointRow = page.locator('.part.sidebar .monaco-list-row', { hasText: /127\.0\.0\.1:\d+/ }).first();
	await endpointRow.waitFor(WAIT);
	const identity = findFile(server.dataDir, `${path.sep}sandbox${path.sep}identity.json`);
	if (!identity) {
		throw new Error(`the Local Sandbox's identity.json is not under ${server.dataDir}`);
	}
	return {
		endpoint: `http://${/127\.0\.0\.1:\d+/.exec(await endpointRow.innerText())[0]}`,
		accessKeyId: 'LTAI5tSandboxDemoKey',
		secret: JSON.parse(readFileSync(identity, 'utf8')).accessKeySecret,
	};
}

/** A package registered and a verification job started on three sandbox devices, two of which fail. */
async function startVerification(page, { server }) {
	Object.assign(fleet, await sandboxAccess(page, server));
	const rule = await globalThis.fetch(`${fleet.endpoint}/__sandbox/faults`, {
		method: 'POST',
		body: JSON.stringify({ target: 'device', devices: FAILING, behaviour: 'fail' }),
	});
	if (rule.status !== 201) {
		throw new Error(`the sandbox refused the device rule: ${rule.status} ${await rule.text()}`);
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-ui-fw-'));
	const file = path.join(dir, 'ota-ui.bin');
	writeFileSync(file, randomBytes(48 * 1024));
	fleet.version = `9.${Date.now() % 100000}.0`;
	fleet.name = `ota-ui-${fleet.version.replace(/\./g, '_')}`;
	const created = await cli([
		'upload',
		file,
		'--create',
		'--product-key',
		'a1SandboxPK1',
		'--dest-version',
		fleet.version,
		'--name',
		fleet.name,
	]).finally(() => rmSync(dir, { recursive: true, force: true }));
	fleet.firmwareId = created.firmwareId ?? created.create?.firmwareId;
	const verify = await cli(['verify', fleet.firmwareId, '--devices', DEVICES.join(',')]);
	fleet.jobId = verify.jobId ?? verify.job?.jobId;
	if (!fleet.firmwareId || !fleet.jobId) {
		throw new Error(`the CLI gave no FirmwareId/JobId: ${JSON.stringify({ created, verify })}`);
	}
	await showPackagesView(page);
	await runPaletteCommand(page, paletteTitle(constants.Commands.refreshOtaPackages));
}

/** Watch Job from the job row's context menu. */
async function watchTheJob(page) {
	await showPackagesView(page);
	await expand(page, 'a1SandboxPK1');
	await expand(page, fleet.name);
	const job = row(page, fleet.jobId);
	await job.waitFor(WAIT);
	await job.click({ button: 'right' });
	const item = page.locator('.monaco-menu .action-item', { hasText: title('command.watchJob') }).first();
	await item.waitFor({ state: 'visible', timeout: 15_000 });
	await chooseMenuItem(page, item);
}

export const OTA_PREPARE = { otaJob: startVerification, otaWatch: watchTheJob };

const inProgressGroup = () => new RegExp(`^(${[text('In progress'), text('Notified'), text('Queued')].join('|')}) \\(\\d+\\)`);

export const OTA_CHECKS = [
	{
		id: 'ota-tree',
		needs: ['sandbox', 'otaJob'],
		name: `UI: the "${PACKAGES_VIEW}" view shows a job in progress with its tasks grouped by status, with counts`,
		async run(page, { shoot }) {
			await showPackagesView(page);
			await expand(page, 'a1SandboxPK1');
			await expand(page, fleet.name);
			await expand(page, fleet.jobId);
			const group = packagesPane(page).locator('.monaco-list-row', { hasText: inProgressGroup() }).first();
			await group.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
				const rows = await packagesPane(page).locator('.monaco-list-row').allInnerTexts();
				throw new Error(`no task group with a count under job ${fleet.jobId}; rows: ${rows.join(' | ')}`);
			});
			await row(page, text('Packages: {0} / {1}')).waitFor({ state: 'visible', timeout: 5_000 });
			await assertNoErrorNotification(page, 'OTA Packages');
			await shoot('job-in-progress');
		},
	},
	{
		id: 'ota-watch',
		needs: ['sandbox', 'otaJob'],
		proves: 'otaWatch',
		name: 'UI: Watch Job shows "OTA n/3 ✓" in the status bar, with the job in its tooltip',
		async run(page, { shoot }) {
			await watchTheJob(page);
			await watchItem(page)
				.filter({ hasText: /OTA \d+\/3 ✓/ })
				.waitFor({ state: 'visible', timeout: 30_000 })
				.catch(async () => {
					const items = await page
						.locator('.part.statusbar .statusbar-item')
						.evaluateAll((els) => els.map((e) => `${e.id}="${e.textContent?.trim()}"`));
					throw new Error(`the status bar shows no watched job; items: ${items.join(', ')}`);
				});
			await watchItem(page).hover();
			await page
				.locator('.monaco-hover', { hasText: fleet.jobId })
				.first()
				.waitFor({ state: 'visible', timeout: 10_000 })
				.catch(() => {
					throw new Error(`hovering the watch item shows no tooltip naming job ${fleet.jobId}`);
				});
			await shoot('status-item');
		},
	},
	{
		id: 'ota-failed',
		needs: ['sandbox', 'otaJob', 'otaWatch'],
		name: 'UI: the watched job ends with a notification naming its failures, and Show Failures reveals them',
		async run(page, { shoot }) {
			const ended = text(
				'{0} ended: {1} of {2} tasks succeeded, {3} failed, {4} canceled.',
				`${text('Verification')} ${fleet.jobId}`,
				1,
				3,
				2,
				0,
			);
			const toast = page.locator('.notification-toast', { hasText: ended }).first();
			await toast.waitFor({ state: 'visible', timeout: 150_000 }).catch(async () => {
				throw new Error(`no notification "${ended}"; notifications: ${(await toastTexts(page)).join(' | ') || 'none'}`);
			});
			const showFailures = toast.locator('.monaco-button', { hasText: text('Show Failures') }).first();
			await showFailures.waitFor({ state: 'visible', timeout: 5_000 });
			await toast.hover();
			await shoot('job-ended-notification');
			await showFailures.click();
			await packagesPane(page)
				.locator('.monaco-list-row.selected', { hasText: `${text('Failed')} (2)` })
				.waitFor({ state: 'visible', timeout: 30_000 })
				.catch(async () => {
					const rows = await packagesPane(page).locator('.monaco-list-row').allInnerTexts();
					throw new Error(`Show Failures did not select "Failed (2)"; rows: ${rows.join(' | ')}`);
				});
			await watchItem(page).filter({ hasText: 'OTA 1/3 ✓ · 2 ✗' }).waitFor({ state: 'visible', timeout: 10_000 });
		},
	},
];
