import * as vscode from 'vscode';
import { cancelledError } from '../core/errors';
import type { ConnectionSettings } from '../core/types';
import { StateKeys } from './constants';
import { confirmationKey, planEndpoint, type EndpointInputs, type EndpointPlan } from './credentials/endpointPolicy';
import type { ProfileRecord } from './model';
import type { Settings } from './settings';
import { PromptIds, type Prompter } from './ui/prompter';

export interface TrustDeps {
	globalState: vscode.Memento;
	settings: Settings;
	prompter: Prompter;
	log: vscode.LogOutputChannel;
}

export interface ResolvedConnection extends ConnectionSettings {
	allowInsecure: boolean;
	/** Where the endpoint came from, for the log. */
	endpointSource: EndpointPlan['source'];
}

/**
 * Region, endpoint and instance id for a profile. The sandbox profile is self-contained; for user
 * profiles an explicit `iotOta.region` / `iotOta.iotInstanceId` wins over the profile's value, and a
 * custom endpoint is honoured from user settings, or from workspace settings only in a trusted
 * workspace after an explicit, remembered confirmation. Plain-http non-loopback endpoints always
 * need a confirmation.
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
	const plan = await settlePlan(
		{
			profileEndpoint: profile.endpoint,
			userEndpoint: endpoint.user,
			workspaceEndpoint: endpoint.workspace,
			workspaceTrusted: trusted,
			confirmed: confirmedList(deps),
		},
		deps,
	);
	const instance = deps.settings.iotInstanceId(scope);
	if (instance.workspace && !trusted) {
		deps.log.warn(`Ignoring iotOta.iotInstanceId from the ${instance.workspaceOrigin} settings: the workspace is not trusted.`);
	}
	const iotInstanceId = (trusted ? instance.workspace : undefined) ?? instance.user ?? profile.iotInstanceId;
	return {
		region: deps.settings.region() ?? profile.region,
		endpoint: plan.endpoint,
		iotInstanceId,
		allowInsecure: plan.allowInsecure,
		endpointSource: plan.source,
	};
}

function confirmedList(deps: TrustDeps): string[] {
	const raw = deps.globalState.get<unknown>(StateKeys.trustedEndpoints);
	return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
}

async function remember(deps: TrustDeps, key: string): Promise<void> {
	const list = confirmedList(deps);
	if (!list.includes(key)) {
		await deps.globalState.update(StateKeys.trustedEndpoints, [...list, key]);
	}
}

async function settlePlan(
	initial: EndpointInputs,
	deps: TrustDeps,
): Promise<{ endpoint?: string; source: EndpointPlan['source']; allowInsecure: boolean }> {
	let inputs = initial;
	for (let step = 0; step < 3; step++) {
		const plan = planEndpoint(inputs);
		if (plan.ignored) {
			deps.log.warn(`Ignoring iotOta.endpoint ${plan.ignored.endpoint} from the workspace settings: the workspace is not trusted.`);
		}
		if (!plan.confirm || !plan.endpoint) {
			const insecureConfirmed =
				plan.endpoint !== undefined && confirmedList(deps).includes(confirmationKey(plan.endpoint, 'insecure'));
			return { endpoint: plan.endpoint, source: plan.source, allowInsecure: insecureConfirmed };
		}
		const accepted = await askConfirmation(plan.confirm, plan.endpoint, deps);
		if (accepted) {
			await remember(deps, confirmationKey(plan.endpoint, plan.confirm));
			deps.log.info(`The user confirmed the ${plan.confirm === 'insecure' ? 'plain-http' : 'workspace'} endpoint ${plan.endpoint}.`);
			inputs = { ...inputs, confirmed: confirmedList(deps) };
		} else if (plan.confirm === 'workspace') {
			deps.log.info(
				`The user declined the workspace endpoint ${plan.endpoint}; using ${inputs.userEndpoint ?? 'the region endpoint'}.`,
			);
			inputs = { ...inputs, workspaceEndpoint: undefined };
		} else {
			throw cancelledError('the endpoint confirmation');
		}
	}
	throw cancelledError('the endpoint confirmation');
}

async function askConfirmation(kind: 'workspace' | 'insecure', endpoint: string, deps: TrustDeps): Promise<boolean> {
	const use = vscode.l10n.t('Use This Endpoint');
	const message =
		kind === 'workspace'
			? vscode.l10n.t('This workspace sets the IoT endpoint to {0}. Your AccessKey signs every request sent there. Use it?', endpoint)
			: vscode.l10n.t(
					'The IoT endpoint {0} uses plain http: the request signature and any STS token travel unencrypted. Use it anyway?',
					endpoint,
				);
	const detail =
		kind === 'workspace'
			? vscode.l10n.t(
					'Only use endpoints you set up yourself. If you choose not to, the endpoint from your user settings (or the region) is used.',
				)
			: vscode.l10n.t('Your answer is remembered for this endpoint.');
	const choice = await deps.prompter.message(PromptIds.endpointConfirm, 'warning', message, { modal: true, detail }, use);
	return choice === use;
}
