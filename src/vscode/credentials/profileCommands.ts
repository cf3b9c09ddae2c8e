import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { profileFromArg } from '../commands/args';
import type { Services } from '../commands/services';
import type { ProfileRecord } from '../model';
import { PromptIds } from '../ui/prompter';
import { configureCredentials } from './configure';
import { maskAccessKeyId } from '../../core/format';

interface ProfileItem extends vscode.QuickPickItem {
	profile?: ProfileRecord;
}

function profileItems(s: Services): ProfileItem[] {
	const active = s.profiles.active()?.name;
	return s.profiles.list().map((profile) => ({
		iconPath: profile.name === active ? new vscode.ThemeIcon('check') : undefined,
		label: profile.name,
		description: `${profile.region} · ${maskAccessKeyId(profile.accessKeyId)}${profile.kind === 'sandbox' ? ` · ${vscode.l10n.t('local sandbox')}` : ''}`,
		detail: profile.iotInstanceId ? vscode.l10n.t('Instance {0}', profile.iotInstanceId) : undefined,
		profile,
	}));
}

export async function switchProfile(s: Services, arg?: unknown): Promise<ProfileRecord> {
	const given = profileFromArg(arg);
	if (given) {
		await s.profiles.setActive(given.name);
		s.log.info(`Active profile: "${given.name}".`);
		return given;
	}
	const addNew: ProfileItem = { iconPath: new vscode.ThemeIcon('add'), label: vscode.l10n.t('Configure a new profile…') };
	const chosen = await s.prompter.pick(PromptIds.profilePick, [...profileItems(s), addNew], {
		title: vscode.l10n.t('Switch IoT OTA profile'),
	});
	if (!chosen) {
		throw cancelledError('the profile switch');
	}
	if (!chosen.profile) {
		return configureCredentials(s);
	}
	await s.profiles.setActive(chosen.profile.name);
	s.log.info(`Active profile: "${chosen.profile.name}".`);
	return chosen.profile;
}

/** Deletes a profile's secrets and record after a modal confirmation. */
export async function clearCredentials(s: Services, arg?: unknown): Promise<void> {
	let profile = profileFromArg(arg);
	if (!profile) {
		const items = profileItems(s);
		if (items.length === 0) {
			void s.prompter.message(PromptIds.info, 'info', vscode.l10n.t('There are no IoT OTA credentials to clear.'), {});
			return;
		}
		profile = (await s.prompter.pick(PromptIds.profilePick, items, { title: vscode.l10n.t('Clear IoT OTA credentials') }))?.profile;
		if (!profile) {
			throw cancelledError('clearing credentials');
		}
	}
	const remove = vscode.l10n.t('Delete');
	const choice = await s.prompter.message(
		PromptIds.profileClearConfirm,
		'warning',
		vscode.l10n.t('Delete the IoT OTA profile "{0}" and its AccessKey Secret from this machine?', profile.name),
		{
			modal: true,
			detail: vscode.l10n.t('The AccessKey itself stays valid in Alibaba Cloud; disable it in the RAM console if it leaked.'),
		},
		remove,
	);
	if (choice !== remove) {
		throw cancelledError('clearing credentials');
	}
	await s.profiles.remove(profile.name);
	s.log.info(`Deleted profile "${profile.name}" and its secrets.`);
}
