// The one place where a tree item's text is made safe to show (src/core/printable.ts): every view's provider passes
// its items through here, so a file or folder name, a ProductName, FirmwareName, DeviceName, module name or server
// message cannot reorder, hide or forge what a row or its tooltip says.
import type * as vscode from 'vscode';
import { printable, printableLines } from '../../core/printable';

/**
 * `item` with its label, description and screen-reader label one printable line each and its tooltip printable, line breaks kept (a
 * MarkdownString's source too, after its own Markdown escaping). Ids, commands and arguments stay exact: what a
 * command copies (a FirmwareUrl, a FirmwareId) comes from the node's data, never from the shown text.
 */
export function printableTreeItem<T extends vscode.TreeItem>(item: T): T {
	if (typeof item.label === 'string') {
		item.label = printable(item.label);
	} else if (item.label) {
		item.label = { ...item.label, label: printable(item.label.label) };
	}
	if (typeof item.description === 'string') {
		item.description = printable(item.description);
	}
	if (item.accessibilityInformation) {
		item.accessibilityInformation = { ...item.accessibilityInformation, label: printable(item.accessibilityInformation.label) };
	}
	if (typeof item.tooltip === 'string') {
		item.tooltip = printableLines(item.tooltip);
	} else if (item.tooltip) {
		item.tooltip.value = printableLines(item.tooltip.value);
	}
	return item;
}
