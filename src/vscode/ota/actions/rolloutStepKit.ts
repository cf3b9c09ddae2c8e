// What every step of Roll Out… is built from: the context the steps share, and a pick or an input checked with the
// core's checkRolloutSpec on the draft with the answer (rolloutDraft.ts).
import * as vscode from 'vscode';
import type { Services } from '../../commands/services';
import type { OtaConnection } from '../contract';
import { problemOf } from './inputs';
import { specOf, type RolloutDraft } from './rolloutDraft';
import { stepOutcome, type StepFrame, type StepOutcome } from './wizard';

export type Core = typeof import('../../../core/lifecycle');

export interface StepContext {
	s: Services;
	conn: OtaConnection;
	core: Core;
	productKey: string;
}

export type Item<V> = vscode.QuickPickItem & { value: V };

/** The draft with `change` passes the core's checks, or the message why not. */
export function checker(ctx: StepContext, draft: RolloutDraft) {
	return (change: Partial<RolloutDraft>) =>
		problemOf(() => ctx.core.checkRolloutSpec(specOf({ ...draft, ...change }), Date.now()), vscode.l10n);
}

/** One answer of `items` (the current one preselected), kept with `store`. */
export async function pickOne<V>(
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

/** A typed answer, held to `validate` while typed, kept with `store`. */
export async function input(
	ctx: StepContext,
	id: string,
	frame: StepFrame,
	opts: { prompt: string; placeholder?: string; value: string; validate: (text: string) => string | undefined },
	store: (text: string) => void,
): Promise<StepOutcome> {
	return stepOutcome(await ctx.s.prompter.stepInput(id, { ...frame, ...opts }), store);
}
