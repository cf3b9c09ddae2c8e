import { OtaError } from '../errors';
import type { CreateFirmwareResult, FirmwareInfo, Page, ProductInfo, UploadTicket } from '../types';
import { asObject, type Json, list, num, str } from './normalize';

/**
 * The reasons (MessageReason codes) of an answer the client cannot use (the non-JSON one is popErrors.ts's); the
 * extension words them by these.
 */
export const ANSWER_REASONS = ['answer-missing', 'answer-unknown-value', 'non-json-answer'] as const;

export function invalidResponse(action: string, field: string, requestId: string | undefined): OtaError {
	return new OtaError({
		code: 'InvalidResponse',
		source: 'api',
		requestId,
		message: `The answer to ${action} has no ${field}.`,
		hint: 'Check that the endpoint is an IoT Platform endpoint.',
		reason: { code: 'answer-missing', values: { action, field } },
	});
}

/** A field whose value the client does not know (a TaskStatus outside the documented ones): `got` as JSON, cut short. */
export function unknownValue(action: string, field: string, value: unknown, requestId: string | undefined): OtaError {
	const got = JSON.stringify(value ?? null).slice(0, 40);
	return new OtaError({
		code: 'InvalidResponse',
		source: 'api',
		requestId,
		message: `The answer to ${action} has no known ${field} (got ${got}).`,
		hint: 'Check that the endpoint is an IoT Platform endpoint.',
		reason: { code: 'answer-unknown-value', values: { action, field, got } },
	});
}

export function required(action: string, obj: Json, field: string, requestId: string | undefined): string {
	const value = str(obj[field]);
	if (value === undefined) {
		throw invalidResponse(action, field, requestId);
	}
	return value;
}

/** Drops undefined fields so results compare cleanly and serialise compactly. */
export function compact<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toUploadTicket(body: Json, receivedAt: number): UploadTicket {
	const action = 'GenerateOTAUploadURL';
	const requestId = str(body.RequestId);
	const data = asObject(body.Data);
	if (!data) {
		throw invalidResponse(action, 'Data', requestId);
	}
	return compact({
		host: required(action, data, 'Host', requestId),
		key: required(action, data, 'Key', requestId),
		policy: required(action, data, 'Policy', requestId),
		ossAccessKeyId: required(action, data, 'OSSAccessKeyId', requestId),
		signature: required(action, data, 'Signature', requestId),
		firmwareUrl: required(action, data, 'FirmwareUrl', requestId),
		objectStorage: str(data.ObjectStorage),
		utcCreate: str(data.UtcCreate),
		requestId,
		receivedAt,
	});
}

export function toCreateFirmwareResult(body: Json): CreateFirmwareResult {
	const requestId = str(body.RequestId);
	const data = asObject(body.Data) ?? {};
	return compact({
		firmwareId: required('CreateOTAFirmware', data, 'FirmwareId', requestId),
		utcCreate: str(data.UtcCreate),
		requestId,
	});
}

/** A signed OSS GET URL without its query (signature and expiry): safe to show, not to download. */
export function unsignedUrl(url: string | undefined): string | undefined {
	return url?.replace(/[?#].*$/, '');
}

/** A package as ListOTAFirmware and QueryOTAFirmware answer it; a signed FirmwareUrl loses its signature. */
export function toFirmwareInfo(raw: unknown, action: string, requestId?: string): FirmwareInfo {
	const info = asObject(raw);
	if (!info) {
		throw invalidResponse(action, 'FirmwareInfo', requestId);
	}
	return compact({
		firmwareId: required(action, info, 'FirmwareId', requestId),
		firmwareName: str(info.FirmwareName) ?? '',
		destVersion: str(info.DestVersion) ?? '',
		srcVersion: str(info.SrcVersion),
		productKey: str(info.ProductKey),
		productName: str(info.ProductName),
		firmwareUrl: unsignedUrl(str(info.FirmwareUrl)),
		firmwareSize: num(info.FirmwareSize),
		firmwareSign: str(info.FirmwareSign),
		signMethod: str(info.SignMethod),
		moduleName: str(info.ModuleName),
		type: num(info.Type),
		status: num(info.Status),
		utcCreate: str(info.UtcCreate),
		utcModified: str(info.UtcModified),
	});
}

export function toProductInfo(raw: unknown, requestId?: string): ProductInfo {
	const info = asObject(raw);
	if (!info) {
		throw invalidResponse('QueryProductList', 'ProductInfo', requestId);
	}
	return compact({
		productKey: required('QueryProductList', info, 'ProductKey', requestId),
		productName: str(info.ProductName) ?? '',
		nodeType: num(info.NodeType),
		deviceCount: num(info.DeviceCount),
		description: str(info.Description),
	});
}

export function toPage<T>(pageFields: Json, items: T[], fallback: { currentPage: number; pageSize: number }): Page<T> {
	const pageSize = num(pageFields.PageSize) ?? fallback.pageSize;
	const total = num(pageFields.Total) ?? items.length;
	return {
		total,
		pageSize,
		pageCount: num(pageFields.PageCount) ?? (pageSize > 0 ? Math.ceil(total / pageSize) : 0),
		currentPage: num(pageFields.CurrentPage) ?? fallback.currentPage,
		items,
	};
}

/** ListOTAFirmware: page fields at top level, items under the double wrapper FirmwareInfo.SimpleFirmwareInfo[]. */
export function toFirmwarePage(body: Json, fallback: { currentPage: number; pageSize: number }): Page<FirmwareInfo> {
	const requestId = str(body.RequestId);
	const wrapper = asObject(body.FirmwareInfo);
	const items = list(wrapper?.SimpleFirmwareInfo).map((item) => toFirmwareInfo(item, 'ListOTAFirmware', requestId));
	return toPage(body, items, fallback);
}

/** QueryProductList: everything under Data, items under Data.List.ProductInfo[]. */
export function toProductPage(body: Json, fallback: { currentPage: number; pageSize: number }): Page<ProductInfo> {
	const requestId = str(body.RequestId);
	const data = asObject(body.Data) ?? {};
	const items = list(asObject(data.List)?.ProductInfo).map((item) => toProductInfo(item, requestId));
	return toPage(data, items, fallback);
}
