// The records the sandbox keeps (store.ts saves them in state.json): uploaded objects, OTA packages and their files,
// and the products it is seeded with.

export interface StoredObject {
	key: string;
	size: number;
	/** Opaque, as OSS documents a PostObject ETag; not the MD5. */
	etag: string;
	/** Computed on first use (CreateOTAFirmware's FirmwareSign check) and kept. */
	md5?: string;
	sha256?: string;
	contentType?: string;
	createdAt: number;
	registered: boolean;
}

/** One file of a multi-file package (CreateOTAFirmware's MultiFiles.N). */
export interface FirmwareFile {
	name: string;
	url: string;
	objectKey: string;
	size: number;
	/** The digest by the package's SignMethod. */
	signValue: string;
	fileMd5: string;
}

export interface FirmwareRecord {
	firmwareId: string;
	firmwareName: string;
	destVersion: string;
	srcVersion?: string;
	productKey: string;
	productName: string;
	firmwareUrl: string;
	objectKey: string;
	firmwareSize: number;
	firmwareSign: string;
	signMethod: 'MD5' | 'SHA256';
	moduleName: string;
	type: 0 | 1;
	firmwareDesc?: string;
	/** Pushed to devices as extData._package_udi. */
	udi?: string;
	/** Multi-file packages only; the single-file fields then describe the first file. */
	multiFiles?: FirmwareFile[];
	status: number;
	iotInstanceId?: string;
	createdAt: number;
	modifiedAt: number;
}

export interface ProductRecord {
	productKey: string;
	productName: string;
	nodeType: number;
	dataFormat: number;
	description: string;
	authType: string;
	gmtCreate: number;
}

export const SEEDED_PRODUCTS: readonly ProductRecord[] = [
	{
		productKey: 'a1SandboxPK1',
		productName: 'Sandbox Demo Device',
		nodeType: 0,
		dataFormat: 1,
		description: 'Seeded by the local sandbox.',
		authType: 'secret',
		gmtCreate: Date.UTC(2024, 0, 2),
	},
	{
		productKey: 'a1SandboxGW2',
		productName: 'Sandbox Gateway',
		nodeType: 1,
		dataFormat: 1,
		description: 'Seeded by the local sandbox.',
		authType: 'secret',
		gmtCreate: Date.UTC(2024, 0, 3),
	},
];

/** The stored objects a package uses: its file, or every file of a multi-file package. */
export function objectKeysOf(record: FirmwareRecord): string[] {
	return [record.objectKey, ...(record.multiFiles ?? []).map((f) => f.objectKey)];
}
