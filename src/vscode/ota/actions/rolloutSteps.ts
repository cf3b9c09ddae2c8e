// The steps of Roll Out…, in the order of `iot-ota rollout`'s flags. Each checks its answer with the core's
// checkRolloutSpec on the draft with that answer (rolloutDraft.ts); the last one shows the core's plan.
import * as vscode from 'vscode';
import { maxPageSize } from '../../../core/iot/actions';
import type { GuardPolicy } from '../../../core/lifecycle';
import type { Services } from '../../commands/services';
import { PromptIds } from '../../ui/prompter';
import type { StepResult } from '../../ui/steps';
import type { OtaConnection } from '../contract';
import { localTimeText, numberProblem, parseList, parseMinutes, parseTime, problemOf, timeProblem } from './inputs';
import { deviceItems, LISTED_DEVICES, listDevices, refused, type DeviceItem, type ListedDevices } from './resolve';
import { isDynamic, specOf, takesSourceVersions, type ChosenGroup, type RolloutDraft, type TargetChoice } from './rolloutDraft';
import { summaryStep } from './rolloutSummaryStep';
import { stepOutcome, type StepFrame, type StepOutcome, type WizardStep } from './wizard';

export type Core = typeof import('../../../core/lifecycle');

export interface StepContext {
	s: Services;
	conn: OtaConnection;
	core: Core;
	productKey: string;
}

type Item<V> = vscode.QuickPickItem & { value: V };

/** The draft with `change` passes the core's checks, or the message why not. */
function checker(ctx: StepContext, draft: RolloutDraft) {
	return (change: Partial<RolloutDraft>) =>
		problemOf(() => ctx.core.checkRolloutSpec(specOf({ ...draft, ...change }), Date.now()), vscode.l10n);
}

async function pickOne<V>(
	ctx: StepContext,
	id: string,
	frame: StepFrame,
	items: Array<Item<V>>,
	current: V | undefined,
	store: (value: V) => void,
	placeholder?: string,
): Promise<StepOutcome> {
	const result = await ctx.s.prompter.stepPick(id, items, { ...frame, placeholder, selected: (item) => item.value === current });
	return stepOutcome(result, ([item]) => store(item.value));
}

async function input(
	ctx: StepContext,
	id: string,
	frame: StepFrame,
	opts: { prompt: string; placeholder?: string; value: string; validate: (text: string) => string | undefined },
	store: (text: string) => void,
): Promise<StepOutcome> {
	return stepOutcome(await ctx.s.prompter.stepInput(id, { ...frame, ...opts }), store);
}

function targetStep(ctx: StepContext): WizardStep<RolloutDraft> {
	const items: Array<Item<TargetChoice>> = [
		{
			label: `$(globe) ${vscode.l10n.t('All devices')}`,
			description: vscode.l10n.t('every device of {0}', ctx.productKey),
			value: 'all',
		},
		{
			label: `$(pie-chart) ${vscode.l10n.t('A gray percentage')}`,
			description: vscode.l10n.t('a share of the devices, picked by the platform'),
			value: 'gray',
		},
		{ label: `$(checklist) ${vscode.l10n.t('Chosen devices')}`, description: vscode.l10n.t('devices you pick'), value: 'devices' },
		{
			label: `$(organization) ${vscode.l10n.t('A device group')}`,
			description: vscode.l10n.t('a static group, or a dynamic one (kept matching)'),
			value: 'group',
		},
		{
			label: `$(sync) ${vscode.l10n.t('All devices on some versions, now and later')}`,
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
	const [plain, dynamic] = await Promise.all([
		ctx.conn.lifecycle.queryDeviceGroups({ pageSize: maxPageSize('QueryDeviceGroupList') }),
		ctx.conn.lifecycle.queryDeviceGroups({ pageSize: maxPageSize('QueryDeviceGroupList'), dynamic: true }),
	]);
	const dynamicIds = new Set(dynamic.items.map((group) => group.groupId));
	const all = [...plain.items, ...dynamic.items.filter((group) => !plain.items.some((other) => other.groupId === group.groupId))];
	return all.map((group) => ({
		groupId: group.groupId,
		groupName: group.groupName,
		dynamic: dynamicIds.has(group.groupId) || group.groupType === 'LINK_PLATFORM_DYNAMIC',
	}));
}

function groupStep(ctx: StepContext): WizardStep<RolloutDraft> {
	let groups: Promise<ChosenGroup[]> | undefined;
	return {
		applies: (draft) => draft.target === 'group',
		ask: async (draft, frame) => {
			groups ??= loadGroups(ctx);
			const list = await groups;
			if (list.length === 0) {
				throw refused('NoGroup', vscode.l10n.t('This account has no device group. Create one in the IoT Platform console first.'));
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

function scheduleSteps(ctx: StepContext): Array<WizardStep<RolloutDraft>> {
	const applies = (draft: RolloutDraft) => !isDynamic(draft);
	const text = (ms: number | undefined) => (ms === undefined ? '' : localTimeText(ms));
	return [
		{
			applies,
			ask: (draft, frame) =>
				input(
					ctx,
					PromptIds.rolloutStart,
					frame,
					{
						prompt: vscode.l10n.t('Start at (your time zone, 5 minutes to 7 days from now); empty: start at once.'),
						placeholder: vscode.l10n.t('e.g. {0}', localTimeText(Date.now() + 3_600_000)),
						value: text(draft.scheduleTime),
						validate: (value) => timeProblem(value, vscode.l10n) ?? checker(ctx, draft)({ scheduleTime: parseTime(value) }),
					},
					(value) => (draft.scheduleTime = parseTime(value)),
				),
		},
		{
			applies,
			ask: (draft, frame) =>
				input(
					ctx,
					PromptIds.rolloutFinish,
					frame,
					{
						prompt: vscode.l10n.t('End the batch at (1 hour to 30 days after the start); empty: no end.'),
						value: text(draft.scheduleFinishTime),
						validate: (value) =>
							timeProblem(value, vscode.l10n) ?? checker(ctx, draft)({ scheduleFinishTime: parseTime(value) }),
					},
					(value) => (draft.scheduleFinishTime = parseTime(value)),
				),
		},
	];
}

function retryStep(ctx: StepContext): WizardStep<RolloutDraft> {
	const { retryIntervals, retryCounts } = ctx.core.LIFECYCLE_LIMITS;
	const none: Item<string> = { label: vscode.l10n.t('No automatic retry'), value: '' };
	const combos = retryIntervals.flatMap((interval) =>
		retryCounts.map((count) => ({
			label: vscode.l10n.t('Retry up to {0} times, {1} minutes apart', count, interval),
			value: `${interval}:${count}`,
		})),
	);
	const parse = (value: string) =>
		value === '' ? undefined : { retryInterval: Number(value.split(':')[0]), retryCount: Number(value.split(':')[1]) };
	return {
		ask: (draft, frame) =>
			pickOne(
				ctx,
				PromptIds.rolloutRetry,
				frame,
				[none, ...combos],
				draft.retry ? `${draft.retry.retryInterval}:${draft.retry.retryCount}` : '',
				(value) => (draft.retry = parse(value)),
				vscode.l10n.t('Retry a failed device automatically? (applies when source versions are given)'),
			),
	};
}

function numberStep(
	ctx: StepContext,
	id: string,
	prompt: string,
	field: 'timeoutInMinutes' | 'maximumPerMinute',
): WizardStep<RolloutDraft> {
	return {
		ask: (draft, frame) =>
			input(
				ctx,
				id,
				frame,
				{
					prompt,
					value: draft[field]?.toString() ?? '',
					validate: (text) => numberProblem(text, vscode.l10n) ?? checker(ctx, draft)({ [field]: parseMinutes(text) }),
				},
				(text) => (draft[field] = parseMinutes(text)),
			),
	};
}

function optionsStep(ctx: StepContext): WizardStep<RolloutDraft> {
	type Option = 'needConfirm' | 'overwrite';
	const items: Array<Item<Option>> = [
		{
			label: vscode.l10n.t('Wait for confirmation'),
			description: vscode.l10n.t('tasks wait until you choose Confirm'),
			value: 'needConfirm',
		},
		{
			label: vscode.l10n.t("Replace devices' pending tasks"),
			description: vscode.l10n.t('of other batches (otherwise such devices fail here)'),
			value: 'overwrite',
		},
	];
	return {
		ask: async (draft, frame) => {
			const result: StepResult<Array<Item<Option>>> = await ctx.s.prompter.stepPick(PromptIds.rolloutOptions, items, {
				...frame,
				canPickMany: true,
				placeholder: vscode.l10n.t('Options (none checked: push at once, keep pending tasks)'),
				selected: (item) => draft[item.value],
				validate: (chosen) =>
					checker(
						ctx,
						draft,
					)({
						needConfirm: chosen.some((item) => item.value === 'needConfirm'),
						overwrite: chosen.some((item) => item.value === 'overwrite'),
					}),
			});
			return stepOutcome(result, (chosen) => {
				draft.needConfirm = chosen.some((item) => item.value === 'needConfirm');
				draft.overwrite = chosen.some((item) => item.value === 'overwrite');
			});
		},
	};
}

function guardStep(ctx: StepContext): WizardStep<RolloutDraft> {
	const parse = (text: string): GuardPolicy | undefined => (text.trim() === '' ? undefined : ctx.core.parseHaltAt(text));
	return {
		ask: (draft, frame) =>
			input(
				ctx,
				PromptIds.rolloutGuard,
				frame,
				{
					prompt: vscode.l10n.t(
						'Halt guard PCT[:N]: halt once N tasks finished (default 10) and PCT % or more failed; the job is watched. Empty: no guard.',
					),
					placeholder: vscode.l10n.t('e.g. 20:5'),
					value: draft.haltAt,
					validate: (text) => problemOf(() => parse(text), vscode.l10n),
				},
				(text) => {
					draft.haltAt = text.trim();
					draft.guard = parse(text);
				},
			),
	};
}

export function rolloutSteps(ctx: StepContext): Array<WizardStep<RolloutDraft>> {
	return [
		targetStep(ctx),
		grayStep(ctx),
		devicesStep(ctx),
		groupStep(ctx),
		versionsStep(ctx),
		...scheduleSteps(ctx),
		retryStep(ctx),
		numberStep(
			ctx,
			PromptIds.rolloutTimeout,
			vscode.l10n.t('Fail a device not upgraded this many minutes after it started (1–1440); empty: no timeout.'),
			'timeoutInMinutes',
		),
		numberStep(
			ctx,
			PromptIds.rolloutRate,
			vscode.l10n.t('Push to at most this many devices a minute (10–10,000); empty: the platform default.'),
			'maximumPerMinute',
		),
		optionsStep(ctx),
		guardStep(ctx),
		summaryStep(ctx),
	];
}
