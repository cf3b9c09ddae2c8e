import { controlActions } from './actions/control';
import type { ActionContext, HandlerTable } from './actions/context';
import { deviceActions } from './actions/devices';
import { firmwareActions } from './actions/firmware';
import { jobActions } from './actions/jobs';
import { moduleActions } from './actions/modules';
import { monitoringActions } from './actions/monitoring';
import { ParamReader } from './actions/params';
import { uploadActions } from './actions/uploads';
import type { RpcParams } from './popSignature';
import { businessErrors } from './rpcErrors';

/**
 * The IoT 2018-01-20 actions the sandbox implements, with the real request parameters and response
 * shapes (docs/protocols.md §4, §11); one handler file per area under ./actions.
 */

export type { ActionContext } from './actions/context';
export { signedDownloadUrl } from './actions/firmware';

const HANDLERS: HandlerTable = {
	...uploadActions,
	...firmwareActions,
	...deviceActions,
	...moduleActions,
	...jobActions,
	...monitoringActions,
	...controlActions,
};

/** Every action the sandbox answers. */
export const ACTIONS: readonly string[] = Object.keys(HANDLERS);

/** Runs an authenticated action; throws BusinessError / GatewayError; returns the body without RequestId. */
export async function runAction(params: RpcParams, ctx: ActionContext): Promise<Record<string, unknown>> {
	const p = new ParamReader(params);
	if (p.instanceId !== undefined ? p.instanceId !== ctx.enterpriseInstanceId : ctx.requireInstanceId) {
		throw businessErrors.instanceNotFound();
	}
	const body = await HANDLERS[params.Action](p, ctx);
	return { Success: true, ...body };
}
