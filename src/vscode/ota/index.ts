// Composition of the OTA part of the extension (issue 14): the account access, the job watches (resumed from the
// window's state), the OTA Packages view, the watch status-bar item and the watch notifications. Nothing here loads
// the core lifecycle or pop-core: they are imported on first use.
import * as vscode from 'vscode';
import type { Services } from '../commands/services';
import { ContextKeys, Views } from '../constants';
import type { EndpointDeclines } from '../credentials/endpointDeclines';
import type { ProfileStore } from '../credentials/profileStore';
import type { SecretMask } from '../log';
import type { SandboxController } from '../sandbox';
import { setContext } from '../setContext';
import { Settings } from '../settings';
import type { StatusItemFactory } from '../statusItem';
import type { Prompter } from '../ui/prompter';
import { OtaAccessService } from './access';
import type { OtaServices } from './contract';
import type { OtaNode } from './nodes';
import { OtaTreeProvider } from './tree';
import { placeChoosing, type ViewGroupSource } from './viewGroups';
import { notifyWatchOutcomes } from './watchNotifications';
import { JobWatchService } from './watchService';
import { WatchStatusBar } from './watchStatusBar';
import { WindowActivity } from './windowActivity';

export interface OtaDeps {
	profiles: ProfileStore;
	settings: Settings;
	sandbox: SandboxController;
	log: vscode.LogOutputChannel;
	mask: SecretMask;
	prompter: Prompter;
	createStatusBarItem: StatusItemFactory;
	declines: EndpointDeclines;
}

/** What the composition built; the integration tests read it through the test build's API. */
export interface OtaParts extends OtaServices {
	watchService: JobWatchService;
	tree: OtaTreeProvider;
	treeView: vscode.TreeView<OtaNode>;
}

/** Builds Services.ota; `services` is read lazily (Services holds the result). */
export function createOtaServices(context: vscode.ExtensionContext, deps: OtaDeps, services: () => Services): OtaParts {
	const access = new OtaAccessService(
		services,
		{
			settings: (listener) => deps.settings.onDidChange((event) => Settings.affectsConnections(event) && listener()),
			sandbox: (listener) => deps.sandbox.onDidChange(listener),
			trust: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
			declined: (listener) => deps.declines.onDidChange(listener),
		},
		deps.profiles.onDidChange,
	);
	const activity = new WindowActivity(
		{
			focused: () => vscode.window.state.focused,
			onDidChange: (listener) => vscode.window.onDidChangeWindowState((state) => listener(state.focused)),
		},
		() => deps.settings.watchPauseWhenUnfocusedMs(),
	);
	const groups: ViewGroupSource = { profiles: deps.profiles, settings: deps.settings, declines: deps.declines };
	const watchService = new JobWatchService({
		state: context.workspaceState,
		access,
		activity,
		log: deps.log,
		mask: deps.mask,
		sandbox: deps.sandbox,
		foldersAdded: (listener) =>
			vscode.workspace.onDidChangeWorkspaceFolders(
				(event) => event.added.length > 0 && listener(event.added.map((folder) => folder.uri.toString())),
			),
		placeChoosing: (profile, connection) => placeChoosing(groups, profile, connection),
	});
	const tree = new OtaTreeProvider({
		access,
		watches: watchService,
		log: deps.log,
		mask: deps.mask,
		groups,
		onDidChangeFolders: vscode.workspace.onDidChangeWorkspaceFolders,
	});
	const treeView = vscode.window.createTreeView(Views.packages, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
	tree.view = treeView;
	const statusBar = new WatchStatusBar(watchService, deps.settings, deps.createStatusBarItem);
	const syncWatchedKey = () => void setContext(ContextKeys.watchedJobs, watchService.list().length);
	context.subscriptions.push(
		access,
		activity,
		watchService,
		tree,
		treeView,
		statusBar,
		notifyWatchOutcomes(watchService, deps.prompter),
		watchService.onDidChange((event) => ['started', 'resumed', 'stopped', 'ended'].includes(event.type) && syncWatchedKey()),
	);
	syncWatchedKey();
	// After activation: resuming a watch loads the core, which activation itself must not.
	setTimeout(() => void watchService.restore(), 0);
	return { access, watches: watchService, view: tree, watchService, tree, treeView };
}
