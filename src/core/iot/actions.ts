// Facts about each IoT Platform RPC action (docs/protocols.md §11.1, §12.1): the HTTP methods the platform accepts, its
// per-account QPS and whether a failed attempt may be sent again. One table, so the client's rate limiter, its retry
// rule and wire method, and the sandbox's gateway (which imports these facts and keeps its own checks) cannot disagree.

export type HttpMethod = 'GET' | 'POST';

export interface ActionFacts {
	/** The methods the platform accepts for the action. */
	methods: readonly HttpMethod[];
	/** The method the client sends: POST wherever the action allows it (ListOTAModuleByProduct is GET only). */
	method: HttpMethod;
	/** Calls per second the platform allows per account (shared by its RAM users and STS sessions). */
	qps: number;
	/** The lower QPS that applies when CurrentPage × PageSize reaches DEEP_PAGE. */
	deepPageQps?: number;
	/** Safe to send again after a network error or a 5xx (reads and tickets); throttled calls are always retried. */
	repeatable: boolean;
	/** Answers with a PostObject ticket whose `Data.Host` receives an upload (checked by core/uploadHost.ts). */
	uploadTicket?: boolean;
}

/** CurrentPage × PageSize from which QueryDevice and QueryProductList fall to their deep-paging QPS. */
export const DEEP_PAGE = 100_000;

const ANY: readonly HttpMethod[] = ['GET', 'POST'];
const POST_ONLY: readonly HttpMethod[] = ['POST'];
const GET_ONLY: readonly HttpMethod[] = ['GET'];

function facts(qps: number, repeatable: boolean, methods = ANY, deepPageQps?: number): ActionFacts {
	return { methods, method: methods.includes('POST') ? 'POST' : 'GET', qps, deepPageQps, repeatable };
}
const read = (qps: number, methods = ANY, deepPageQps?: number): ActionFacts => facts(qps, true, methods, deepPageQps);
const write = (qps: number, methods = ANY): ActionFacts => facts(qps, false, methods);

export const ACTION_FACTS: Readonly<Record<string, ActionFacts>> = {
	// upload flow (docs/protocols.md §4)
	GenerateOTAUploadURL: { ...read(10), uploadTicket: true },
	CreateOTAFirmware: write(10),
	QueryOTAFirmware: read(20),
	ListOTAFirmware: read(10),
	DeleteOTAFirmware: write(10),
	ModifyOTAFirmware: write(5),
	// products, devices, groups
	QueryProductList: read(50, ANY, 2),
	QueryProduct: read(50),
	QueryDevice: read(50, ANY, 2),
	QueryDeviceDetail: read(50),
	BatchQueryDeviceDetail: read(5),
	QueryDeviceGroupList: read(100),
	QueryDeviceListByDeviceGroup: read(5),
	// modules
	CreateOTAModule: write(10, POST_ONLY),
	UpdateOTAModule: write(10, POST_ONLY),
	DeleteOTAModule: write(10, POST_ONLY),
	ListOTAModuleByProduct: read(10, GET_ONLY),
	ListOTAModuleVersionsByDevice: read(10),
	// jobs
	CreateOTAVerifyJob: write(10),
	CreateOTAStaticUpgradeJob: write(20),
	CreateOTADynamicUpgradeJob: write(20),
	GenerateDeviceNameListURL: { ...read(10), uploadTicket: true },
	// monitoring
	QueryOTAJob: read(10),
	ListOTAJobByFirmware: read(10),
	ListOTAJobByDevice: read(10),
	ListOTATaskByJob: read(10),
	ListOTAUnfinishedTaskByDevice: read(10),
	// control
	CancelOTATaskByJob: write(5),
	CancelOTATaskByDevice: write(10),
	CancelOTAStrategyByJob: write(10),
	ReupgradeOTATask: write(20, POST_ONLY),
	ConfirmOTATask: write(20, POST_ONLY),
};

/** Rate key of QueryDevice pages that reach CurrentPage × PageSize ≥ DEEP_PAGE: that depth has its own, lower limit. */
export const DEEP_QUERY_DEVICE = 'QueryDevice@deep';

/** Whether a page request reaches the depth where the deep-paging QPS applies. */
export function isDeepPage(currentPage: number, pageSize: number): boolean {
	return currentPage * pageSize >= DEEP_PAGE;
}

/** Unknown actions are treated conservatively: POST, 10 QPS, never repeated. */
export function actionFacts(action: string): ActionFacts {
	if (action === DEEP_QUERY_DEVICE) {
		const queryDevice = ACTION_FACTS.QueryDevice;
		return { ...queryDevice, qps: queryDevice.deepPageQps ?? queryDevice.qps };
	}
	return Object.prototype.hasOwnProperty.call(ACTION_FACTS, action) ? ACTION_FACTS[action] : write(10);
}
