import * as vscode from 'vscode';
import { printable, printableLines } from '../core/printable';
import { printableLabel } from './ui/printableLabel';

/** Makes a status-bar item (vscode.window.createStatusBarItem; the composition passes it in). */
export type StatusItemFactory = (id: string, alignment: vscode.StatusBarAlignment, priority: number) => vscode.StatusBarItem;

/** What a pure status renderer produces (upload/statusBarRender.ts, ota/watchStatusRender.ts). */
export interface RenderedStatus {
	visible: boolean;
	text: string;
	/** Markdown; its command links may run `enabledCommands`. */
	tooltip: string;
	background?: 'error' | 'warning';
}

/** Puts a rendered status on a status-bar item, or hides it: the one place that turns a rendering into the item. */
export function showStatus(
	item: vscode.StatusBarItem,
	view: RenderedStatus,
	command: string | vscode.Command | undefined,
	enabledCommands: readonly string[],
): void {
	if (!view.visible) {
		item.hide();
		return;
	}
	// File names and server text in a status: made printable here, for every status item (src/core/printable.ts); only
	// the renderer's leading icon renders as one.
	const text = printableLabel(view.text);
	item.text = text;
	const tooltip = new vscode.MarkdownString(printableLines(view.tooltip), true);
	tooltip.isTrusted = { enabledCommands: [...enabledCommands] };
	item.tooltip = tooltip;
	item.command = command;
	item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
	// Read aloud: the text without the leading icon, a name as it is (no escape).
	item.accessibilityInformation = { label: printable(view.text).replace(/^\$\([^)]*\)\s*/, '') };
	item.show();
}

/** A message in the status bar for a few seconds (a copy's confirmation): printable, only its leading icon renders. */
export function flashStatus(message: string): void {
	vscode.window.setStatusBarMessage(printableLabel(message), 3000);
}
