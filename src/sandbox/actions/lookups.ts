import { otaErrors, type DeviceRecord, type JobRecord, type ProductInfo } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { FirmwareRecord } from '../storeRecords';
import type { ActionContext } from './context';
import type { ParamReader } from './params';

/** Resolving the objects a request names, with the platform's refusals (docs/protocols.md §11.9). */

/** The packages the caller's instance can see. */
export function instanceFirmware(ctx: ActionContext, instanceId: string | undefined): FirmwareRecord[] {
	return ctx.store.listFirmware().filter((f) => f.iotInstanceId === instanceId);
}

/** The package `FirmwareId` names (required). */
export function findFirmware(p: ParamReader, ctx: ActionContext): FirmwareRecord {
	const firmwareId = p.required('FirmwareId');
	const record = ctx.store.getFirmware(firmwareId);
	if (!record || record.iotInstanceId !== p.instanceId) {
		throw businessErrors.firmwareNotFound();
	}
	return record;
}

/** The package, checked to belong to the request's (required) ProductKey. */
export function findProductFirmware(p: ParamReader, ctx: ActionContext): FirmwareRecord {
	const productKey = p.required('ProductKey');
	const firmware = findFirmware(p, ctx);
	if (firmware.productKey !== productKey) {
		throw otaErrors.firmwareProductMismatch();
	}
	return firmware;
}

export function findProduct(ctx: ActionContext, productKey: string): ProductInfo {
	const product = ctx.ota.fleet.product(productKey);
	if (!product) {
		throw otaErrors.productNotFound();
	}
	return product;
}

/** The device named by `IotId` (which wins) or `ProductKey` + `DeviceName`. */
export function findDevice(p: ParamReader, ctx: ActionContext): DeviceRecord {
	const iotId = p.optional('IotId');
	if (iotId !== undefined) {
		const device = ctx.ota.fleet.deviceByIotId(iotId);
		if (!device) {
			throw otaErrors.deviceNotFound();
		}
		return device;
	}
	const productKey = p.optional('ProductKey');
	const deviceName = p.optional('DeviceName');
	if (deviceName === undefined) {
		throw businessErrors.emptyDeviceInfo();
	}
	if (productKey === undefined) {
		throw businessErrors.nullProductKey();
	}
	findProduct(ctx, productKey);
	const device = ctx.ota.fleet.device(productKey, deviceName);
	if (!device) {
		throw otaErrors.deviceNotFound(deviceName);
	}
	return device;
}

/** The job `JobId` names (required), if its package belongs to the caller's instance. */
export function findJob(p: ParamReader, ctx: ActionContext): JobRecord {
	const job = ctx.ota.queryJob(p.required('JobId'));
	const firmware = ctx.store.getFirmware(job.firmwareId);
	if (firmware && firmware.iotInstanceId !== p.instanceId) {
		throw otaErrors.invalidJobId();
	}
	return job;
}
