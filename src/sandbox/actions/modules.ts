import type { ModuleRecord } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { ActionContext, HandlerTable } from './context';
import { minuteIso } from './format';
import { findDevice } from './lookups';
import { pageCounts, pageOf, type ParamReader } from './params';
import { isModuleName } from '../firmwareRules';

/** OTA modules (docs/protocols.md §11.3). */

const ALIAS_NAME = /^[\p{Script=Han}A-Za-z0-9._-]{1,64}$/u;

function moduleName(p: ParamReader): string {
	const name = p.required('ModuleName');
	if (!isModuleName(name)) {
		throw businessErrors.invalidModuleName();
	}
	return name;
}

function moduleInfo(p: ParamReader): { aliasName?: string; desc?: string } {
	const aliasName = p.optional('AliasName');
	if (aliasName !== undefined && !ALIAS_NAME.test(aliasName)) {
		throw businessErrors.invalidParameter(
			'AliasName',
			'use 1–64 Chinese characters, letters, digits, periods (.), hyphens (-) and underscores (_).',
		);
	}
	const desc = p.text('Desc', 100);
	return { ...(aliasName === undefined ? {} : { aliasName }), ...(desc === undefined ? {} : { desc }) };
}

const createOtaModule = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	ctx.ota.createModule(productKey, moduleName(p), moduleInfo(p));
	return {};
};

const updateOtaModule = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	ctx.ota.updateModule(productKey, moduleName(p), moduleInfo(p));
	return {};
};

const deleteOtaModule = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	ctx.ota.deleteModule(productKey, moduleName(p));
	return {};
};

const moduleFields = (m: ModuleRecord) => ({
	ModuleName: m.moduleName,
	ProductKey: m.productKey,
	AliasName: m.aliasName,
	Desc: m.desc,
	GmtCreate: minuteIso(m.createdAt),
	GmtModified: minuteIso(m.modifiedAt),
});

const listOtaModuleByProduct = async (p: ParamReader, ctx: ActionContext) => ({
	Data: ctx.ota.modules(p.required('ProductKey')).map(moduleFields),
});

const listOtaModuleVersionsByDevice = async (p: ParamReader, ctx: ActionContext) => {
	const page = p.page({ action: 'ListOTAModuleVersionsByDevice', required: true });
	const device = findDevice(p, ctx);
	const iotId = ctx.ota.fleet.iotId(device);
	const versions = ctx.ota.moduleVersions(device);
	return {
		...pageCounts(versions.length, page),
		Data: {
			SimpleOTAModuleInfo: pageOf(versions, page).map((m) => ({
				ModuleName: m.moduleName,
				ModuleVersion: m.version,
				ProductKey: device.productKey,
				DeviceName: device.deviceName,
				IotId: iotId,
			})),
		},
	};
};

export const moduleActions: HandlerTable = {
	CreateOTAModule: createOtaModule,
	UpdateOTAModule: updateOtaModule,
	DeleteOTAModule: deleteOtaModule,
	ListOTAModuleByProduct: listOtaModuleByProduct,
	ListOTAModuleVersionsByDevice: listOtaModuleVersionsByDevice,
};
