// One step of a multi-step quick input (Roll Out…, Verify on Devices…): a title with "Step 3 of 9", a Back button
// from the second step on, and a check on accept that keeps the step open with its problem shown. The flows ask
// through Prompter.stepPick / stepInput; these are the window's implementations.
import * as vscode from 'vscode';

export interface StepOptions {
	title: string;
	/** 1-based; a one-question input leaves both out. */
	step?: number;
	totalSteps?: number;
	/** Shows the Back button (every step but the first). */
	canGoBack?: boolean;
	placeholder?: string;
}

export interface StepPickOptions<T extends vscode.QuickPickItem> extends StepOptions {
	canPickMany?: boolean;
	/** Checked at first (canPickMany), or the active item. */
	selected?: (item: T) => boolean;
	/** Checked on accept with the chosen items; a returned string keeps the step open and is shown. */
	validate?: (items: readonly T[]) => string | undefined;
}

export interface StepInputOptions extends StepOptions {
	prompt?: string;
	value?: string;
	/** Checked on every change and on accept; a returned string blocks the answer. */
	validate?: (value: string) => string | undefined;
}

/** The answer, 'back' (the Back button), or undefined (Escape, focus lost). */
export type StepResult<V> = { value: V } | 'back' | undefined;

function settleOnce<V>(input: vscode.QuickInput, resolve: (result: StepResult<V>) => void) {
	let settled = false;
	return (result: StepResult<V>) => {
		if (!settled) {
			settled = true;
			resolve(result);
			input.dispose();
		}
	};
}

function frame(input: Pick<vscode.InputBox, 'title' | 'step' | 'totalSteps' | 'ignoreFocusOut' | 'buttons'>, options: StepOptions): void {
	input.title = options.title;
	input.step = options.step;
	input.totalSteps = options.totalSteps;
	input.ignoreFocusOut = true;
	input.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
}

export function showStepPick<T extends vscode.QuickPickItem>(items: readonly T[], options: StepPickOptions<T>): Promise<StepResult<T[]>> {
	return new Promise((resolve) => {
		const pick = vscode.window.createQuickPick<T>();
		const finish = settleOnce<T[]>(pick, resolve);
		frame(pick, options);
		pick.placeholder = options.placeholder;
		pick.canSelectMany = options.canPickMany === true;
		pick.matchOnDescription = true;
		pick.matchOnDetail = true;
		pick.items = items;
		const preselected = options.selected ? items.filter(options.selected) : [];
		if (pick.canSelectMany) {
			pick.selectedItems = preselected;
		} else if (preselected.length > 0) {
			pick.activeItems = preselected.slice(0, 1);
		}
		pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish('back'));
		pick.onDidAccept(() => {
			const chosen = pick.canSelectMany ? [...pick.selectedItems] : pick.activeItems.slice(0, 1);
			const problem = options.validate?.(chosen);
			if (problem) {
				// A quick pick has no validation message: the placeholder (shown while the filter is empty) carries it.
				pick.value = '';
				pick.placeholder = problem;
				return;
			}
			finish({ value: chosen });
		});
		pick.onDidHide(() => finish(undefined));
		pick.show();
	});
}

export function showStepInput(options: StepInputOptions): Promise<StepResult<string>> {
	return new Promise((resolve) => {
		const box = vscode.window.createInputBox();
		const finish = settleOnce<string>(box, resolve);
		frame(box, options);
		box.prompt = options.prompt;
		box.placeholder = options.placeholder;
		box.value = options.value ?? '';
		box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish('back'));
		box.onDidChangeValue((value) => (box.validationMessage = options.validate?.(value)));
		box.onDidAccept(() => {
			const problem = options.validate?.(box.value);
			box.validationMessage = problem;
			if (!problem) {
				finish({ value: box.value });
			}
		});
		box.onDidHide(() => finish(undefined));
		box.show();
	});
}
