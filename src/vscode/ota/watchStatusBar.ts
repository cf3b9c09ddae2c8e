import * as vscode from 'vscode';
import { Commands, WATCH_STATUS_ITEM_ID } from '../constants';
import type { Settings } from '../settings';
import { showStatus, type StatusItemFactory } from '../statusItem';
import type { JobWatches, WatchEvent, WatchSnapshot } from './contract';
import { renderWatchStatus } from './watchStatusRender';

const COMMANDS = { reveal: Commands.revealJob, failures: Commands.showJobFailures, stop: Commands.stopWatchingJob };

/** The watch status-bar item: state (the watches, the last ended job) → render; at most 4 repaints a second. */
export class WatchStatusBar implements vscode.Disposable {
	private readonly item: vscode.StatusBarItem;
	private ended?: WatchSnapshot;
	private fadeTimer?: ReturnType<typeof setTimeout>;
	private renderTimer?: ReturnType<typeof setTimeout>;
	private readonly subscription: vscode.Disposable;

	constructor(
		private readonly watches: JobWatches,
		private readonly settings: Settings,
		createItem: StatusItemFactory,
	) {
		this.item = createItem(WATCH_STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 49);
		this.item.name = vscode.l10n.t('IoT OTA Job Watch');
		this.subscription = watches.onDidChange((event) => this.onWatch(event));
		this.render();
	}

	private onWatch(event: WatchEvent): void {
		if (event.type === 'ended' && event.snapshot.outcome) {
			this.ended = event.snapshot;
			clearTimeout(this.fadeTimer);
			const seconds = this.settings.statusBarResultSeconds();
			if (seconds > 0) {
				this.fadeTimer = setTimeout(() => {
					this.ended = undefined;
					this.render();
				}, seconds * 1000);
			}
		} else if (event.type === 'started' || event.type === 'resumed') {
			this.ended = undefined;
		}
		this.renderTimer ??= setTimeout(() => {
			this.renderTimer = undefined;
			this.render();
		}, 250);
		if (event.type !== 'progress') {
			clearTimeout(this.renderTimer);
			this.renderTimer = undefined;
			this.render();
		}
	}

	private render(): void {
		const view = renderWatchStatus(this.watches.list(), this.ended, COMMANDS, vscode.l10n, vscode.env.language);
		const command = view.command;
		const click = command && { title: this.item.name ?? '', command: command.id, arguments: command.arg ? [command.arg] : [] };
		showStatus(this.item, view, click, Object.values(COMMANDS));
	}

	dispose(): void {
		clearTimeout(this.fadeTimer);
		clearTimeout(this.renderTimer);
		this.subscription.dispose();
		this.item.dispose();
	}
}
