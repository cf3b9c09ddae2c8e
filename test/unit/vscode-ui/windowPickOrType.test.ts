// The window prompter's pick-or-type checks typed text only: a listed item is taken as it is, even when the label it
// is shown under (its printable copy, through the printable decorator) would fail the check on typed text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { installVscodeStub } from '../../support/vscodeStub';

/** The part of vscode.QuickPick pickOrType drives; the test plays the user through `accept` and `hide`. */
function fakeQuickPick() {
	const listeners = { value: [] as Array<(v: string) => void>, accept: [] as Array<() => void>, hide: [] as Array<() => void> };
	const quickPick = {
		items: [] as vscode.QuickPickItem[],
		selectedItems: [] as vscode.QuickPickItem[],
		value: '',
		onDidChangeValue: (l: (v: string) => void) => listeners.value.push(l),
		onDidAccept: (l: () => void) => listeners.accept.push(l),
		onDidHide: (l: () => void) => listeners.hide.push(l),
		show: () => undefined,
		dispose: () => undefined,
		type(text: string) {
			quickPick.value = text;
			listeners.value.forEach((l) => l(text));
		},
		accept: () => listeners.accept.forEach((l) => l()),
		hide: () => listeners.hide.forEach((l) => l()),
	};
	return quickPick;
}

async function windowPrompter(quickPick: ReturnType<typeof fakeQuickPick>) {
	const stub = installVscodeStub() as unknown as { window?: unknown };
	stub.window = { createQuickPick: () => quickPick };
	const { WindowPrompter } = await import('../../../src/vscode/ui/prompter.js');
	const { printablePrompter } = await import('../../../src/vscode/ui/printablePrompter.js');
	return printablePrompter(new WindowPrompter());
}

/** A check on typed text that, like a key path's, refuses what a printable copy contains ('?' for a bidi control). */
const validate = (value: string) => (value.includes('?') ? `"${value}" is not a key path` : undefined);

void test('pick-or-type: Enter on a listed item whose printable label fails the typed-text check answers that item', async () => {
	const quickPick = fakeQuickPick();
	const prompter = await windowPrompter(quickPick);
	const item = { label: 'fw\u202E.bin' };
	const answer = prompter.pickOrType('t', [item], { validate });
	assert.equal(quickPick.items[0].label, 'fw?.bin', 'shown under its printable copy');
	quickPick.selectedItems = [quickPick.items[0]];
	quickPick.accept();
	quickPick.hide();
	assert.equal(await answer, item, 'the item itself, not blocked by the check on typed text');
});

void test('pick-or-type: typed text is still checked, its problem shown, and Enter on it blocked', async () => {
	const quickPick = fakeQuickPick();
	const prompter = await windowPrompter(quickPick);
	const answer = prompter.pickOrType('t', [{ label: 'fw.bin' }], { validate });
	quickPick.type('a?b');
	assert.equal(quickPick.items[0].detail, '"a?b" is not a key path');
	quickPick.selectedItems = [quickPick.items[0]];
	quickPick.accept();
	quickPick.hide();
	assert.equal(await answer, undefined, 'the refused text was not accepted');
});

void test('pick-or-type: valid typed text is answered as typed', async () => {
	const quickPick = fakeQuickPick();
	const prompter = await windowPrompter(quickPick);
	const answer = prompter.pickOrType('t', [{ label: 'fw.bin' }], { validate });
	quickPick.type(' a.b ');
	quickPick.selectedItems = [quickPick.items[0]];
	quickPick.accept();
	assert.equal(await answer, 'a.b');
});
