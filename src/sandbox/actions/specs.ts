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

/** The QPS that applies to this call: the deep-paging rate when its CurrentPage × PageSize asks for it. */
export function qpsFor(spec: ActionSpec, params: RpcParams): number {
	if (spec.deepPageQps === undefined) {
		return spec.qps;
	}
	const deep = isDeepPage(Number(params.CurrentPage ?? 1), Number(params.PageSize ?? 10));
	return deep ? spec.deepPageQps : spec.qps;
}
