import { ACTION_FACTS, isDeepPage, type ActionFacts, type HttpMethod } from '../../core/iot/actions';
import type { RpcParams } from '../popSignature';

/** What the gateway checks before a handler runs: the core's facts about the action (methods accepted, QPS). */
export type ActionSpec = Pick<ActionFacts, 'methods' | 'qps' | 'deepPageQps'>;
export type { HttpMethod };

/** The actions the sandbox answers, with their facts. */
export const ACTION_SPECS: Readonly<Record<string, ActionSpec>> = ACTION_FACTS;

export function actionSpec(action: string): ActionSpec | undefined {
	return Object.prototype.hasOwnProperty.call(ACTION_SPECS, action) ? ACTION_SPECS[action] : undefined;
}

/**
 * The quota a call counts against: its action's, or for a deep page (CurrentPage × PageSize ≥ DEEP_PAGE) a window of
 * its own at the deep-paging QPS, the way the client's rate limiter counts it (docs/protocols.md §11.1).
 */
export function quotaFor(action: string, spec: ActionSpec, params: RpcParams): { window: string; qps: number } {
	const { deepPageQps } = spec;
	if (deepPageQps !== undefined && isDeepPage(Number(params.CurrentPage ?? 1), Number(params.PageSize ?? 10))) {
		return { window: `${action}@deep`, qps: deepPageQps };
	}
	return { window: action, qps: spec.qps };
}
