// The multi-step inputs of the OTA actions: steps asked in order, each skipped when the answers so far make it
// irrelevant, Back returning to the step asked before, Escape cancelling the whole command. The step counter counts
// the steps that apply to the answers given so far.
import { cancelledError } from '../../../core/errors';
import type { StepOptions, StepResult } from '../../ui/steps';

/** What a step needs to frame its prompt. */
export type StepFrame = Omit<StepOptions, 'placeholder'>;

/** 'next' once the answer is stored, 'back' for the Back button, undefined when the input was dismissed. */
export type StepOutcome = 'next' | 'back' | undefined;

export interface WizardStep<S> {
	/** Whether the step is asked, given the answers so far (default: always). */
	applies?(state: S): boolean;
	/** Asks (prefilled from `state`) and stores the answer in `state`. */
	ask(state: S, frame: StepFrame): Promise<StepOutcome>;
}

/** Stores a prompter's answer with `store`; passes Back and dismissal on. */
export function stepOutcome<V>(result: StepResult<V>, store: (value: V) => void): StepOutcome {
	if (result === undefined || result === 'back') {
		return result;
	}
	store(result.value);
	return 'next';
}

/** Runs the steps to the end (the answers are in `state`); a dismissed step cancels with `what`. */
export async function runWizard<S>(title: string, steps: ReadonlyArray<WizardStep<S>>, state: S, what: string): Promise<S> {
	const asked: number[] = [];
	let index = 0;
	while (index < steps.length) {
		const applicable = steps.filter((step) => step.applies?.(state) ?? true);
		const step = steps[index];
		if (!applicable.includes(step)) {
			index++;
			continue;
		}
		const outcome = await step.ask(state, {
			title,
			step: applicable.indexOf(step) + 1,
			totalSteps: applicable.length,
			canGoBack: asked.length > 0,
		});
		if (outcome === undefined) {
			throw cancelledError(what);
		}
		if (outcome === 'back') {
			index = asked.pop() ?? 0;
		} else {
			asked.push(index);
			index++;
		}
	}
	return state;
}
