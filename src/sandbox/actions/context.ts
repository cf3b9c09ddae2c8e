import type { FaultInjector } from '../faults';
import type { FileHasher } from '../../core/hashing/fileHasher';
import type { SandboxIdentity } from '../identity';
import type { OtaEngineApi } from '../ota';
import type { SandboxStore } from '../store';
import type { ParamReader } from './params';

/** What every RPC action handler works with. */
export interface ActionContext {
	store: SandboxStore;
	/** The OTA lifecycle engine (fleet, jobs, tasks) the lifecycle actions call. */
	ota: OtaEngineApi;
	identity: SandboxIdentity;
	hashes: FileHasher;
	faults: FaultInjector;
	now: () => number;
	/** OSS listener base URL, e.g. http://127.0.0.1:43210 */
	ossHost: string;
	bucket: string;
	enterpriseInstanceId: string;
	requireInstanceId: boolean;
	/** Stable per-account id used as the first path segment of upload keys. */
	accountId: string;
	/** Most device names a GenerateDeviceNameListURL file may hold (docs/protocols.md §11.6: 10,000 by default). */
	deviceListMaxNames: number;
}

/** Answers the action's payload (without RequestId and Success); throws BusinessError / GatewayError. */
export type Handler = (p: ParamReader, ctx: ActionContext) => Promise<Record<string, unknown>>;

export type HandlerTable = Readonly<Record<string, Handler>>;
