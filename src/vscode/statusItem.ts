import * as vscode from 'vscode';

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
	item.text = view.text;
	const tooltip = new vscode.MarkdownString(view.tooltip, true);
	tooltip.isTrusted = { enabledCommands: [...enabledCommands] };
	item.tooltip = tooltip;
	item.command = command;
	item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
	item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, '') };
	item.show();
}
