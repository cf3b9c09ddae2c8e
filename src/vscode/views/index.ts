import * as vscode from 'vscode';
import { ContextKeys, Views } from '../constants';
import type { ProfileStore } from '../credentials/profileStore';
import type { HistoryStore } from '../history';
import type { ImageIdentities } from '../image/identityCache';
import type { Settings } from '../settings';
import { AccountTreeProvider, type AccountNode } from './accountTree';
import { FirmwareTreeProvider, type FirmwareNode } from './firmwareTree';
import { registerWindow } from './historyPresentation';
import { UploadsTreeProvider, type UploadsNode } from './uploadsTree';
import { setContext } from '../setContext';

export interface ViewsDeps {
	history: HistoryStore;
	profiles: ProfileStore;
	settings: Settings;
	log: vscode.LogOutputChannel;
	images: ImageIdentities;
	sandboxRunning: () => boolean;
	onDidChangeSandbox: vscode.Event<void>;
}

/** What registerViews built; the Refresh command uses it, and the integration tests through the test build's API. */
export interface ViewsHandle {
	history: HistoryStore;
	firmware: FirmwareTreeProvider;
	uploads: UploadsTreeProvider;
	account: AccountTreeProvider;
	firmwareView: vscode.TreeView<FirmwareNode>;
	uploadsView: vscode.TreeView<UploadsNode>;
	accountView: vscode.TreeView<AccountNode>;
	/** Rescans build outputs and re-renders every view. */
	refresh(): void;
}

const TICK_MS = 60_000;

export function registerViews(context: vscode.ExtensionContext, deps: ViewsDeps): ViewsHandle {
	const firmware = new FirmwareTreeProvider(deps.log, deps.settings, deps.images);
	const uploads = new UploadsTreeProvider(deps.history);
	const account = new AccountTreeProvider(deps);
	const firmwareView = vscode.window.createTreeView(Views.firmware, { treeDataProvider: firmware });
	const uploadsView = vscode.window.createTreeView(Views.uploads, { treeDataProvider: uploads, showCollapseAll: true });
	const accountView = vscode.window.createTreeView(Views.account, { treeDataProvider: account });
	context.subscriptions.push(firmware, uploads, account, firmwareView, uploadsView, accountView);

	const renderHistoryState = () => {
		const entries = deps.history.all();
		void setContext(ContextKeys.historyCount, entries.length);
		const waiting = entries.filter((entry) => registerWindow(entry, Date.now()).state === 'open').length;
		uploadsView.badge =
			waiting > 0 ? { value: waiting, tooltip: vscode.l10n.t('{0} uploaded file(s) waiting to be registered', waiting) } : undefined;
	};
	renderHistoryState();
	context.subscriptions.push(
		deps.history.onDidChange(renderHistoryState),
		firmware.onDidChangeCount((count) => void setContext(ContextKeys.firmwareCount, count)),
	);

	// Relative times and the registration countdown go stale: re-render once a minute while a view shows them.
	let ticker: ReturnType<typeof setInterval> | undefined;
	const tick = () => {
		renderHistoryState();
		if (firmwareView.visible) {
			firmware.rerender();
		}
		if (uploadsView.visible) {
			uploads.rerender();
		}
		updateTicker();
	};
	const updateTicker = () => {
		const needed = firmwareView.visible || uploadsView.visible || uploads.hasCountdown();
		if (needed && !ticker) {
			ticker = setInterval(tick, TICK_MS);
		} else if (!needed && ticker) {
			clearInterval(ticker);
			ticker = undefined;
		}
	};
	context.subscriptions.push(
		firmwareView.onDidChangeVisibility((e) => {
			if (e.visible) {
				firmware.rerender();
			}
			updateTicker();
		}),
		uploadsView.onDidChangeVisibility((e) => {
			if (e.visible) {
				uploads.rerender();
			}
			updateTicker();
		}),
		deps.history.onDidChange(updateTicker),
		{ dispose: () => clearInterval(ticker) },
	);
	updateTicker();

	return {
		history: deps.history,
		firmware,
		uploads,
		account,
		firmwareView,
		uploadsView,
		accountView,
		refresh: () => {
			firmware.rescan();
			uploads.rerender();
			account.rerender();
		},
	};
}
