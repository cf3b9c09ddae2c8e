/**
 * Shared data shapes of the core. Behaviour lives in the sibling modules:
 *   limits.ts       suffix allow-list, size limit, pre-flight file checks, CreateOTAFirmware field rules
 *   regions.ts      IoT regions and endpoints
 *   credentials.ts  env / aliyun CLI config credential loading
 *   rateLimiter.ts  ≤ 10 calls per second per account
 *   retry.ts        back-off with jitter
 *   iotClient.ts    IoT API over @alicloud/pop-core
 *   uploader.ts     OSS PostObject streaming upload + ticket renewal + retries
 *   configInsert/   config-insertion engine (text in → edits out)
 */

export const FIRMWARE_SUFFIXES = ['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip'] as const;
export type FirmwareSuffix = (typeof FIRMWARE_SUFFIXES)[number];

/** 1,000 MB as the OSS policy states it (content-length-range max). */
export const MAX_FIRMWARE_BYTES = 1_048_576_000;

export interface Credentials {
	accessKeyId: string;
	accessKeySecret: string;
	/** STS token when the key is temporary (AccessKeyId starts with "STS."). */
	securityToken?: string;
}

export interface ConnectionSettings {
	/** IoT region id, e.g. cn-shanghai. */
	region: string;
	/** Overrides https://iot.<region>.aliyuncs.com (e.g. the local sandbox). */
	endpoint?: string;
	/** Sent on every OTA call when set (Enterprise instances). */
	iotInstanceId?: string;
}

/** What GenerateOTAUploadURL returns, plus when we received it. */
export interface UploadTicket {
	host: string;
	key: string;
	policy: string;
	ossAccessKeyId: string;
	signature: string;
	firmwareUrl: string;
	objectStorage?: string;
	utcCreate?: string;
	requestId?: string;
	/** Date.now() when the ticket arrived; the ticket is valid for 60 s from issue. */
	receivedAt: number;
}

export interface TicketSource {
	generateOtaUploadUrl(suffix: FirmwareSuffix, signal?: AbortSignal): Promise<UploadTicket>;
}

export type SignMethod = 'MD5' | 'SHA256';

/** One file of a multi-file package: CreateOTAFirmware's MultiFiles.N (docs/protocols.md §11.4). */
export interface PackageFileEntry {
	name: string;
	url: string;
	size: number;
	/** The file's digest in the package's SignMethod (hex). */
	signValue: string;
	/** The file's MD5 (hex), whatever the SignMethod. */
	fileMd5: string;
}

export interface CreateFirmwareRequest {
	/** A single-file package's URL; absent for a multi-file package (`multiFiles`). */
	firmwareUrl?: string;
	/** A multi-file package's files (then no firmwareUrl, firmwareSign or firmwareSize). */
	multiFiles?: readonly PackageFileEntry[];
	firmwareName: string;
	destVersion: string;
	productKey: string;
	firmwareSign?: string;
	signMethod?: SignMethod;
	firmwareSize?: number;
	srcVersion?: string;
	moduleName?: string;
	/** 0 full package (default), 1 delta. */
	type?: 0 | 1;
	firmwareDesc?: string;
	needToVerify?: boolean;
}

export interface CreateFirmwareResult {
	firmwareId: string;
	utcCreate?: string;
	requestId?: string;
}

export interface FirmwareInfo {
	firmwareId: string;
	firmwareName: string;
	destVersion: string;
	srcVersion?: string;
	productKey?: string;
	productName?: string;
	firmwareUrl?: string;
	firmwareSize?: number;
	firmwareSign?: string;
	signMethod?: string;
	moduleName?: string;
	type?: number;
	status?: number;
	utcCreate?: string;
	utcModified?: string;
}

export interface ProductInfo {
	productKey: string;
	productName: string;
	nodeType?: number;
	deviceCount?: number;
	description?: string;
}

export interface Page<T> {
	total: number;
	pageSize: number;
	pageCount: number;
	currentPage: number;
	items: T[];
}

export interface UploadProgress {
	phase: 'ticket' | 'uploading' | 'retrying' | 'done';
	bytesSent: number;
	totalBytes: number;
	/** Smoothed rate over the last few seconds. */
	bytesPerSecond: number;
	/** 1-based attempt number. */
	attempt: number;
}

export interface UploadResult {
	firmwareUrl: string;
	key: string;
	host: string;
	suffix: FirmwareSuffix;
	size: number;
	md5: string;
	sha256: string;
	utcCreate?: string;
	requestId?: string;
	attempts: number;
	durationMs: number;
}
