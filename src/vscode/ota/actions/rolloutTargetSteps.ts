// Roll Out…'s steps that choose who gets the package: all devices, a gray share, chosen devices, a group, or the
// devices on some versions (now, or dynamically later), as `iot-ota rollout`'s target flags do.
import * as vscode from 'vscode';
import { listDeviceGroups } from '../../../core/lifecycle/groups';
import { PromptIds } from '../../ui/prompter';
import { parseList } from './inputs';
import { deviceItems, LISTED_DEVICES, listDevices, refused, type DeviceItem, type ListedDevices } from './resolve';
import { takesSourceVersions, type ChosenGroup, type RolloutDraft, type TargetChoice } from './rolloutDraft';
import { checker, input, pickOne, type Item, type StepContext } from './rolloutStepKit';
import { stepOutcome, type WizardStep } from './wizard';

function targetStep(ctx: StepContext): WizardStep<RolloutDraft> {
	const items: Array<Item<TargetChoice>> = [
		{
			iconPath: new vscode.ThemeIcon('globe'),
			label: vscode.l10n.t('All devices'),
			description: vscode.l10n.t('every device of {0}', ctx.productKey),
			value: 'all',
		},
		{
			iconPath: new vscode.ThemeIcon('pie-chart'),
			label: vscode.l10n.t('A gray percentage'),
			description: vscode.l10n.t('a share of the devices, picked by the platform'),
			value: 'gray',
		},
		{
			iconPath: new vscode.ThemeIcon('checklist'),
			label: vscode.l10n.t('Chosen devices'),
			description: vscode.l10n.t('devices you pick'),
			value: 'devices',
		},
		{
			iconPath: new vscode.ThemeIcon('organization'),
			label: vscode.l10n.t('A device group'),
			description: vscode.l10n.t('a static group, or a dynamic one (kept matching)'),
			value: 'group',
		},
		{
			iconPath: new vscode.ThemeIcon('sync'),
			label: vscode.l10n.t('All devices on some versions, now and later'),
			description: vscode.l10n.t('dynamic: devices that report a source version later get it too'),
			value: 'dynamic',
		},
	];
	return { ask: (draft, frame) => pickOne(ctx, PromptIds.rolloutTarget, frame, items, draft.target, (v) => (draft.target = v)) };
}

function grayStep(ctx: StepContext): WizardStep<RolloutDraft> {
	return {
		applies: (draft) => draft.target === 'gray',
		ask: (draft, frame) =>
			input(
				ctx,
				PromptIds.rolloutGray,
				frame,
				{
					prompt: vscode.l10n.t('Percentage of the devices (more than 0, at most 100, up to 3 decimals).'),
					placeholder: vscode.l10n.t('e.g. 10'),
					value: draft.grayPercent,
					validate: (text) => checker(ctx, draft)({ grayPercent: text.trim() }),
				},
				(text) => (draft.grayPercent = text.trim().replace(/%$/, '')),
			),
	};
}

function devicesStep(ctx: StepContext): WizardStep<RolloutDraft> {
	let listed: Promise<ListedDevices> | undefined;
	return {
		applies: (draft) => draft.target === 'devices',
		ask: async (draft, frame) => {
			listed ??= listDevices(ctx.s, ctx.conn, ctx.productKey);
			const devices = await listed;
			const result = await ctx.s.prompter.stepPick<DeviceItem>(PromptIds.rolloutDevices, deviceItems(devices), {
				...frame,
				canPickMany: true,
				placeholder:
					devices.total > LISTED_DEVICES
						? vscode.l10n.t('Choose the devices (the first {0} of {1} are listed)', LISTED_DEVICES, devices.total)
						: vscode.l10n.t('Choose the devices'),
				selected: (item) => draft.deviceNames.includes(item.deviceName),
				validate: (chosen) => checker(ctx, draft)({ deviceNames: chosen.map((item) => item.deviceName) }),
			});
			return stepOutcome(result, (chosen) => (draft.deviceNames = chosen.map((item) => item.deviceName)));
		},
	};
}

async function loadGroups(ctx: StepContext): Promise<ChosenGroup[]> {
	const { groups } = await listDeviceGroups(ctx.conn.lifecycle);
	return groups.map(({ groupId, groupName, dynamic }) => ({ groupId, groupName, dynamic }));
}

function groupStep(ctx: StepContext): WizardStep<RolloutDraft> {
	let groups: Promise<ChosenGroup[]> | undefined;
	return {
		applies: (draft) => draft.target === 'group',
		ask: async (draft, frame) => {
			groups ??= loadGroups(ctx);
			const list = await groups;
			if (list.length === 0) {
				throw refused('NoGroup', 'no-device-group');
			}
			const items = list.map((group) => ({
				label: group.groupName,
				description: `${group.groupId}${group.dynamic ? ` · ${vscode.l10n.t('dynamic: devices that join later get it too')}` : ''}`,
				value: group,
			}));
			return pickOne(ctx, PromptIds.rolloutGroup, frame, items, draft.group, (group) => (draft.group = group));
		},
	};
}

function versionsStep(ctx: StepContext): WizardStep<RolloutDraft> {
	return {
		applies: takesSourceVersions,
		ask: (draft, frame) =>
			input(
				ctx,
				PromptIds.rolloutVersions,
				frame,
				{
					prompt:
						draft.target === 'dynamic'
							? vscode.l10n.t('The versions devices must report to get the package (comma-separated, at least one).')
							: vscode.l10n.t('Only devices now on these versions (comma-separated); empty: devices on any version.'),
					placeholder: vscode.l10n.t('e.g. 1.0.0, 1.0.1'),
					value: draft.srcVersions.join(', '),
					validate: (text) => checker(ctx, draft)({ srcVersions: parseList(text) }),
				},
				(text) => (draft.srcVersions = parseList(text)),
			),
	};
}

/** The target steps, in the order of `iot-ota rollout`'s flags; each applies only to its kind of target. */
export function targetSteps(ctx: StepContext): Array<WizardStep<RolloutDraft>> {
	return [targetStep(ctx), grayStep(ctx), devicesStep(ctx), groupStep(ctx), versionsStep(ctx)];
}
