// Facts about each IoT Platform RPC action the client calls: HTTP method, the per-account QPS limit and whether a
// failed attempt may be sent again (docs/protocols.md §11.1, §12.1). One table, so the rate limiter, the retry rule and the
// wire method cannot disagree.

export type HttpMethod = 'GET' | 'POST';

export interface ActionFacts {
	/** The wire method. We POST wherever the action allows it; ListOTAModuleByProduct is GET only. */
	method: HttpMethod;
	/** Calls per second the platform allows per account (shared by its RAM users). */
	qps: number;
	/** Safe to send again after a network error or a 5xx (reads and tickets); throttled calls are always retried. */
	repeatable: boolean;
	/** Answers with a PostObject ticket whose `Data.Host` receives an upload (checked by core/uploadHost.ts). */
	uploadTicket?: boolean;
}

const read = (qps: number): ActionFacts => ({ method: 'POST', qps, repeatable: true });
const write = (qps: number): ActionFacts => ({ method: 'POST', qps, repeatable: false });

/** Rate key of QueryDevice pages that reach CurrentPage × PageSize ≥ 100,000: that depth has its own, lower limit. */
export const DEEP_QUERY_DEVICE = 'QueryDevice@deep';

const ACTIONS: Readonly<Record<string, ActionFacts>> = {
	// upload flow (docs/protocols.md §4)
	GenerateOTAUploadURL: { ...read(10), uploadTicket: true },
	CreateOTAFirmware: write(10),
	QueryOTAFirmware: read(20),
	ListOTAFirmware: read(10),
	DeleteOTAFirmware: write(10),
	QueryProductList: read(10),
	// devices and products
	QueryProduct: read(50),
	QueryDevice: read(50),
	[DEEP_QUERY_DEVICE]: read(2),
	QueryDeviceDetail: read(50),
	BatchQueryDeviceDetail: read(5),
	QueryDeviceGroupList: read(100),
	QueryDeviceListByDeviceGroup: read(5),
	// modules
	CreateOTAModule: write(10),
	ListOTAModuleByProduct: { method: 'GET', qps: 10, repeatable: true },
	ListOTAModuleVersionsByDevice: read(10),
	// firmware
	ModifyOTAFirmware: write(5),
	// jobs
	CreateOTAVerifyJob: write(10),
	CreateOTAStaticUpgradeJob: write(20),
	CreateOTADynamicUpgradeJob: write(20),
	GenerateDeviceNameListURL: { ...read(10), uploadTicket: true },
	QueryOTAJob: read(10),
	ListOTAJobByFirmware: read(10),
	ListOTAJobByDevice: read(10),
	ListOTATaskByJob: read(10),
	ListOTAUnfinishedTaskByDevice: read(10),
	// control
	CancelOTATaskByJob: write(5),
	CancelOTATaskByDevice: write(10),
	CancelOTAStrategyByJob: write(10),
	ReupgradeOTATask: write(20),
	ConfirmOTATask: write(20),
};

/** Unknown actions are treated conservatively: POST, 10 QPS, never repeated. */
export function actionFacts(action: string): ActionFacts {
	return ACTIONS[action] ?? write(10);
}
