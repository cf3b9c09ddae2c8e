// Driving the VS Code web workbench like a user (playwright-core): the explorer, the view container, context menus,
// the command palette and notifications. Used by the UI checks (uiChecks.mjs).

export const WAIT = { timeout: 60_000 };

export function explorerRow(page, name) {
	return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
}

export async function openExplorer(page) {
	await page.keyboard.press('Control+Shift+E');
	await page.locator('.explorer-folders-view').waitFor(WAIT);
}

/** Clicks the container's activity-bar icon; fails with the titles that are there when ours is missing. */
export async function openViewContainer(page, containerTitle) {
	const item = page
		.locator(`.part.activitybar .action-item[aria-label^="${containerTitle}"]`)
		.or(page.locator('.part.activitybar .action-item').filter({ has: page.locator(`[aria-label^="${containerTitle}"]`) }))
		.first();
	await item.waitFor({ state: 'visible', timeout: 60_000 }).catch(async () => {
		const labels = await page
			.locator('.part.activitybar [aria-label]')
			.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('aria-label')))]);
		throw new Error(`no activity-bar item titled "${containerTitle}"; present: ${labels.join(' | ')}`);
	});
	const sideBarTitle = page.locator('.part.sidebar .composite.title', { hasText: new RegExp(containerTitle, 'i') });
	if ((await sideBarTitle.count()) === 0) {
		await item.click();
	}
	await sideBarTitle.waitFor(WAIT);
}

export async function closeOverlays(page) {
	for (let i = 0; i < 2; i++) {
		await page.keyboard.press('Escape');
	}
}

/** Right-clicks a row in the explorer and returns the context-menu item titled `itemTitle`. */
export async function openContextMenuOn(page, name, itemTitle) {
	await openExplorer(page);
	const row = explorerRow(page, name);
	await row.waitFor(WAIT);
	await row.click({ button: 'right' });
	await page.locator('.monaco-menu').first().waitFor(WAIT);
	const item = page.locator('.monaco-menu .action-item', { hasText: itemTitle }).first();
	await item.waitFor({ state: 'visible', timeout: 15_000 }).catch(async () => {
		const offered = await page
			.locator('.monaco-menu .action-label')
			.allInnerTexts()
			.catch(() => []);
		throw new Error(
			`the explorer context menu on ${name} has no "${itemTitle}" item; it offers: ${offered
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
export async function chooseMenuItem(page, item) {
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

/** Opens the command palette; F1 pressed while the workbench still starts up is lost, so it is pressed again. */
async function openPalette(page) {
	const input = page.locator('.quick-input-widget input[type="text"]');
	for (let attempt = 1; ; attempt++) {
		await page.keyboard.press('F1');
		if (
			await input.waitFor({ state: 'visible', timeout: 5_000 }).then(
				() => true,
				() => false,
			)
		) {
			return input;
		}
		if (attempt === 12) {
			throw new Error('the command palette did not open on F1 within 60 s');
		}
	}
}

/**
 * Runs a command from the palette by its full title ("Category: Title"). The palette lists what is registered when it
 * opens, so right after start-up it may lack an extension's commands: it is reopened until the entry is there.
 */
export async function runPaletteCommand(page, fullTitle) {
	const label = fullTitle.replace(/^[^:]+:\s*/, '');
	for (let attempt = 1; ; attempt++) {
		const input = await openPalette(page);
		await input.fill(`>${fullTitle}`);
		const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
		if (
			await entry.waitFor({ state: 'visible', timeout: 10_000 }).then(
				() => true,
				() => false,
			)
		) {
			await entry.click();
			return;
		}
		await page.keyboard.press('Escape');
		if (attempt === 6) {
			throw new Error(`the command palette has no entry "${fullTitle}"`);
		}
	}
}

/** The texts of the notification toasts on screen (for error messages). */
export async function toastTexts(page) {
	return page
		.locator('.notification-toast')
		.allInnerTexts()
		.catch(() => []);
}

export async function assertNoErrorNotification(page, context) {
	const errors = page.locator('.notification-toast .codicon-error, .notification-toast .codicon-notifications-error');
	if ((await errors.count()) > 0) {
		throw new Error(`${context}: error notification shown: ${(await toastTexts(page)).join(' | ')}`);
	}
}
