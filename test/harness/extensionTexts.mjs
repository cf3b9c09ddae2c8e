// What the UI checks look for, taken from the extension itself rather than copied: ids from src/vscode/constants.ts
// (loaded through tsx), titles from package.nls.json, and message texts from the l10n bundle (l10n/bundle.l10n.json,
// which a unit test keeps in step with the vscode.l10n.t calls). A text the extension no longer has fails at once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { repoRoot } from './config.mjs';

const readJson = (file) => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'));
const nls = readJson('package.nls.json');
const bundle = readJson('l10n/bundle.l10n.json');

/** src/vscode/constants.ts (no imports of its own, so it loads without VS Code). */
export const constants = await tsImport('../../src/vscode/constants.ts', import.meta.url);

/** A package.nls.json value (command titles, view names), e.g. title('command.startSandbox'). */
export function title(key) {
	const value = nls[key];
	if (typeof value !== 'string') {
		throw new Error(`package.nls.json has no "${key}"`);
	}
	return value;
}

/** "IoT OTA: Start Local Sandbox" for a command id, as the command palette shows it. */
export function paletteTitle(commandId) {
	const contributed = readJson('package.json').contributes.commands.find((c) => c.command === commandId);
	if (!contributed) {
		throw new Error(`package.json contributes no command ${commandId}`);
	}
	const resolve = (text) => text.replace(/^%(.+)%$/, (_, key) => title(key));
	return `${resolve(contributed.category)}: ${resolve(contributed.title)}`;
}

/**
 * A message of the l10n bundle with {0}, {1}, … filled from `args`; the text stops at the first placeholder left
 * without an argument, so text('Uploaded {0} ({1}). …', 'fw.bin') is "Uploaded fw.bin (". `key` is the exact source
 * string, or a RegExp that must match exactly one of them.
 */
export function text(key, ...args) {
	const keys = Object.keys(bundle);
	const matches = key instanceof RegExp ? keys.filter((k) => key.test(k)) : keys.filter((k) => k === key);
	if (matches.length !== 1) {
		throw new Error(`l10n/bundle.l10n.json has ${matches.length} strings matching ${String(key)} (expected one)`);
	}
	let result = matches[0];
	args.forEach((arg, index) => {
		result = result.replaceAll(`{${index}}`, String(arg));
	});
	const open = result.search(/\{\d+\}/);
	return open < 0 ? result : result.slice(0, open);
}
