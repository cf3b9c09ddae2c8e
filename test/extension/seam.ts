// The test seam's contract: what the integration tests queue as answers (SeamAnswer), what they read back about each
// prompt (SeamCall), and the interface they drive (TestSeam). SeamPrompter (seamPrompter.ts) implements it.
import type * as vscode from 'vscode';
import type { MessageSeverity } from '../../src/vscode/ui/prompter';

/**
 * A queued answer. `id` (optional) must match the prompt's id, which turns a mis-ordered script into
 * a recorded error instead of a silently wrong answer.
 *  - pick: label of the item (codicons ignored; exact match first, then prefix), or a predicate
 *  - input: text typed into an input box, or the free text of a pick-or-type prompt
 *  - files: the open dialog's result
 *  - save: the save dialog's result
 *  - button: the action chosen on a message
 *  - picks: the items checked in a multi-select step (each a label or a predicate; a predicate checks every match)
 *  - back: the Back button of a multi-step input
 *  - cancel: Escape / dismiss; on a progress notification, its Cancel button, pressed at its first report; on a slow
 *    step's (shown once a usually quick step takes a while; it reports nothing), pressed as soon as it appears
 * A progress notification takes an answer only when the next one names it (by id); otherwise its work just runs.
 */
export type SeamAnswer = { id?: string } & (
	| { pick: string | ((item: vscode.QuickPickItem) => boolean) }
	| { picks: Array<string | ((item: vscode.QuickPickItem) => boolean)> }
	| { back: true }
	| { input: string }
	| { files: vscode.Uri[] }
	| { save: vscode.Uri }
	| { button: string }
	| { cancel: true }
);

export interface SeamCall {
	id: string;
	kind: 'pick' | 'pickOrType' | 'input' | 'openFiles' | 'saveFile' | 'message' | 'stepPick' | 'stepInput' | 'progress' | 'slowStep';
	/** Message text, or the prompt's title/placeholder. */
	text: string;
	/** A message's detail (modal dialogs). */
	detail?: string;
	severity?: MessageSeverity;
	modal?: boolean;
	/** Quick pick item labels, message actions, an open dialog's button. */
	options?: string[];
	/** Input box prefill; a save dialog's default file (URI). */
	value?: string;
	/** Multi-step inputs: "3/9", and whether Back was offered. */
	step?: string;
	canGoBack?: boolean;
	/** Quick pick items' codicons (their iconPath's ThemeIcon id), in the order of `options`. */
	icons?: Array<string | undefined>;
	/** Quick pick items' descriptions and details, in the order of `options` (a summary step's content). */
	details?: string[];
	/** A multi-select step's items checked when it opened. */
	checked?: string[];
	/** What the seam answered with (label / text / button; labels joined by ", " for several; "back"), undefined for a cancel. */
	answer?: string;
	/** validateInput's message for the queued text (an error blocks the answer). */
	validation?: string;
	/** A progress notification's reports, in order. */
	reports?: string[];
	/** A progress notification's Cancel was pressed (also a slow step's). */
	cancelled?: boolean;
}

/** What tests drive: queue answers, then inspect what was asked and shown. */
export interface TestSeam {
	queue(...answers: SeamAnswer[]): void;
	readonly calls: SeamCall[];
	/** Scripting problems (wrong id, wrong kind, answer not found); tests assert it stays empty. */
	readonly errors: string[];
	messages(severity?: MessageSeverity): SeamCall[];
	pending(): number;
	reset(): void;
}
