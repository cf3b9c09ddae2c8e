// The one place where prompt text is made safe to show (src/core/printable.ts): every message, modal detail, quick-pick
// item, title, placeholder, prompt, prefill and progress text of every flow passes through here, whatever the flow
// embedded (file and folder names, ProductName, FirmwareName, module and device names, server error messages). The
// composition wraps the window's Prompter (or the test seam) in it, so nothing reaches a prompt without it.
import type * as vscode from 'vscode';
import { inertMessage, printable, printableLines } from '../../core/printable';
import { inertDescription, inertIcons } from './printableLabel';
import type { MessageOptions, MessageSeverity, PickOrTypeOptions, ProgressWork, Prompter } from './prompter';
import type { StepInputOptions, StepPickOptions, StepResult } from './steps';

const line = (text: string | undefined): string | undefined => (text === undefined ? undefined : printable(text));

const iconless = (text: string | undefined): string | undefined => (text === undefined ? undefined : inertIcons(text));
const described = (text: string | undefined): string | undefined => (text === undefined ? undefined : inertDescription(text));

/**
 * A copy of the item with its shown text printable and no `$(name)` rendering as an icon (the flows' own icons are
 * their items' `iconPath`, so a label may start with a file or product name); its other fields (ids, data the flow
 * reads back) untouched.
 */
function printableItem<T extends vscode.QuickPickItem>(item: T): T {
	return { ...item, label: inertIcons(item.label), description: iconless(item.description), detail: iconless(item.detail) };
}

/** Printable copies of `items`, and the way back from a copy to the flow's own item (flows compare items by identity). */
function copies<T extends vscode.QuickPickItem>(items: readonly T[]): { shown: T[]; original: (copy: T) => T } {
	const shown = items.map(printableItem);
	const back = new Map(shown.map((copy, index) => [copy, items[index]]));
	return { shown, original: (copy) => back.get(copy) ?? copy };
}

/**
 * `inner` with every text it shows made printable: messages one inert line (no link, no control, no second line), a
 * modal's detail its own lines, item labels, descriptions and details one line each. What a flow gets back is its own
 * item or button, untouched: a value the user copies (a FirmwareUrl, a FirmwareId) is taken from the flow's data, never
 * from the shown text.
 */
export function printablePrompter(inner: Prompter): Prompter {
	return {
		async pick<T extends vscode.QuickPickItem>(
			id: string,
			items: readonly T[] | Thenable<readonly T[]>,
			options?: vscode.QuickPickOptions,
		): Promise<T | undefined> {
			let original: (copy: T) => T = (copy) => copy;
			const shown = Promise.resolve(items).then((list) => {
				const made = copies(list);
				original = made.original;
				return made.shown;
			});
			const onDidSelectItem = options?.onDidSelectItem;
			const chosen = await inner.pick(id, shown, {
				...options,
				title: line(options?.title),
				placeHolder: line(options?.placeHolder),
				onDidSelectItem: onDidSelectItem && ((item) => onDidSelectItem(typeof item === 'string' ? item : original(item as T))),
			});
			return chosen && original(chosen);
		},

		async pickOrType<T extends vscode.QuickPickItem>(
			id: string,
			items: readonly T[],
			options: PickOrTypeOptions,
		): Promise<T | string | undefined> {
			const { shown, original } = copies(items);
			const chosen = await inner.pickOrType(id, shown, {
				...options,
				title: line(options.title),
				placeholder: line(options.placeholder),
				value: line(options.value),
				// A typed value's problem shows as its item's detail.
				validate: options.validate && ((value) => iconless(options.validate?.(value))),
			});
			// The chosen copy maps back to its own item (two labels may read alike once printable); typed text stays as typed.
			return typeof chosen === 'string' || chosen === undefined ? chosen : original(chosen);
		},

		input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
			const validateInput = options.validateInput;
			return inner.input(id, {
				...options,
				title: line(options.title),
				prompt: described(options.prompt),
				placeHolder: line(options.placeHolder),
				value: line(options.value),
				validateInput:
					validateInput &&
					(async (value) => {
						const problem = await validateInput(value);
						return typeof problem === 'string'
							? inertDescription(problem)
							: problem && { ...problem, message: inertDescription(problem.message) };
					}),
			});
		},

		openFiles(id: string, options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
			return inner.openFiles(id, { ...options, title: line(options.title), openLabel: line(options.openLabel) });
		},

		saveFile(id: string, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
			return inner.saveFile(id, { ...options, title: line(options.title), saveLabel: line(options.saveLabel) });
		},

		async message<A extends string | vscode.MessageItem>(
			id: string,
			severity: MessageSeverity,
			message: string,
			options: MessageOptions,
			...actions: A[]
		): Promise<A | undefined> {
			const detail = options.detail === undefined ? undefined : printableLines(options.detail);
			// A button may name outside text too ("Use {0}" with an image's version): shown printable, answered as the
			// flow's own by position (two buttons may read alike once printable).
			const shown = actions.map((action): vscode.MessageItem => {
				const item: vscode.MessageItem = typeof action === 'string' ? { title: action } : action;
				return { ...item, title: printable(item.title) };
			});
			const chosen = await inner.message(id, severity, inertMessage(message), { ...options, detail }, ...shown);
			return chosen === undefined ? undefined : actions[shown.indexOf(chosen)];
		},

		async stepPick<T extends vscode.QuickPickItem>(
			id: string,
			items: readonly T[],
			options: StepPickOptions<T>,
		): Promise<StepResult<T[]>> {
			const { shown, original } = copies(items);
			const { selected, validate } = options;
			const result = await inner.stepPick(id, shown, {
				...options,
				title: printable(options.title),
				placeholder: line(options.placeholder),
				selected: selected && ((copy) => selected(original(copy))),
				validate: validate && ((chosen) => line(validate(chosen.map(original)))),
			});
			return typeof result === 'object' ? { value: result.value.map(original) } : result;
		},

		stepInput(id: string, options: StepInputOptions): Promise<StepResult<string>> {
			const { validate } = options;
			return inner.stepInput(id, {
				...options,
				title: printable(options.title),
				placeholder: line(options.placeholder),
				prompt: described(options.prompt),
				value: line(options.value),
				validate: validate && ((value) => described(validate(value))),
			});
		},

		progress<T>(id: string, title: string, work: ProgressWork<T>, controller?: AbortController): Promise<T> {
			return inner.progress(
				id,
				inertMessage(title),
				(signal, report) => work(signal, (message) => report(inertMessage(message))),
				controller,
			);
		},

		slowStep(id: string, title: string, running: Promise<unknown>, controller: AbortController): void {
			inner.slowStep(id, inertMessage(title), running, controller);
		},
	};
}
