// The status-bar items of the test build: the real items, wrapped so that a test can read what the window shows
// (a StatusBarItem has no getter for whether it is shown).
import * as vscode from 'vscode';
import type { StatusItemFactory } from '../../src/vscode/statusItem';

/** A status-bar item as the window shows it. */
export interface ShownStatusItem {
	visible: boolean;
	text: string;
	/** The tooltip's Markdown (or plain text). */
	tooltip: string;
	/** The click's command id and its arguments. */
	command?: string;
	arguments?: unknown[];
}

export class StatusItemRecorder {
	private readonly items = new Map<string, { item: vscode.StatusBarItem; visible: boolean }>();

	readonly create: StatusItemFactory = (id, alignment, priority) => {
		const item = vscode.window.createStatusBarItem(id, alignment, priority);
		const record = { item, visible: false };
		this.items.set(id, record);
		return new Proxy(item, {
			get(target, prop) {
				if (prop === 'show' || prop === 'hide') {
					return () => {
						record.visible = prop === 'show';
						target[prop]();
					};
				}
				const value: unknown = Reflect.get(target, prop, target);
				return typeof value === 'function' ? value.bind(target) : value;
			},
			set(target, prop, value) {
				return Reflect.set(target, prop, value, target);
			},
		});
	};

	/** What the item `id` shows now (hidden and empty when it was never made). */
	shown(id: string): ShownStatusItem {
		const record = this.items.get(id);
		if (!record) {
			return { visible: false, text: '', tooltip: '' };
		}
		const { item, visible } = record;
		const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
		const command: Partial<vscode.Command> | undefined = typeof item.command === 'string' ? { command: item.command } : item.command;
		return { visible, text: item.text, tooltip, command: command?.command, arguments: command?.arguments };
	}
}
