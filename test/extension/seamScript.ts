// The answer script of the integration tier's Prompter (seamPrompter.ts): the queue of answers, what was asked and
// shown, the scripting problems, and how one queued answer is matched to a prompt and to an item.
import type * as vscode from 'vscode';
import type { MessageSeverity } from '../../src/vscode/ui/prompter';
import type { SeamAnswer, SeamCall, TestSeam } from './seam';

type Kind = SeamCall['kind'];

const stripIcons = (label: string) => label.replace(/\$\([^)]*\)\s*/g, '').trim();

export class SeamScript implements TestSeam {
	readonly calls: SeamCall[] = [];
	readonly errors: string[] = [];
	protected answers: SeamAnswer[] = [];

	queue(...answers: SeamAnswer[]): void {
		this.answers.push(...answers);
	}

	messages(severity?: MessageSeverity): SeamCall[] {
		return this.calls.filter((call) => call.kind === 'message' && (severity === undefined || call.severity === severity));
	}

	pending(): number {
		return this.answers.length;
	}

	reset(): void {
		this.answers = [];
		this.calls.length = 0;
		this.errors.length = 0;
	}

	protected record(call: SeamCall): SeamCall {
		this.calls.push(call);
		return call;
	}

	/** The next answer if it fits this prompt; an unscripted prompt is answered like Escape. */
	protected take(
		call: SeamCall,
		kinds: ReadonlyArray<'pick' | 'picks' | 'back' | 'input' | 'files' | 'save' | 'button'>,
	): SeamAnswer | undefined {
		const answer = this.answers[0];
		if (!answer) {
			return undefined;
		}
		if (answer.id !== undefined && answer.id !== call.id) {
			this.errors.push(`${call.id} (${call.kind}) was asked, but the next answer is for ${answer.id}`);
			return undefined;
		}
		this.answers.shift();
		if ('cancel' in answer) {
			return undefined;
		}
		if (!kinds.some((kind) => kind in answer)) {
			this.errors.push(`${call.id} (${call.kind as Kind}) got an answer of the wrong kind: ${JSON.stringify(answer)}`);
			return undefined;
		}
		return answer;
	}
}

export function findItem<T extends vscode.QuickPickItem>(
	items: readonly T[],
	wanted: string | ((item: vscode.QuickPickItem) => boolean),
): T | undefined {
	if (typeof wanted === 'function') {
		return items.find(wanted);
	}
	return (
		items.find((item) => stripIcons(item.label) === wanted || item.label === wanted) ??
		items.find((item) => stripIcons(item.label).startsWith(wanted))
	);
}
