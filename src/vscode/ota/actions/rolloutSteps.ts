// The steps of Roll Out…, in the order of `iot-ota rollout`'s flags: who gets the package (rolloutTargetSteps.ts), how
// it is delivered (here: schedule, retry, timeout, rate, options, halt guard), then the core's plan (rolloutSummaryStep.ts).
import * as vscode from 'vscode';
import type { GuardPolicy } from '../../../core/lifecycle';
import { PromptIds } from '../../ui/prompter';
import type { StepResult } from '../../ui/steps';
import { localTimeText, numberProblem, parseMinutes, parseTime, problemOf, timeProblem } from './inputs';
import { isDynamic, type RolloutDraft } from './rolloutDraft';
import { checker, input, pickOne, type Item, type StepContext } from './rolloutStepKit';
import { summaryStep } from './rolloutSummaryStep';
import { targetSteps } from './rolloutTargetSteps';
import { stepOutcome, type WizardStep } from './wizard';

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
		...targetSteps(ctx),
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
