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
	/** The largest PageSize the action takes, for the paged actions the upload client and `iot-ota list` / `products` send. */
	maxPageSize?: number;
}

/** CurrentPage × PageSize from which the actions with a `deepPageQps` (QueryDevice, QueryProductList) fall to it. */
export const DEEP_PAGE = 100_000;

/**
 * The deepest CurrentPage the client asks ListOTAFirmware and QueryProductList for (`iot-ota list`, `products`). The
 * sources give these actions no paging depth (docs/protocols.md §4.3, a client assumption): a deeper page number is
 * taken for a typo (an instance holds at most 500 packages) and gets a message instead of a call.
 */
export const MAX_CURRENT_PAGE = 100_000;

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
	ListOTAFirmware: { ...read(10), maxPageSize: 100 },
	DeleteOTAFirmware: write(10),
	ModifyOTAFirmware: write(5),
	// products, devices, groups
	QueryProductList: { ...read(50, ANY, 2), maxPageSize: 200 },
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

/** Whether a page request reaches the depth where the deep-paging QPS applies. */
export function isDeepPage(currentPage: number, pageSize: number): boolean {
	return currentPage * pageSize >= DEEP_PAGE;
}

const DEEP_SUFFIX = '@deep';

/** The rate key of `action`'s deep pages: that depth has its own, lower limit (`deepPageQps`). */
export function deepPageRateKey(action: string): string {
	return `${action}${DEEP_SUFFIX}`;
}

/**
 * The limit a call counts against: its action's, or the deep-paging one when the action has a `deepPageQps` and the
 * page reaches DEEP_PAGE (CurrentPage default 1, PageSize default 10, as the platform takes them).
 */
export function rateKeyFor(action: string, params: { CurrentPage?: unknown; PageSize?: unknown }): string {
	const facts = knownFacts(action);
	const deep = facts?.deepPageQps !== undefined && isDeepPage(Number(params.CurrentPage ?? 1), Number(params.PageSize ?? 10));
	return deep ? deepPageRateKey(action) : action;
}

function knownFacts(action: string): ActionFacts | undefined {
	return Object.prototype.hasOwnProperty.call(ACTION_FACTS, action) ? ACTION_FACTS[action] : undefined;
}

/** The paged actions the upload client and `iot-ota list` / `products` send. */
export type ListAction = 'ListOTAFirmware' | 'QueryProductList';

/** The largest PageSize of a paged action of the table. */
export function maxPageSize(action: ListAction): number {
	return ACTION_FACTS[action].maxPageSize ?? 1;
}

/** The facts of an action or of a deep-page rate key (its QPS the deep one); unknown ones: POST, 10 QPS, never repeated. */
export function actionFacts(action: string): ActionFacts {
	const base = action.endsWith(DEEP_SUFFIX) ? knownFacts(action.slice(0, -DEEP_SUFFIX.length)) : undefined;
	if (base?.deepPageQps !== undefined) {
		return { ...base, qps: base.deepPageQps };
	}
	return knownFacts(action) ?? write(10);
}
