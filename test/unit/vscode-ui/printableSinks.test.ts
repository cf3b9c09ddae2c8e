// Every kind of sink the extension shows outside text in makes it printable in one place: the Prompter decorator
// (messages, details, picks, inputs, progress), the tree item pass every view's provider uses, and the status item.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { printablePrompter } from '../../../src/vscode/ui/printablePrompter';
import { inertIcons, printableLabel } from '../../../src/vscode/ui/printableLabel';
import { printableTreeItem } from '../../../src/vscode/ui/printableTreeItem';
import type { MessageOptions, Prompter } from '../../../src/vscode/ui/prompter';
import type { StepInputOptions, StepPickOptions } from '../../../src/vscode/ui/steps';
import { installVscodeStub } from '../../support/vscodeStub';

/** A right-to-left override, an isolate, a line break that would forge a second line, C1 controls (CSI, NEL). */
const HOSTILE = 'fw\u202Egnp.bin \u2066iso\u2069\n[info] forged\u009b31m\u0085';
const ONE_LINE = 'fw?gnp.bin ?iso? [info] forged?31m?';
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

interface Seen {
	kind: string;
	texts: Array<string | undefined>;
	items?: vscode.QuickPickItem[];
	actions?: string[];
}

/** An inner prompter that records what it was asked to show and answers with the first item (pick-or-type, message: item `choice`). */
function recorder(choice = 0): { inner: Prompter; seen: Seen[] } {
	const seen: Seen[] = [];
	const inner = {
		async pick(_id: string, items: Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) {
			const list = [...(await items)];
			seen.push({ kind: 'pick', texts: [options?.title, options?.placeHolder], items: list });
			return list[0];
		},
		async pickOrType(_id: string, items: readonly vscode.QuickPickItem[], options: { title?: string; value?: string }) {
			seen.push({ kind: 'pickOrType', texts: [options.title, options.value], items: [...items] });
			return items[choice];
		},
		async input(_id: string, options: vscode.InputBoxOptions) {
			const problem = await options.validateInput?.(HOSTILE);
			seen.push({ kind: 'input', texts: [options.title, options.prompt, options.value, problem as string] });
			return options.value;
		},
		async message(_id: string, _severity: string, message: string, options: MessageOptions, ...actions: vscode.MessageItem[]) {
			seen.push({ kind: 'message', texts: [message, options.detail], actions: actions.map((action) => action.title) });
			return actions[choice];
		},
		async stepPick(_id: string, items: readonly vscode.QuickPickItem[], options: StepPickOptions<vscode.QuickPickItem>) {
			seen.push({ kind: 'stepPick', texts: [options.title, options.validate?.([items[0]])], items: [...items] });
			return { value: items.filter((item) => options.selected?.(item)) };
		},
		async stepInput(_id: string, options: StepInputOptions) {
			seen.push({ kind: 'stepInput', texts: [options.prompt, options.validate?.('typed')] });
			return { value: options.value ?? '' };
		},
		async progress(_id: string, title: string, work: (signal: AbortSignal, report: (m: string) => void) => Promise<unknown>) {
			const reports: string[] = [];
			const result = await work(new AbortController().signal, (m) => reports.push(m));
			seen.push({ kind: 'progress', texts: [title, ...reports] });
			return result;
		},
	};
	return { inner: inner as unknown as Prompter, seen };
}

function decorated(choice?: number) {
	const { inner, seen } = recorder(choice);
	return { prompter: printablePrompter(inner), seen };
}

void describe('printablePrompter: every prompt shows outside text printable, and the flow gets its own values back', () => {
	void test('a message is one inert line, its modal detail keeps its lines; the chosen button comes back', async () => {
		const { prompter, seen } = decorated();
		const link = `${HOSTILE} [Open](command:workbench.action.terminal.new)`;
		const answer = await prompter.message('m', 'error', link, { modal: true, detail: `${HOSTILE}\r\nline 2` }, 'Retry');
		assert.equal(answer, 'Retry');
		assert.deepEqual(seen[0].texts, [
			`${ONE_LINE} [Open] (command:workbench.action.terminal.new)`,
			'fw?gnp.bin ?iso?\n[info] forged?31m?\nline 2',
		]);
	});

	void test('pick: labels, descriptions, details and the title are one printable line; the flow gets its own item', async () => {
		const { prompter, seen } = decorated();
		const item = { label: HOSTILE, description: HOSTILE, detail: HOSTILE, firmwareUrl: `https://h.example/${HOSTILE}` };
		const chosen = await prompter.pick('p', Promise.resolve([item]), { title: HOSTILE });
		assert.equal(chosen, item, 'the very item the flow offered, its data exact');
		const shown = seen[0].items?.[0] as typeof item;
		assert.deepEqual([shown.label, shown.description, shown.detail, seen[0].texts[0]], [ONE_LINE, ONE_LINE, ONE_LINE, ONE_LINE]);
		assert.equal(shown.firmwareUrl, item.firmwareUrl, 'what the flow reads from an item is not rewritten');
	});

	void test('pick-or-type shows printable labels and prefill, and answers with the chosen item itself', async () => {
		const { prompter, seen } = decorated();
		const item = { label: HOSTILE };
		const answer = await prompter.pickOrType('t', [item], { title: HOSTILE, value: HOSTILE });
		assert.equal(answer, item, 'the very item the flow offered, its label exact');
		assert.deepEqual([seen[0].items?.[0].label, ...seen[0].texts], [ONE_LINE, ONE_LINE, ONE_LINE]);
	});

	void test('pick-or-type: of two items whose labels read alike once printable, the answer is the one chosen', async () => {
		const { prompter, seen } = decorated(1);
		const items = [{ label: 'fw\u202E.bin' }, { label: 'fw\u2066.bin' }];
		const answer = await prompter.pickOrType('t', items, {});
		assert.deepEqual(
			seen[0].items?.map((item) => item.label),
			['fw?.bin', 'fw?.bin'],
		);
		assert.equal(answer, items[1]);
	});

	void test('input: title, prompt, prefill and the validation message are printable', async () => {
		const { prompter, seen } = decorated();
		const value = await prompter.input('i', { title: HOSTILE, prompt: HOSTILE, value: HOSTILE, validateInput: (v) => `bad: ${v}` });
		assert.equal(value, ONE_LINE, 'the prefill shown is the value accepted');
		assert.deepEqual(seen[0].texts, [ONE_LINE, ONE_LINE, ONE_LINE, `bad: ${ONE_LINE}`]);
	});

	void test('step pick: printable items and title; selected and validate see, and the answer is, the flow’s own items', async () => {
		const { prompter, seen } = decorated();
		const items = [
			{ label: HOSTILE, id: 1 },
			{ label: 'plain', id: 2 },
		];
		const result = await prompter.stepPick('s', items, {
			title: HOSTILE,
			selected: (item) => item === items[0],
			validate: (chosen) => (chosen[0] === items[0] ? `check ${HOSTILE}` : 'not the original'),
		});
		assert.deepEqual(result, { value: [items[0]] });
		assert.equal(typeof result === 'object' && result.value[0], items[0]);
		assert.deepEqual(seen[0].texts, [ONE_LINE, `check ${ONE_LINE}`]);
		assert.equal(seen[0].items?.[0].label, ONE_LINE);
	});

	void test('a button naming outside text is shown printable, and the flow gets its own button back', async () => {
		const { prompter, seen } = decorated();
		const answer = await prompter.message('m', 'warning', 'Which version?', { modal: true }, `Use ${HOSTILE}`, 'Keep');
		assert.equal(answer, `Use ${HOSTILE}`, 'the flow compares the answer with its own button');
		assert.deepEqual(seen[0].actions, [`Use ${ONE_LINE}`, 'Keep']);
	});

	void test('of two buttons that read alike once printable, the answer is the one chosen', async () => {
		const { prompter, seen } = decorated(1);
		const buttons = ['Use fw\u202E.bin', 'Use fw\u2066.bin'];
		const answer = await prompter.message('m', 'warning', 'Which file?', { modal: true }, ...buttons);
		assert.deepEqual(seen[0].actions, ['Use fw?.bin', 'Use fw?.bin']);
		assert.equal(answer, buttons[1]);
	});

	void test("an input box's prompt and validation message (which render links and icons) are shown inert", async () => {
		const { prompter, seen } = decorated();
		const hostile = `${HOSTILE} [Open](command:workbench.action.terminal.new) $(check)`;
		const inert = `${ONE_LINE} [Open] (command:workbench.action.terminal.new) \\$(check)`;
		await prompter.input('i', { prompt: hostile, validateInput: () => ({ message: hostile, severity: 3 }) });
		await prompter.stepInput('s', { title: 'Step', prompt: hostile, validate: () => hostile });
		assert.equal(seen[0].texts[1], inert);
		assert.deepEqual(seen[0].texts[3], { message: inert, severity: 3 });
		assert.deepEqual(seen[1].texts, [inert, inert]);
	});

	void test('pick: no icon in a label, a description or a detail renders; the flow’s own icon is its iconPath, kept', async () => {
		const { prompter, seen } = decorated();
		const icon = { id: 'copy' } as vscode.ThemeIcon;
		const item = { iconPath: icon, label: 'Copy $(check)fw.bin', description: '$(warning) forged', detail: '$(pass~spin) x', id: 7 };
		const chosen = await prompter.pick('p', [item]);
		assert.equal(chosen, item);
		const shown = seen[0].items?.[0];
		assert.deepEqual(
			[shown?.iconPath, shown?.label, shown?.description, shown?.detail],
			[icon, 'Copy \\$(check)fw.bin', '\\$(warning) forged', '\\$(pass~spin) x'],
		);
	});

	void test('pick: a label that starts with outside text (a file named `$(check) fw.bin`) shows its icon as text', async () => {
		const { prompter, seen } = decorated();
		await prompter.pick('p', [{ label: '$(check) fw.bin' }, { label: '$(pass~spin)$(error) x' }]);
		assert.deepEqual(
			seen[0].items?.map((shown) => shown.label),
			['\\$(check) fw.bin', '\\$(pass~spin)\\$(error) x'],
		);
	});

	void test("progress (a notification, which renders links): the title and every report are one inert line; the work's result comes back", async () => {
		const { prompter, seen } = decorated();
		const link = '[Open](command:workbench.action.terminal.new)';
		const result = await prompter.progress(
			'g',
			`Reading ${HOSTILE} ${link}`,
			async (_signal: AbortSignal, report: (message: string) => void) => {
				report(`Registering ${HOSTILE} ${link}`);
				return 42;
			},
		);
		assert.equal(result, 42);
		const inert = '[Open] (command:workbench.action.terminal.new)';
		assert.deepEqual(seen[0].texts, [`Reading ${ONE_LINE} ${inert}`, `Registering ${ONE_LINE} ${inert}`]);
	});
});

void describe('printableTreeItem: label, description and tooltip (plain or Markdown) of every view', () => {
	void test('one printable line for the label and description, the tooltip keeps its lines; ids and commands exact', async () => {
		const command = { command: 'iotOta.copy', title: 'Copy', arguments: [HOSTILE] };
		const item = printableTreeItem({ label: HOSTILE, description: HOSTILE, tooltip: `${HOSTILE}\nok`, id: HOSTILE, command });
		assert.deepEqual([item.label, item.description, item.tooltip], [ONE_LINE, ONE_LINE, 'fw?gnp.bin ?iso?\n[info] forged?31m?\nok']);
		assert.equal(item.id, HOSTILE);
		assert.deepEqual(item.command?.arguments, [HOSTILE], 'what a command copies is the data, not the shown text');
	});

	void test('a TreeItemLabel, a MarkdownString tooltip and the screen-reader label are made printable too', async () => {
		const markdown = { value: `**${HOSTILE}**` } as vscode.MarkdownString;
		const accessibilityInformation = { label: `${HOSTILE}, uploaded`, role: 'treeitem' };
		const item = printableTreeItem({ label: { label: HOSTILE }, tooltip: markdown, accessibilityInformation });
		assert.deepEqual(item.label, { label: ONE_LINE });
		assert.deepEqual(item.accessibilityInformation, { label: `${ONE_LINE}, uploaded`, role: 'treeitem' }, 'what a screen reader reads');
		assert.equal(markdown.value, '**fw?gnp.bin ?iso?\n[info] forged?31m?**');
	});
});

const statusMessages: string[] = [];

/** statusItem.ts on the stub, with what it uses of the API (set before its first load: the module keeps its bindings). */
async function statusItemModule() {
	const stub = installVscodeStub() as unknown as Record<string, unknown>;
	stub.MarkdownString = class {
		isTrusted: unknown;
		constructor(public value: string) {}
	};
	stub.window = { setStatusBarMessage: (text: string) => statusMessages.push(text) };
	return import('../../../src/vscode/statusItem.js');
}

void describe('showStatus: every status-bar item', () => {
	void test('its text is one printable line and its Markdown tooltip printable, line breaks kept', async () => {
		const { showStatus } = await statusItemModule();
		const item = { show: () => undefined } as unknown as vscode.StatusBarItem;
		showStatus(item, { visible: true, text: `$(sync~spin) $(check)${HOSTILE}`, tooltip: `Uploading ${HOSTILE}` }, undefined, []);
		assert.equal(item.text, `$(sync~spin) \\$(check)${ONE_LINE}`, 'only the renderer’s leading icon renders');
		assert.equal((item.tooltip as vscode.MarkdownString).value, 'Uploading fw?gnp.bin ?iso?\n[info] forged?31m?');
		assert.equal(item.accessibilityInformation?.label, `$(check)${ONE_LINE}`, 'a name read aloud as it is');
		assert.doesNotMatch(`${item.text}${(item.tooltip as vscode.MarkdownString).value.replace(/\n/g, '')}`, UNSAFE);
	});
});

void describe('printableLabel / inertIcons: where VS Code renders `$(name)` as an icon', () => {
	void test('a label keeps its leading icon only; inertIcons keeps none; an escaped icon or a mere `$(` stays as it is', () => {
		assert.equal(printableLabel(`$(check) ${HOSTILE} $(error)`), `$(check) ${ONE_LINE} \\$(error)`);
		assert.equal(printableLabel('fw $(sync~spin).bin'), 'fw \\$(sync~spin).bin');
		assert.equal(inertIcons('$(check) fw.bin'), '\\$(check) fw.bin');
		assert.equal(inertIcons('a \\$(check) $(5 $( x)'), 'a \\$(check) $(5 $( x)');
	});
});

void describe('status-bar messages: a copy confirmation', () => {
	void test('flashStatus shows one printable line whose only icon is its leading one', async () => {
		const { flashStatus } = await statusItemModule();
		flashStatus(`$(check) FirmwareUrl of $(pass)${HOSTILE} copied`);
		assert.deepEqual(statusMessages, [`$(check) FirmwareUrl of \\$(pass)${ONE_LINE} copied`]);
	});
});
