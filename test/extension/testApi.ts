// What the test build of the extension returns from activate(): the prompt seam plus read access for assertions.
import type * as vscode from 'vscode';
import type { ExtensionParts } from '../../src/extension';
import type { Sandbox } from '../../src/sandbox';
import type { ProfileStore } from '../../src/vscode/credentials/profileStore';
import type { HistoryStore } from '../../src/vscode/history';
import type { OtaParts } from '../../src/vscode/ota';
import type { Settings } from '../../src/vscode/settings';
import type { StatusState, StatusView } from '../../src/vscode/upload/statusBarRender';
import type { UploadTracker } from '../../src/vscode/upload/tracker';
import type { ViewsHandle } from '../../src/vscode/views';
import type { SeamPrompter, TestSeam } from './seamPrompter';

export interface IotOtaTestApi {
	testSeam: TestSeam;
	profiles: ProfileStore;
	history: HistoryStore;
	settings: Settings;
	uploads: UploadTracker;
	/** The three trees and their providers. */
	views: ViewsHandle;
	statusBar(): StatusView;
	statusBarState(): StatusState;
	/** The sandbox started by "Start Local Sandbox", if running. */
	sandbox(): Sandbox | undefined;
	/** Everything in globalState and workspaceState as JSON (tests assert no secret is persisted). */
	persistedState(): string;
	/** The values last written to the firmware-pattern context keys of the Explorer menu. */
	firmwarePatternContext(): { extnames: string[]; names: string[] };
	/** The OTA Packages view, the job watches and their status-bar item (issue 14). */
	ota: OtaParts;
	/** The extension's storage (tests build a second watch service over the same workspaceState to resume watches). */
	context: vscode.ExtensionContext;
}

export function testApiFor(context: vscode.ExtensionContext, seam: SeamPrompter, parts: ExtensionParts): IotOtaTestApi {
	const { services, views, patterns, ota } = parts;
	return {
		testSeam: seam,
		profiles: services.profiles,
		history: services.history,
		settings: services.settings,
		uploads: services.uploads,
		views,
		statusBar: () => services.statusBar.current,
		statusBarState: () => services.statusBar.currentState,
		sandbox: () => services.sandbox.instance,
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
