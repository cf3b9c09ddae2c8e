// The scripted Prompter of the integration tier: it answers the extension's prompts from its script (seamScript.ts: a
// queue of answers, and a record of what was asked and shown). Only the test build of the extension
// (test/extension/main.ts) contains it.
import * as vscode from 'vscode';
import type { MessageOptions, MessageSeverity, PickOrTypeOptions, ProgressWork, Prompter } from '../../src/vscode/ui/prompter';
import type { StepInputOptions, StepPickOptions, StepResult } from '../../src/vscode/ui/steps';
import type { SeamAnswer, SeamCall } from './seam';
import { findItem, SeamScript } from './seamScript';

/** A quick-pick item's codicon: its iconPath's ThemeIcon id. */
const iconOf = (item: vscode.QuickPickItem): string | undefined =>
	item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;

export class SeamPrompter extends SeamScript implements Prompter {
	async pick<T extends vscode.QuickPickItem>(
		id: string,
		items: readonly T[] | Thenable<readonly T[]>,
		options?: vscode.QuickPickOptions,
	): Promise<T | undefined> {
		const list = await Promise.resolve(items);
		const call = this.record({
			id,
			kind: 'pick',
			text: options?.title ?? options?.placeHolder ?? '',
			options: list.map((item) => item.label),
			icons: list.map(iconOf),
		});
		const answer = this.take(call, ['pick']);
		if (!answer || !('pick' in answer)) {
			return undefined;
		}
		const chosen = findItem(list, answer.pick);
		if (!chosen) {
			this.errors.push(`${id}: no item matches ${String(answer.pick)} (items: ${call.options?.join(' | ')})`);
			return undefined;
		}
		call.answer = chosen.label;
		return chosen;
	}

	async pickOrType<T extends vscode.QuickPickItem>(
		id: string,
		items: readonly T[],
		options: PickOrTypeOptions,
	): Promise<T | string | undefined> {
		const call = this.record({
			id,
			kind: 'pickOrType',
			text: options.title ?? options.placeholder ?? '',
			options: items.map((item) => item.label),
			value: options.value,
		});
		const answer = this.take(call, ['pick', 'input']);
		let chosen: T | string | undefined;
		if (answer && 'input' in answer) {
			chosen = answer.input;
		} else if (answer && 'pick' in answer) {
			chosen = findItem(items, answer.pick);
			if (chosen === undefined) {
				this.errors.push(`${id}: no item matches ${String(answer.pick)}`);
			}
		}
		if (chosen === undefined) {
			return undefined;
		}
		const text = typeof chosen === 'string' ? chosen : chosen.label;
		// As the window prompter: `validate` checks typed text only, a listed item is taken as it is.
		const problem = typeof chosen === 'string' ? options.validate?.(chosen) : undefined;
		if (problem) {
			call.validation = problem;
			return undefined;
		}
		call.answer = text;
		return chosen;
	}

	async input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
		const call = this.record({ id, kind: 'input', text: options.title ?? options.prompt ?? '', value: options.value });
		const answer = this.take(call, ['input']);
		if (!answer || !('input' in answer)) {
			return undefined;
		}
		const validation = await Promise.resolve(options.validateInput?.(answer.input));
		const problem =
			typeof validation === 'string' ? { message: validation, severity: vscode.InputBoxValidationSeverity.Error } : validation;
		if (problem?.message) {
			call.validation = problem.message;
			if (problem.severity === vscode.InputBoxValidationSeverity.Error) {
				return undefined;
			}
		}
		call.answer = options.password ? '***' : answer.input;
		return answer.input;
	}

	async openFiles(id: string, options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
		const call = this.record({
			id,
			kind: 'openFiles',
			text: options.title ?? '',
			options: options.openLabel ? [options.openLabel] : [],
		});
		const answer = this.take(call, ['files']);
		if (!answer || !('files' in answer)) {
			return undefined;
		}
		call.answer = answer.files.map((uri) => uri.toString()).join(', ');
		return answer.files;
	}

	async saveFile(id: string, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
		const call = this.record({ id, kind: 'saveFile', text: options.title ?? '', value: options.defaultUri?.toString() });
		const answer = this.take(call, ['save']);
		if (!answer || !('save' in answer)) {
			return undefined;
		}
		call.answer = answer.save.toString();
		return answer.save;
	}

	async message<A extends string | vscode.MessageItem>(
		id: string,
		severity: MessageSeverity,
		message: string,
		options: MessageOptions,
		...actions: A[]
	): Promise<A | undefined> {
		const titles = actions.map((action) => (typeof action === 'string' ? action : action.title));
		const call = this.record({
			id,
			kind: 'message',
			text: message,
			detail: options.detail,
			severity,
			modal: options.modal === true,
			options: titles,
		});
		// A notification nobody scripted an answer for is simply dismissed, without consuming the queue.
		const head = this.answers[0];
		const scripted = head && ('button' in head || 'cancel' in head) && (head.id === undefined || head.id === id);
		if (!options.modal && !scripted) {
			return undefined;
		}
		const answer = this.take(call, ['button']);
		if (!answer || !('button' in answer)) {
			return undefined;
		}
		const index = titles.indexOf(answer.button);
		if (index < 0) {
			this.errors.push(`${id}: no action "${answer.button}" (actions: ${titles.join(' | ')})`);
			return undefined;
		}
		call.answer = answer.button;
		return actions[index];
	}

	async stepPick<T extends vscode.QuickPickItem>(id: string, items: readonly T[], options: StepPickOptions<T>): Promise<StepResult<T[]>> {
		const call = this.record({
			id,
			kind: 'stepPick',
			text: options.title,
			step: options.step === undefined ? undefined : `${options.step}/${options.totalSteps}`,
			canGoBack: options.canGoBack === true,
			options: items.map((item) => item.label),
			icons: items.map(iconOf),
			details: items.map((item) => [item.description, item.detail].filter(Boolean).join(' — ')),
			checked: options.canPickMany && options.selected ? items.filter(options.selected).map((item) => item.label) : undefined,
		});
		const answer = this.take(call, ['pick', 'picks', 'back']);
		if (!answer || 'back' in answer) {
			return this.backOrCancel(call, answer, options.canGoBack === true);
		}
		const wanted = 'picks' in answer ? answer.picks : 'pick' in answer ? [answer.pick] : [];
		const chosen: T[] = [];
		for (const one of wanted) {
			const matches = typeof one === 'function' ? items.filter(one) : [findItem(items, one)].filter((item): item is T => !!item);
			if (matches.length === 0) {
				this.errors.push(`${id}: no item matches ${String(one)} (items: ${call.options?.join(' | ')})`);
				return undefined;
			}
			chosen.push(...matches.filter((item) => !chosen.includes(item)));
		}
		if (chosen.length > 1 && !options.canPickMany) {
			this.errors.push(`${id}: ${chosen.length} items chosen in a single-choice step`);
			return undefined;
		}
		const problem = options.validate?.(chosen);
		if (problem) {
			call.validation = problem;
			return undefined;
		}
		call.answer = chosen.map((item) => item.label).join(', ');
		return { value: chosen };
	}

	async stepInput(id: string, options: StepInputOptions): Promise<StepResult<string>> {
		const call = this.record({
			id,
			kind: 'stepInput',
			text: options.title,
			step: options.step === undefined ? undefined : `${options.step}/${options.totalSteps}`,
			canGoBack: options.canGoBack === true,
			value: options.value,
		});
		const answer = this.take(call, ['input', 'back']);
		if (!answer || 'back' in answer) {
			return this.backOrCancel(call, answer, options.canGoBack === true);
		}
		if (!('input' in answer)) {
			return undefined;
		}
		const problem = options.validate?.(answer.input);
		if (problem) {
			call.validation = problem;
			return undefined;
		}
		call.answer = answer.input;
		return { value: answer.input };
	}

	async progress<T>(id: string, title: string, work: ProgressWork<T>, controller = new AbortController()): Promise<T> {
		const call = this.record({ id, kind: 'progress', text: title, reports: [] });
		const next = this.answers[0];
		const cancel = next?.id === id && 'cancel' in next;
		if (next?.id === id) {
			this.answers.shift();
			if (!cancel) {
				this.errors.push(`${id} (progress) can only be cancelled: ${JSON.stringify(next)}`);
			}
		}
		return work(controller.signal, (message) => {
			call.reports?.push(message);
			if (cancel && !call.cancelled) {
				call.cancelled = true;
				controller.abort('user');
			}
		});
	}

	slowStep(id: string, title: string, _running: Promise<unknown>, controller: AbortController): void {
		const call = this.record({ id, kind: 'slowStep', text: title });
		const next = this.answers[0];
		if (next?.id !== id) {
			return;
		}
		this.answers.shift();
		if (!('cancel' in next)) {
			this.errors.push(`${id} (slow step) can only be cancelled: ${JSON.stringify(next)}`);
			return;
		}
		call.cancelled = true;
		controller.abort('user');
	}

	private backOrCancel(call: SeamCall, answer: SeamAnswer | undefined, canGoBack: boolean): 'back' | undefined {
		if (!answer) {
			return undefined;
		}
		if (!canGoBack) {
			this.errors.push(`${call.id}: Back pressed on a step without a Back button`);
			return undefined;
		}
		call.answer = 'back';
		return 'back';
	}
}
