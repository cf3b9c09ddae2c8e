import * as vscode from 'vscode';
import { cancelledError } from '../core/errors';
import type { ConnectionSettings } from '../core/types';
import { StateKeys } from './constants';
import type { EndpointDeclines } from './credentials/endpointDeclines';
import { confirmationKey, planEndpoint, type EndpointInputs, type EndpointPlan } from './credentials/endpointPolicy';
import type { ProfileRecord } from './model';
import type { ConnectionChoice } from './credentials/folderConnection';
import type { ScopedValue, Settings } from './settings';
import { PromptIds, type Prompter } from './ui/prompter';

export interface TrustDeps {
	globalState: vscode.Memento;
	settings: Settings;
	prompter: Prompter;
	log: vscode.LogOutputChannel;
	/** The workspace endpoints declined in this window: not asked again, and a decline is recorded there. */
	declines: EndpointDeclines;
}

export interface ResolvedConnection extends ConnectionSettings {
	allowInsecure: boolean;
	/** Where the endpoint came from, for the log. */
	endpointSource: EndpointPlan['source'];
	/** Which values one folder's own settings set in a multi-root workspace, for the log. */
	folderSettings?: string;
}

/** The folder of `scope` when the window is a multi-root workspace (in a single-folder window its settings are the workspace's). */
function multiRootFolder(scope?: vscode.Uri): vscode.WorkspaceFolder | undefined {
	return scope && vscode.workspace.workspaceFile ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
}

/** "iotOta.region, iotOta.iotInstanceId from the folder "a" settings" for the values used that a folder's own settings set. */
function folderSettingsOf(used: Record<string, ScopedValue<string> | undefined>, scope?: vscode.Uri): string | undefined {
	const folder = multiRootFolder(scope);
	const keys = Object.entries(used)
		.filter(([, value]) => value?.workspaceOrigin === 'folder')
		.map(([key]) => `iotOta.${key}`);
	return folder && keys.length > 0 ? `${keys.join(', ')} from the folder "${folder.name}" settings` : undefined;
}

/** The folder whose own settings set a workspace-level value, in a multi-root workspace (the log and the endpoint modal name it). */
function settingFolder(value: ScopedValue<string>, scope?: vscode.Uri): vscode.WorkspaceFolder | undefined {
	return value.workspaceOrigin === 'folder' ? multiRootFolder(scope) : undefined;
}

/** "folder "a" settings" or "workspace settings": where a workspace-level value the log names came from. */
function originText(folder: vscode.WorkspaceFolder | undefined): string {
	return folder ? `folder "${folder.name}" settings` : 'workspace settings';
}

/** The instance id a trusted workspace's (or folder's) settings, else the user's, give; undefined: the profile's. */
function settingsInstance(instance: ScopedValue<string>, trusted: boolean): string | undefined {
	return (trusted ? instance.workspace : undefined) ?? instance.user;
}

/**
 * What the settings of the folder of `scope` (the window's without one) make of a profile's connection, without a
 * question or a request (as resolveConnection decides, a workspace's endpoint as if confirmed unless the user declined it
 * in this window: `declined`, EndpointDeclines.list()). Compared across the files of one package and between the OTA
 * Packages view's connection rows (credentials/folderConnection.ts).
 */
export function connectionChoice(
	profile: ProfileRecord,
	settings: Settings,
	scope: vscode.Uri | undefined,
	declined: readonly string[],
): ConnectionChoice {
	if (profile.kind === 'sandbox') {
		return { region: profile.region, endpoint: profile.endpoint, iotInstanceId: profile.iotInstanceId };
	}
	const trusted = vscode.workspace.isTrusted;
	const endpoint = settings.endpoint(scope);
	// The endpoint resolveConnection's plan starts from: a workspace's one as if confirmed (a plan's `confirm` is not asked here).
	const plan = planEndpoint({
		profileEndpoint: profile.endpoint,
		userEndpoint: endpoint.user,
		workspaceEndpoint: endpoint.workspace,
		workspaceTrusted: trusted,
		confirmed: [],
		declined,
	});
	return {
		region: settings.region(scope) ?? profile.region,
		endpoint: plan.endpoint,
		iotInstanceId: settingsInstance(settings.iotInstanceId(scope), trusted) ?? profile.iotInstanceId,
	};
}

/**
 * Region, endpoint and instance id for a profile. The sandbox profile is self-contained; for user
 * profiles an explicit `iotOta.region` / `iotOta.iotInstanceId` wins over the profile's value, and a
 * custom endpoint is honoured from user settings, or from workspace settings only in a trusted
 * workspace after an explicit, remembered confirmation. Plain-http non-loopback endpoints always
 * need a confirmation. With a file's URI as `scope`, its folder's settings apply (the settings are
 * resource-scoped); a folder's value is a workspace value for trust and confirmation.
 */
export async function resolveConnection(profile: ProfileRecord, deps: TrustDeps, scope?: vscode.Uri): Promise<ResolvedConnection> {
	if (profile.kind === 'sandbox') {
		const plan = await settlePlan({ profileEndpoint: profile.endpoint, workspaceTrusted: true, confirmed: confirmedList(deps) }, deps);
		return {
			region: profile.region,
			endpoint: plan.endpoint,
			iotInstanceId: profile.iotInstanceId,
			allowInsecure: plan.allowInsecure,
			endpointSource: plan.source,
		};
	}
	const trusted = vscode.workspace.isTrusted;
	const endpoint = deps.settings.endpoint(scope);
	const endpointFolder = settingFolder(endpoint, scope);
	const plan = await settlePlan(
		{
			profileEndpoint: profile.endpoint,
			userEndpoint: endpoint.user,
			workspaceEndpoint: endpoint.workspace,
			workspaceTrusted: trusted,
			confirmed: confirmedList(deps),
			declined: deps.declines.list(),
		},
		deps,
		endpointFolder,
	);
	const instance = deps.settings.iotInstanceId(scope);
	if (instance.workspace && !trusted) {
		deps.log.warn(
			`Ignoring iotOta.iotInstanceId from the ${originText(settingFolder(instance, scope))}: the workspace is not trusted.`,
		);
	}
	const region = deps.settings.regionSetting(scope);
	return {
		region: region.workspace ?? region.user ?? profile.region,
		endpoint: plan.endpoint,
		iotInstanceId: settingsInstance(instance, trusted) ?? profile.iotInstanceId,
		allowInsecure: plan.allowInsecure,
		endpointSource: plan.source,
		folderSettings: folderSettingsOf(
			{ region, endpoint: plan.source === 'workspace' ? endpoint : undefined, iotInstanceId: trusted ? instance : undefined },
			scope,
		),
	};
}

function confirmedList(deps: TrustDeps): string[] {
	return confirmedEndpoints(deps.globalState);
}

/** The endpoints the user confirmed on this machine (`confirmationKey` form), in every window. */
export function confirmedEndpoints(globalState: Pick<vscode.Memento, 'get'>): string[] {
	const raw = globalState.get<unknown>(StateKeys.trustedEndpoints);
	return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
}

async function remember(deps: TrustDeps, key: string): Promise<void> {
	const list = confirmedList(deps);
	if (!list.includes(key)) {
		await deps.globalState.update(StateKeys.trustedEndpoints, [...list, key]);
	}
}

/** `folder`: the one whose own settings set the workspace's endpoint (multi-root), named in the log and the modal. */
async function settlePlan(
	initial: EndpointInputs,
	deps: TrustDeps,
	folder?: vscode.WorkspaceFolder,
): Promise<{ endpoint?: string; source: EndpointPlan['source']; allowInsecure: boolean }> {
	const workspaceOrigin = originText(folder);
	let inputs = initial;
	for (let step = 0; step < 3; step++) {
		const plan = planEndpoint(inputs);
		if (plan.ignored?.reason === 'untrusted-workspace') {
			deps.log.warn(`Ignoring iotOta.endpoint ${plan.ignored.endpoint} from the ${workspaceOrigin}: the workspace is not trusted.`);
		} else if (plan.ignored) {
			deps.log.info(
				`Not using iotOta.endpoint ${plan.ignored.endpoint} from the ${workspaceOrigin}: declined in this window; using ${plan.endpoint ?? 'the region endpoint'}.`,
			);
		}
		if (!plan.confirm || !plan.endpoint) {
			const insecureConfirmed =
				plan.endpoint !== undefined && confirmedList(deps).includes(confirmationKey(plan.endpoint, 'insecure'));
			return { endpoint: plan.endpoint, source: plan.source, allowInsecure: insecureConfirmed };
		}
		const accepted = await askConfirmation(plan.confirm, plan.endpoint, deps, plan.source === 'workspace' ? folder?.name : undefined);
		if (accepted) {
			await remember(deps, confirmationKey(plan.endpoint, plan.confirm));
			deps.log.info(`The user confirmed the ${plan.confirm === 'insecure' ? 'plain-http' : 'workspace'} endpoint ${plan.endpoint}.`);
			inputs = { ...inputs, confirmed: confirmedList(deps) };
		} else if (plan.confirm === 'workspace') {
			deps.log.info(`The user declined the workspace endpoint ${plan.endpoint}: it is not asked for again in this window.`);
			deps.declines.add(plan.endpoint);
			inputs = { ...inputs, declined: deps.declines.list() };
		} else {
			throw cancelledError('the endpoint confirmation');
		}
	}
	throw cancelledError('the endpoint confirmation');
}

/** `folder`: the name of the folder whose own settings set the endpoint (a multi-root workspace), else undefined. */
async function askConfirmation(kind: 'workspace' | 'insecure', endpoint: string, deps: TrustDeps, folder?: string): Promise<boolean> {
	const use = vscode.l10n.t('Use This Endpoint');
	const message =
		kind === 'insecure'
			? vscode.l10n.t(
					'The IoT endpoint {0} uses plain http: the request signature and any STS token travel unencrypted. Use it anyway?',
					endpoint,
				)
			: folder === undefined
				? vscode.l10n.t(
						'This workspace sets the IoT endpoint to {0}. Your AccessKey signs every request sent there. Use it?',
						endpoint,
					)
				: vscode.l10n.t(
						'The settings of folder "{0}" in this workspace set the IoT endpoint to {1}. Your AccessKey signs every request sent there. Use it?',
						folder,
						endpoint,
					);
	const setBy = folder === undefined || kind === 'workspace' ? [] : [vscode.l10n.t('The settings of folder "{0}" set it.', folder)];
	const detail = [
		...setBy,
		kind === 'workspace'
			? vscode.l10n.t(
					'Only use endpoints you set up yourself. If you choose not to, the endpoint from your user settings (or the region) is used, and you are not asked again for it until the window reloads.',
				)
			: vscode.l10n.t('Your answer is remembered for this endpoint.'),
	].join('\n');
	const choice = await deps.prompter.message(PromptIds.endpointConfirm, 'warning', message, { modal: true, detail }, use);
	return choice === use;
}
