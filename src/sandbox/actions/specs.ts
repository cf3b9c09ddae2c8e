import type { RpcParams } from '../popSignature';

/**
 * The HTTP methods each action accepts and its documented QPS per account (docs/protocols.md §11.1):
 * what the gateway checks before a handler runs.
 */

export type HttpMethod = 'GET' | 'POST';

export interface ActionSpec {
	methods: readonly HttpMethod[];
	/** Calls per second per account (shared by its RAM users and STS sessions). */
	qps: number;
	/** The lower QPS that applies when CurrentPage × PageSize ≥ 100,000. */
	deepPageQps?: number;
}

const ANY: readonly HttpMethod[] = ['GET', 'POST'];
const POST_ONLY: readonly HttpMethod[] = ['POST'];
const GET_ONLY: readonly HttpMethod[] = ['GET'];
const DEEP_PAGE = 100_000;

const spec = (qps: number, methods = ANY, deepPageQps?: number): ActionSpec => ({ methods, qps, deepPageQps });

export const ACTION_SPECS: Readonly<Record<string, ActionSpec>> = {
	// Upload and firmware (docs/protocols.md §6, §11.1)
	GenerateOTAUploadURL: spec(10),
	CreateOTAFirmware: spec(10),
	QueryOTAFirmware: spec(20),
	ListOTAFirmware: spec(10),
	DeleteOTAFirmware: spec(10),
	ModifyOTAFirmware: spec(5),
	// Products, devices, groups
	QueryProductList: spec(50, ANY, 2),
	QueryProduct: spec(50),
	QueryDevice: spec(50, ANY, 2),
	QueryDeviceDetail: spec(50),
	BatchQueryDeviceDetail: spec(5),
	QueryDeviceGroupList: spec(100),
	QueryDeviceListByDeviceGroup: spec(5),
	// Modules
	CreateOTAModule: spec(10, POST_ONLY),
	UpdateOTAModule: spec(10, POST_ONLY),
	DeleteOTAModule: spec(10, POST_ONLY),
	ListOTAModuleByProduct: spec(10, GET_ONLY),
	ListOTAModuleVersionsByDevice: spec(10),
	// Jobs
	CreateOTAVerifyJob: spec(10),
	CreateOTAStaticUpgradeJob: spec(20),
	CreateOTADynamicUpgradeJob: spec(20),
	GenerateDeviceNameListURL: spec(10),
	// Monitoring
	QueryOTAJob: spec(10),
	ListOTAJobByFirmware: spec(10),
	ListOTAJobByDevice: spec(10),
	ListOTATaskByJob: spec(10),
	ListOTAUnfinishedTaskByDevice: spec(10),
	// Control
	CancelOTATaskByJob: spec(5),
	CancelOTATaskByDevice: spec(10),
	CancelOTAStrategyByJob: spec(10),
	ReupgradeOTATask: spec(20, POST_ONLY),
	ConfirmOTATask: spec(20, POST_ONLY),
};

export function actionSpec(action: string): ActionSpec | undefined {
	return Object.prototype.hasOwnProperty.call(ACTION_SPECS, action) ? ACTION_SPECS[action] : undefined;
}

/** The QPS that applies to this call: the deep-paging rate when its CurrentPage × PageSize asks for it. */
export function qpsFor(spec: ActionSpec, params: RpcParams): number {
	if (spec.deepPageQps === undefined) {
		return spec.qps;
	}
	const depth = Number(params.CurrentPage ?? 1) * Number(params.PageSize ?? 10);
	return Number.isFinite(depth) && depth >= DEEP_PAGE ? spec.deepPageQps : spec.qps;
}
