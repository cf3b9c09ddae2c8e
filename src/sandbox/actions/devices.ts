import { createHmac } from 'node:crypto';
import { DEFAULT_MODULE, otaErrors, type DeviceRecord } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { ActionContext, HandlerTable } from './context';
import { chinaTime, cookieGmt, iso } from './format';
import { findDevice, findProduct } from './lookups';
import { pageCounts, pageOf, type ParamReader } from './params';

/** Products, devices and groups for targeting (docs/protocols.md §11.2). */

const NEXT_TOKEN_PAGE_LIMIT = 10_000;
const NEXT_TOKEN_MAX_DEPTH = 1_000_000;
/** The sandbox's devices have no nickname (docs/protocols.md §11.11). */
const NICKNAME = '';

const queryProductList = async (p: ParamReader, ctx: ActionContext) => {
	const page = p.page({ action: 'QueryProductList', required: true });
	const products = ctx.ota.fleet.products();
	const ProductInfo = pageOf(products, page).map((product) => ({
		ProductKey: product.productKey,
		ProductName: product.productName,
		NodeType: product.nodeType,
		DataFormat: product.dataFormat,
		DeviceCount: product.deviceCount,
		Description: product.description,
		AuthType: product.authType,
		GmtCreate: product.gmtCreate,
	}));
	return { Data: { ...pageCounts(products.length, page), List: { ProductInfo } } };
};

const queryProduct = async (p: ParamReader, ctx: ActionContext) => {
	const product = findProduct(ctx, p.required('ProductKey'));
	return {
		Data: {
			ProductKey: product.productKey,
			ProductName: product.productName,
			Description: product.description,
			DeviceCount: product.deviceCount,
			Owner: true,
			NodeType: product.nodeType,
			ProductStatus: 'DEVELOPMENT_STATUS',
			AliyunCommodityCode: 'iothub_senior',
			DataFormat: product.dataFormat,
			AuthType: product.authType,
			Id2: false,
			NetType: product.nodeType === 1 ? 7 : 3,
			ValidateType: 1,
			CategoryKey: 'none',
			CategoryName: 'Custom category',
			GmtCreate: product.gmtCreate,
			// Derived from the data dir's OSS secret: random per sandbox, stable across restarts.
			ProductSecret: createHmac('sha256', ctx.identity.oss.accessKeySecret)
				.update(`product/${product.productKey}`)
				.digest('hex')
				.slice(0, 32),
		},
	};
};

const deviceStatus = (device: DeviceRecord): string => (device.online ? 'ONLINE' : 'OFFLINE');

function encodeToken(productKey: string, offset: number): string {
	return Buffer.from(`${productKey}:${offset}`, 'utf8').toString('base64url');
}

function decodeToken(token: string, productKey: string): number {
	const [key, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
	if (key !== productKey || !/^\d{1,9}$/.test(offset ?? '')) {
		throw businessErrors.invalidPage('NextToken is not one QueryDevice returned for this ProductKey.');
	}
	return Number(offset);
}

const queryDevice = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	const page = p.page({ action: 'QueryDevice' });
	const token = p.optional('NextToken');
	const depth = page.currentPage * page.pageSize;
	if (token === undefined && depth > NEXT_TOKEN_PAGE_LIMIT) {
		throw businessErrors.invalidPage('NextToken is required when PageSize × CurrentPage is above 10000.');
	}
	if (token !== undefined && depth >= NEXT_TOKEN_MAX_DEPTH) {
		throw businessErrors.invalidPage('PageSize × CurrentPage must stay below 1000000.');
	}
	findProduct(ctx, productKey);
	const devices = ctx.ota.fleet.devices(productKey);
	const start = token === undefined ? (page.currentPage - 1) * page.pageSize : decodeToken(token, productKey);
	const end = Math.min(devices.length, start + page.pageSize);
	const DeviceInfo: Array<Record<string, unknown>> = [];
	// Newest first: the last created device is the first item.
	for (let i = start; i < end; i++) {
		const device = devices[devices.length - 1 - i];
		const iotId = ctx.ota.fleet.iotId(device);
		DeviceInfo.push({
			DeviceName: device.deviceName,
			IotId: iotId,
			ProductKey: device.productKey,
			Nickname: NICKNAME,
			DeviceStatus: deviceStatus(device),
			UtcCreate: iso(device.createdAt),
			UtcModified: iso(device.createdAt),
			GmtCreate: cookieGmt(device.createdAt),
			GmtModified: cookieGmt(device.createdAt),
			DeviceId: iotId.slice(0, 20),
			DeviceSecret: ctx.ota.fleet.deviceSecret(device),
		});
	}
	return {
		...pageCounts(devices.length, page, 'Page'),
		NextToken: end < devices.length ? encodeToken(productKey, end) : '',
		Data: { DeviceInfo },
	};
};

/** The fields QueryDeviceDetail and BatchQueryDeviceDetail share. */
function detailFields(device: DeviceRecord, ctx: ActionContext, regionId: string): Record<string, unknown> {
	const product = findProduct(ctx, device.productKey);
	const onlineAt = device.onlineAt ?? device.createdAt;
	return {
		IotId: ctx.ota.fleet.iotId(device),
		ProductKey: device.productKey,
		ProductName: product.productName,
		DeviceName: device.deviceName,
		Nickname: NICKNAME,
		DeviceSecret: ctx.ota.fleet.deviceSecret(device),
		Status: deviceStatus(device),
		FirmwareVersion: device.versions[DEFAULT_MODULE],
		NodeType: product.nodeType,
		Region: regionId,
		UtcCreate: iso(device.createdAt),
		GmtCreate: chinaTime(device.createdAt),
		UtcActive: iso(device.createdAt),
		GmtActive: chinaTime(device.createdAt),
		UtcOnline: iso(onlineAt),
		GmtOnline: chinaTime(onlineAt),
	};
}

const queryDeviceDetail = async (p: ParamReader, ctx: ActionContext) => {
	const device = findDevice(p, ctx);
	return { Data: { ...detailFields(device, ctx, p.regionId), Owner: true, IpAddress: '127.0.0.1' } };
};

const batchQueryDeviceDetail = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	const names = p.list('DeviceName', { required: true, max: 100 });
	findProduct(ctx, productKey);
	const found = names.flatMap((name) => ctx.ota.fleet.device(productKey, name) ?? []);
	return { Data: { Data: found.map((device) => detailFields(device, ctx, p.regionId)) } };
};

const queryDeviceGroupList = async (p: ParamReader, ctx: ActionContext) => {
	const page = p.page({ action: 'QueryDeviceGroupList' });
	const groupName = p.optional('GroupName');
	const superGroupId = p.optional('SuperGroupId');
	const types = p.list('GroupTypes', { max: 1 });
	if (types.some((type) => type !== 'LINK_PLATFORM_DYNAMIC')) {
		throw businessErrors.invalidParameter('GroupTypes.N', 'only LINK_PLATFORM_DYNAMIC is accepted; omit it for static groups.');
	}
	const wanted = types.length > 0 ? 'LINK_PLATFORM_DYNAMIC' : 'LINK_PLATFORM';
	const groups = ctx.ota.fleet
		.groups()
		// The sandbox's groups have no subgroups.
		.filter((g) => superGroupId === undefined && g.groupType === wanted && (groupName === undefined || g.groupName === groupName))
		.reverse();
	return {
		...pageCounts(groups.length, page),
		Data: {
			GroupInfo: pageOf(groups, page).map((g) => ({
				GroupName: g.groupName,
				GroupId: g.groupId,
				GroupType: g.groupType,
				GroupDesc: g.groupDesc,
				UtcCreate: iso(g.createdAt),
			})),
		},
	};
};

const queryDeviceListByDeviceGroup = async (p: ParamReader, ctx: ActionContext) => {
	const group = ctx.ota.fleet.group(p.required('GroupId'));
	const page = p.page({ action: 'QueryDeviceListByDeviceGroup' });
	if (!group) {
		throw otaErrors.groupNotFound();
	}
	const productName = findProduct(ctx, group.productKey).productName;
	const members = ctx.ota.fleet.groupMembers(group);
	return {
		...pageCounts(members.length, page, 'Page'),
		Data: {
			SimpleDeviceInfo: pageOf(members, page).map((d) => ({
				ProductKey: d.productKey,
				ProductName: productName,
				DeviceName: d.deviceName,
				IotId: ctx.ota.fleet.iotId(d),
			})),
		},
	};
};

export const deviceActions: HandlerTable = {
	QueryProductList: queryProductList,
	QueryProduct: queryProduct,
	QueryDevice: queryDevice,
	QueryDeviceDetail: queryDeviceDetail,
	BatchQueryDeviceDetail: batchQueryDeviceDetail,
	QueryDeviceGroupList: queryDeviceGroupList,
	QueryDeviceListByDeviceGroup: queryDeviceListByDeviceGroup,
};
