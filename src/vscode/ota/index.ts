// Composition of the OTA part of the extension (issue 14): the account access, the job watches, the OTA Packages view
// and the watch status-bar item. Nothing here loads the core lifecycle or pop-core: they are imported on first use.
import * as vscode from 'vscode';
import type { Services } from '../commands/services';
import type { ProfileStore } from '../credentials/profileStore';
import type { SandboxController } from '../sandbox';
import type { Settings } from '../settings';
import { OtaAccessService } from './access';
import type { JobWatches, OtaServices, OtaViewPort } from './contract';

function notImplemented(what: string): never {
	throw new Error(`${what} is not implemented yet`);
}

export interface OtaDeps {
	profiles: ProfileStore;
	settings: Settings;
	sandbox: SandboxController;
}

/** Builds Services.ota; `services` is read lazily (Services holds the result). */
export function createOtaServices(context: vscode.ExtensionContext, deps: OtaDeps, services: () => Services): OtaServices {
	const access = new OtaAccessService(services, [
		(listener) => deps.profiles.onDidChange(listener),
		(listener) => deps.settings.onDidChange(listener),
		(listener) => deps.sandbox.onDidChange(listener),
	]);
	const emitter = new vscode.EventEmitter<never>();
	const watches: JobWatches = {
		watch: async () => notImplemented('Watching a job'),
		unwatch: async () => notImplemented('Watching a job'),
		isWatched: () => false,
		get: () => undefined,
		list: () => [],
		onDidChange: emitter.event,
	};
	const view: OtaViewPort = {
		refresh: () => undefined,
		reveal: async () => notImplemented('The OTA Packages view'),
		revealDeviceTasks: async () => notImplemented('The OTA Packages view'),
		loadMore: () => undefined,
		filterDevices: async () => notImplemented('The OTA Packages view'),
		deviceFilter: () => undefined,
	};
	context.subscriptions.push(access, emitter);
	return { access, watches, view };
}
