import * as vscode from 'vscode';
import { Commands, STATUS_BAR_ITEM_ID, Views } from '../constants';
import type { Settings } from '../settings';
import { showStatus, type StatusItemFactory } from '../statusItem';
import { Throttle } from './progressFormat';
import { renderStatus, type StatusState } from './statusBarRender';

const COMMANDS = {
	upload: Commands.uploadFirmware,
	showProgress: Commands.showUploadProgress,
	showResult: `${Views.uploads}.focus`,
	insert: Commands.insertFirmwareUrl,
	copy: Commands.copyFirmwareUrl,
	showLog: Commands.showLog,
};

/** The one status-bar item: rendered from a state object, live during an upload (≤ 4 repaints/s), fading after. */
export class UploadStatusBar implements vscode.Disposable {
	private readonly item: vscode.StatusBarItem;
	private state: StatusState = { kind: 'idle' };
	private fadeTimer: NodeJS.Timeout | undefined;
	private readonly throttle = new Throttle(250);

	constructor(
		private readonly settings: Settings,
		createItem: StatusItemFactory,
	) {
		this.item = createItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
		this.item.name = vscode.l10n.t('IoT OTA Upload');
		this.render();
	}

	/** Progress updates are throttled; phase changes and results always render. */
	update(state: StatusState): void {
		const samePhase = state.kind === 'uploading' && this.state.kind === 'uploading' && state.phase === this.state.phase;
		this.state = state;
		this.clearFade();
		if (samePhase && !this.throttle.ready()) {
			return;
		}
		this.throttle.ready(true);
		this.render();
		if (state.kind === 'done' || state.kind === 'failed' || state.kind === 'cancelled') {
			const seconds = this.settings.statusBarResultSeconds();
			if (seconds > 0) {
				this.fadeTimer = setTimeout(() => this.update({ kind: 'idle' }), seconds * 1000);
			}
		}
	}

	/** Re-render after a settings change (idle visibility). */
	refresh(): void {
		this.render();
	}

	private render(): void {
		const view = renderStatus(this.state, { showWhenIdle: this.settings.statusBarShowWhenIdle(), commands: COMMANDS }, vscode.l10n);
		showStatus(this.item, view, view.command, Object.values(COMMANDS));
	}

	private clearFade(): void {
		if (this.fadeTimer) {
			clearTimeout(this.fadeTimer);
			this.fadeTimer = undefined;
		}
	}

	dispose(): void {
		this.clearFade();
		this.item.dispose();
	}
}
