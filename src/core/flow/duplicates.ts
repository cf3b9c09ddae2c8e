// Packages already registered with the same content (docs/protocols.md §13.2): found by ListOTAFirmware's
// DestVersion filter, compared by FirmwareSign (MD5, or SHA-256 when the package's SignMethod is SHA256) and size.
import { isCancelled, toOtaError } from '../errors';
import { firmwareUrlProblem } from '../firmwareUrl';
import type { Logger } from '../logger';
import { maxPageSize } from '../iot/actions';
import { everyPage } from '../iot/paging';
import { unsignedUrl } from '../iot/mappers';
import { DEFAULT_MODULE, PACKAGES_PER_INSTANCE } from '../otaFacts';
import type { FirmwareInfo, Page, SignMethod } from '../types';
import type { EndpointTrust } from '../uploadHost';

/** What the lookup needs from the IoT client (IotClient satisfies it). */
export interface DuplicateClient {
	/** The endpoint the answers come from: a package's FirmwareUrl is judged by its plain-http rule (IotClient has it). */
	readonly endpointTrust?: EndpointTrust;
	listOtaFirmware(
		q: { currentPage?: number; pageSize?: number; productKey?: string; destVersion?: string },
		signal?: AbortSignal,
	): Promise<Page<FirmwareInfo>>;
	queryOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<FirmwareInfo>;
}

/** The file's digests, as measured by the image reader or during the upload. */
export interface ContentDigests {
	md5?: string;
	sha256?: string;
	size?: number;
}

/** The package a registration would create; an existing one is only the same package when all of these agree. */
export interface PackageWanted {
	destVersion: string;
	/** Undefined: any product (the extension looks before the product is chosen). */
	productKey?: string;
	/** Undefined: the "default" module. */
	moduleName?: string;
	type?: 0 | 1;
	srcVersion?: string;
}

export interface ExistingPackage {
	firmwareId: string;
	firmwareName: string;
	destVersion: string;
	productKey?: string;
	productName?: string;
	moduleName?: string;
	signMethod: SignMethod;
	/** The stored object's URL without a signature query: the form GenerateOTAUploadURL gives (§4.1). */
	firmwareUrl: string;
	utcCreate?: string;
}

/** The product a package belongs to, as its offer names it: "Name (ProductKey)", or the key alone. */
export const productOfPackage = (p: ExistingPackage): string =>
	p.productName ? `${p.productName} (${p.productKey ?? '?'})` : (p.productKey ?? '?');

/**
 * The packages of the same content an upload offers, in the order it offers them: those of `preferredProductKey` (the
 * extension's last used product) first, the others as listed (newest first). The first is the one the user is asked about.
 */
export const offerOrder = (found: readonly ExistingPackage[], preferredProductKey: string | undefined): ExistingPackage[] => [
	...found.filter((p) => p.productKey === preferredProductKey),
	...found.filter((p) => p.productKey !== preferredProductKey),
];

/** 500 packages per instance (§4.2): five pages of 100 list every package of one DestVersion. */
const MAX_PAGES = Math.ceil(PACKAGES_PER_INSTANCE / maxPageSize('ListOTAFirmware'));
/** QueryOTAFirmware calls per lookup, for list items that came without a sign or URL. */
const MAX_QUERIES = 10;

function signMethodOf(info: FirmwareInfo): SignMethod | undefined {
	const method = info.signMethod?.toUpperCase();
	if (method === 'MD5' || method === 'SHA256') {
		return method;
	}
	return info.firmwareSign?.length === 64 ? 'SHA256' : info.firmwareSign ? 'MD5' : undefined;
}

/** true/false when the item's sign can be compared with ours; undefined when the item carries no sign. */
export function sameSign(info: FirmwareInfo, digests: ContentDigests): boolean | undefined {
	const method = signMethodOf(info);
	if (!info.firmwareSign || !method) {
		return undefined;
	}
	if (digests.size !== undefined && info.firmwareSize !== undefined && info.firmwareSize !== digests.size) {
		return false;
	}
	const ours = method === 'SHA256' ? digests.sha256 : digests.md5;
	return ours !== undefined && ours.toLowerCase() === info.firmwareSign.toLowerCase();
}

/** The same DestVersion, product (when given), module, type and (for a delta) source version. */
export function isWantedPackage(info: FirmwareInfo, wanted: PackageWanted): boolean {
	const type = wanted.type ?? 0;
	return (
		info.destVersion === wanted.destVersion &&
		(wanted.productKey === undefined || info.productKey === wanted.productKey) &&
		(info.moduleName || DEFAULT_MODULE) === (wanted.moduleName || DEFAULT_MODULE) &&
		(info.type ?? 0) === type &&
		(type === 0 || info.srcVersion === wanted.srcVersion)
	);
}

/**
 * The packages among `items` with this content and package identity (`wanted`), newest first as listed. An item without
 * a sign or URL is completed with QueryOTAFirmware (at most MAX_QUERIES per call). A package whose FirmwareUrl is not
 * one this program may use or write (firmwareUrl.ts, judged by the client's endpoint) is never taken.
 */
export async function sameContentAmong(
	client: Pick<DuplicateClient, 'queryOtaFirmware' | 'endpointTrust'>,
	items: readonly FirmwareInfo[],
	digests: ContentDigests,
	wanted: PackageWanted,
	signal?: AbortSignal,
): Promise<ExistingPackage[]> {
	const found: ExistingPackage[] = [];
	let queries = 0;
	for (const listed of items.filter((item) => isWantedPackage(item, wanted))) {
		let info = listed;
		let verdict = sameSign(info, digests);
		const incomplete = verdict === undefined || (verdict && !info.firmwareUrl);
		if (incomplete && queries < MAX_QUERIES) {
			queries++;
			info = { ...listed, ...definedFields(await client.queryOtaFirmware(listed.firmwareId, signal)) };
			verdict = sameSign(info, digests);
		}
		const firmwareUrl = unsignedUrl(info.firmwareUrl);
		const signMethod = signMethodOf(info);
		if (verdict && firmwareUrl && signMethod && firmwareUrlProblem(firmwareUrl, client.endpointTrust) === undefined) {
			found.push({
				firmwareId: info.firmwareId,
				firmwareName: info.firmwareName,
				destVersion: info.destVersion,
				productKey: info.productKey,
				productName: info.productName,
				moduleName: info.moduleName,
				signMethod,
				firmwareUrl,
				utcCreate: info.utcCreate,
			});
		}
	}
	return found;
}

function definedFields(info: FirmwareInfo): Partial<FirmwareInfo> {
	return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)) as Partial<FirmwareInfo>;
}

/**
 * Packages of the account registered under `destVersion` with this content. The list is not filtered by product
 * (the extension looks before the product is chosen, and both shells send the same request); `wanted` narrows the
 * answer to one product's package, else to any product's package of the default module and type 0 (the extension's
 * Upload looks before its module and type are asked, and offers those; Create compares the chosen ones, register.ts).
 * A failed lookup throws (a dry run reports it; findSameContent continues without). `onListed` is told the packages
 * listed (they may prove a registration's product and module: packageTarget.ts).
 */
export async function lookUpSameContent(
	client: DuplicateClient,
	destVersion: string,
	digests: ContentDigests,
	wanted: Omit<PackageWanted, 'destVersion'> | undefined,
	signal?: AbortSignal,
	onListed?: (items: readonly FirmwareInfo[]) => void,
): Promise<ExistingPackage[]> {
	const items = await everyPage('ListOTAFirmware', (page) => client.listOtaFirmware({ ...page, destVersion }, signal), {
		maxPages: MAX_PAGES,
	});
	onListed?.(items);
	return sameContentAmong(client, items, digests, { ...wanted, destVersion }, signal);
}

/** lookUpSameContent for a run that uploads: a failed lookup finds nothing (it must not block an upload); a cancel throws. */
export async function findSameContent(
	client: DuplicateClient,
	destVersion: string,
	digests: ContentDigests,
	wanted: Omit<PackageWanted, 'destVersion'> | undefined,
	hooks: { signal?: AbortSignal; logger?: Logger; onListed?: (items: readonly FirmwareInfo[]) => void } = {},
): Promise<ExistingPackage[]> {
	try {
		return await lookUpSameContent(client, destVersion, digests, wanted, hooks.signal, hooks.onListed);
	} catch (error) {
		if (isCancelled(error)) {
			throw error;
		}
		hooks.logger?.warn(`Looking for a package with the same content failed (continuing without): ${toOtaError(error).message}`);
		return [];
	}
}
