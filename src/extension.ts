import * as vscode from 'vscode';
import { uploadPathPreloader } from './core/uploadPreload';
import { createCommandTable } from './vscode/commands';
import type { Services } from './vscode/commands/services';
import { registerCommandTable } from './vscode/commands/wrapper';
import { ContextKeys } from './vscode/constants';
import { EndpointDeclines } from './vscode/credentials/endpointDeclines';
import { ProfileStore } from './vscode/credentials/profileStore';
import { HistoryStore } from './vscode/history';
import { ImageIdentities } from './vscode/image/identityCache';
import { createLogChannel, SecretMask } from './vscode/log';
import { createOtaServices, type OtaParts } from './vscode/ota';
import { DiagnosisDocuments } from './vscode/ota/actions/diagnosisDocuments';
import { UploadCommandDocuments } from './vscode/upload/commandDocuments';
import { SandboxController } from './vscode/sandbox';
import { Settings } from './vscode/settings';
import { watchLegacyPatternSettings } from './vscode/settingsMigration';
import type { StatusItemFactory } from './vscode/statusItem';
import { printablePrompter } from './vscode/ui/printablePrompter';
import { WindowPrompter, type Prompter } from './vscode/ui/prompter';
import { confirmedEndpoints } from './vscode/workspaceTrust';
import { FirmwarePatternContext } from './vscode/upload/explorerContext';
import { UploadStatusBar } from './vscode/upload/statusBar';
import { UploadTracker } from './vscode/upload/tracker';
import { registerViews, type ViewsHandle } from './vscode/views';
import { setContext } from './vscode/setContext';

let sandboxController: SandboxController | undefined;

export function activate(context: vscode.ExtensionContext): void {
	composeExtension(context, {
		prompter: new WindowPrompter(),
		createStatusBarItem: (id, alignment, priority) => vscode.window.createStatusBarItem(id, alignment, priority),
	});
}

/** What the composition takes from the window: every prompt, and the status-bar items (the test build observes both). */
export interface WindowPorts {
	prompter: Prompter;
	createStatusBarItem: StatusItemFactory;
}

/** What the composition built; the integration tests' build of the extension (test/extension/) reads it. */
export interface ExtensionParts {
	services: Services;
	views: ViewsHandle;
	patterns: FirmwarePatternContext;
	ota: OtaParts;
}

/**
 * Composition root: builds the services around the given window ports (every window.show* call, the status-bar
 * items), registers commands and views; the flows live in src/vscode/**, behaviour in src/core.
 */
export function composeExtension(context: vscode.ExtensionContext, window: WindowPorts): ExtensionParts {
	// Every prompt's text made printable in one place, whichever prompter shows it (the window's or the test seam).
	const prompter = printablePrompter(window.prompter);
	const log = createLogChannel();
	const mask = new SecretMask();
	const settings = new Settings();
	const profiles = new ProfileStore(context.globalState, context.secrets);
	const history = new HistoryStore(context.workspaceState);
	const statusBar = new UploadStatusBar(settings, window.createStatusBarItem);
	const uploads = new UploadTracker();
	const sandbox = new SandboxController(context, profiles, log, mask, () => ({
		...settings.sandboxFleet(vscode.workspace.isTrusted),
		versionMarker: settings.versionMarker(),
	}));
	sandboxController = sandbox;
	const patterns = new FirmwarePatternContext(settings);
	const images = new ImageIdentities(log, () => settings.versionMarker());
	const migration = watchLegacyPatternSettings({ log, prompter, state: context.workspaceState });
	context.subscriptions.push(log, profiles, history, statusBar, uploads, sandbox, patterns, images, migration);

	const endpointDeclines = new EndpointDeclines(() => confirmedEndpoints(context.globalState));
	const ota = createOtaServices(
		context,
		{ profiles, settings, sandbox, log, mask, prompter, createStatusBarItem: window.createStatusBarItem, declines: endpointDeclines },
		() => services,
	);
	const diagnoses = new DiagnosisDocuments();
	const uploadCommands = new UploadCommandDocuments();
	context.subscriptions.push(diagnoses, uploadCommands);
	const services: Services = {
		context,
		log,
		mask,
		prompter,
		settings,
		profiles,
		history,
		statusBar,
		uploads,
		sandbox,
		ota,
		diagnoses,
		uploadCommands,
		images,
		preloadUploadPath: uploadPathPreloader(),
		endpointDeclines,
	};
	const views = registerViews(context, {
		history,
		profiles,
		settings,
		log,
		images,
		sandboxRunning: () => sandbox.running,
		onDidChangeSandbox: sandbox.onDidChange,
	});
	context.subscriptions.push(...registerCommandTable(createCommandTable(services, views), { log, mask, prompter: services.prompter }));

	const syncCredentialsKey = () => void setContext(ContextKeys.hasCredentials, profiles.active() !== undefined);
	syncCredentialsKey();
	context.subscriptions.push(
		profiles.onDidChange(syncCredentialsKey),
		settings.onDidChange(() => statusBar.refresh()),
	);
	void history
		.markInterrupted()
		.then((count) => count > 0 && log.info(`${count} upload(s) of an earlier session marked as interrupted.`));
	log.info(`IoT OTA ${context.extension.packageJSON.version as string} activated.`);
	return { services, views, patterns, ota };
}

/** Stops the local sandbox (bounded: shutting down must not wait on a client that never finishes its upload). */
export async function deactivate(): Promise<void> {
	const stopping = sandboxController?.stop();
	sandboxController = undefined;
	await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 3000))]);
}
