// What the test build of the extension returns from activate(): the prompt seam plus read access for assertions.
import type * as vscode from 'vscode';
import type { ExtensionParts } from '../../src/extension';
import type { Sandbox } from '../../src/sandbox';
import type { ProfileStore } from '../../src/vscode/credentials/profileStore';
import type { HistoryStore } from '../../src/vscode/history';
import type { OtaParts } from '../../src/vscode/ota';
import type { LocalSandboxState } from '../../src/vscode/ota/watchRegistry';
import type { Settings } from '../../src/vscode/settings';
import { STATUS_BAR_ITEM_ID, WATCH_STATUS_ITEM_ID } from '../../src/vscode/constants';
import type { UploadTracker } from '../../src/vscode/upload/tracker';
import type { ViewsHandle } from '../../src/vscode/views';
import type { TestSeam } from './seam';
import type { SeamPrompter } from './seamPrompter';
import type { ShownStatusItem, StatusItemRecorder } from './statusItems';

export interface IotOtaTestApi {
	testSeam: TestSeam;
	profiles: ProfileStore;
	history: HistoryStore;
	settings: Settings;
	uploads: UploadTracker;
	/** The three trees and their providers. */
	views: ViewsHandle;
	/** The upload status-bar item as shown. */
	statusBar(): ShownStatusItem;
	/** The job-watch status-bar item as shown. */
	watchStatusBar(): ShownStatusItem;
	/** The sandbox started by "Start Local Sandbox", if running. */
	sandbox(): Promise<Sandbox | undefined>;
	/** The Local Sandbox started or stopped. */
	onDidChangeSandbox: vscode.Event<void>;
	/** Stop Local Sandbox was asked, with the sandbox profile's name (what the extension's watches listen to). */
	onWillStopSandbox: vscode.Event<string>;
	/** The Local Sandbox as the extension's watches follow it (a test's own watch service follows it too). */
	localSandbox: LocalSandboxState;
	/** Everything in globalState and workspaceState as JSON (tests assert no secret is persisted). */
	persistedState(): string;
	/** The values last written to the firmware-pattern context keys of the Explorer menu. */
	firmwarePatternContext(): { extnames: string[]; names: string[] };
	/** The OTA Packages view and the job watches (issue 14). */
	ota: OtaParts;
	/** The extension's storage (tests build a second watch service over the same workspaceState to resume watches). */
	context: vscode.ExtensionContext;
}

export function testApiFor(
	context: vscode.ExtensionContext,
	seam: SeamPrompter,
	statusItems: StatusItemRecorder,
	parts: ExtensionParts,
): IotOtaTestApi {
	const { services, views, patterns, ota } = parts;
	return {
		testSeam: seam,
		profiles: services.profiles,
		history: services.history,
		settings: services.settings,
		uploads: services.uploads,
		views,
		statusBar: () => statusItems.shown(STATUS_BAR_ITEM_ID),
		watchStatusBar: () => statusItems.shown(WATCH_STATUS_ITEM_ID),
		// start() of a running sandbox returns it.
		sandbox: async () => (services.sandbox.running ? services.sandbox.start() : undefined),
		onDidChangeSandbox: services.sandbox.onDidChange,
		onWillStopSandbox: services.sandbox.onWillStop,
		localSandbox: services.sandbox,
		persistedState: () => persistedState(context),
		firmwarePatternContext: () => patterns.current,
		ota,
		context,
	};
}

function persistedState(context: vscode.ExtensionContext): string {
	const dump = (memento: vscode.Memento) => Object.fromEntries(memento.keys().map((key) => [key, memento.get(key)]));
	return JSON.stringify({ global: dump(context.globalState), workspace: dump(context.workspaceState) });
}
