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
	/** The largest PageSize a paged action takes (docs/protocols.md §4.3, §4.4, §11.2–§11.7); only paged actions have one. */
	maxPageSize?: number;
}

/** The facts of an action that pages (CurrentPage, PageSize): its largest PageSize is always known. */
export type PagedActionFacts = ActionFacts & { maxPageSize: number };

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
const paged = (base: ActionFacts, maxPageSize: number): PagedActionFacts => ({ ...base, maxPageSize });

const TABLE = {
	// upload flow (docs/protocols.md §4)
	GenerateOTAUploadURL: { ...read(10), uploadTicket: true },
	CreateOTAFirmware: write(10),
	QueryOTAFirmware: read(20),
	ListOTAFirmware: paged(read(10), 100),
	DeleteOTAFirmware: write(10),
	ModifyOTAFirmware: write(5),
	// products, devices, groups
	QueryProductList: paged(read(50, ANY, 2), 200),
	QueryProduct: read(50),
	QueryDevice: paged(read(50, ANY, 2), 50),
	QueryDeviceDetail: read(50),
	BatchQueryDeviceDetail: read(5),
	QueryDeviceGroupList: paged(read(100), 200),
	QueryDeviceListByDeviceGroup: paged(read(5), 200),
	// modules
	CreateOTAModule: write(10, POST_ONLY),
	UpdateOTAModule: write(10, POST_ONLY),
	DeleteOTAModule: write(10, POST_ONLY),
	ListOTAModuleByProduct: read(10, GET_ONLY),
	ListOTAModuleVersionsByDevice: paged(read(10), 200),
	// jobs
	CreateOTAVerifyJob: write(10),
	CreateOTAStaticUpgradeJob: write(20),
	CreateOTADynamicUpgradeJob: write(20),
	GenerateDeviceNameListURL: { ...read(10), uploadTicket: true },
	// monitoring
	QueryOTAJob: read(10),
	ListOTAJobByFirmware: paged(read(10), 200),
	ListOTAJobByDevice: paged(read(10), 100),
	ListOTATaskByJob: paged(read(10), 100),
	ListOTAUnfinishedTaskByDevice: read(10),
	// control
	CancelOTATaskByJob: write(5),
	CancelOTATaskByDevice: write(10),
	CancelOTAStrategyByJob: write(10),
	ReupgradeOTATask: write(20, POST_ONLY),
	ConfirmOTATask: write(20, POST_ONLY),
} satisfies Record<string, ActionFacts>;

type Table = typeof TABLE;

/** The actions that page: those the table gives a maxPageSize. */
export type PagedAction = { [K in keyof Table]: Table[K] extends PagedActionFacts ? K : never }[keyof Table];

export const ACTION_FACTS: Readonly<Record<string, ActionFacts>> & { readonly [K in PagedAction]: PagedActionFacts } = TABLE;

/** Every paged action of the table. */
export const PAGED_ACTIONS: readonly PagedAction[] = Object.keys(TABLE).filter(isPagedAction);

export function isPagedAction(action: string): action is PagedAction {
	return knownFacts(action)?.maxPageSize !== undefined;
}

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
export type ListAction = Extract<PagedAction, 'ListOTAFirmware' | 'QueryProductList'>;

/** The largest PageSize of a paged action: the one source of every page limit (client requests, sandbox checks). */
export function maxPageSize(action: PagedAction): number {
	return ACTION_FACTS[action].maxPageSize;
}

/** The facts of an action or of a deep-page rate key (its QPS the deep one); unknown ones: POST, 10 QPS, never repeated. */
export function actionFacts(action: string): ActionFacts {
	const base = action.endsWith(DEEP_SUFFIX) ? knownFacts(action.slice(0, -DEEP_SUFFIX.length)) : undefined;
	if (base?.deepPageQps !== undefined) {
		return { ...base, qps: base.deepPageQps };
	}
	return knownFacts(action) ?? write(10);
}
