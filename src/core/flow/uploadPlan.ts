// What an upload would do, without doing it (`iot-ota upload --dry-run`, Show Upload Commands; docs/protocols.md §13.7):
// the pre-flight has run, and the only requests made here are the read-only ones the upload makes before uploading: the
// same-content lookup (sameContentLookup.ts) and the check of a registration's product and module (packageTarget.ts).
// No upload ticket is requested (GenerateOTAUploadURL changes nothing, but its answer is a credential to write): the
// calls are listed with the parameters known before the upload, the ticket's fields as <…> placeholders.
import { planInsert } from '../configInsert';
import { readSnapshot } from '../configInsert/file';
import { checkFirmwareUrl } from '../firmwareUrl';
import { actionFacts } from '../iot/actions';
import { createFirmwareParams, uploadUrlParams } from '../iot/firmwareParams';
import { wireParams } from '../iot/params';
import type { PlannedCall } from '../lifecycle/rollout';
import { shellQuote } from '../lifecycle/preview';
import type { ConfigFormat } from '../configInsert';
import type { RpcCaller } from '../lifecycle/client';
import type { FirmwareInfo, FirmwareSuffix } from '../types';
import { postObjectFields } from '../upload/postFormBuilder';
import { lookUpSameContent, offerOrder, type ContentDigests, type DuplicateClient, type ExistingPackage } from './duplicates';
import { multiFileRequest, packageFileEntry, type PreparedMultiFile } from './multiFilePrepare';
import { registrationRequest, type PreparedFlow } from './prepare';
import { checkPackageTarget } from './packageTarget';
import { sameContentLookup, type SameContentLookup } from './sameContentLookup';

/** A PostObject of one file to the ticket's Host: `params` are the form fields in the order sent, `file` (its path) last. */
export interface PlannedPostObject extends PlannedCall {
	action: 'PostObject';
	host: string;
	/** The file's size in bytes. */
	size: number;
}

export interface PlannedFile {
	filePath: string;
	/** Its name in a multi-file package. */
	name?: string;
	suffix: FirmwareSuffix;
	size: number;
	/** Measured by the pre-flight when the run registers (it reads the file whole then); else during the upload. */
	digests?: Required<ContentDigests>;
}

export interface PlannedInsert {
	file: string;
	keyPath: string;
	format: ConfigFormat;
	/** The FirmwareUrl written: a reused package's, else a placeholder for the ticket's. */
	value: string;
	/** What the key holds now (undefined: the key is added); the file itself is left untouched. */
	previousValue?: string;
}

export interface UploadPlan {
	files: PlannedFile[];
	/** The same-content lookup made (sameContentLookup.ts); undefined: none. */
	lookup?: SameContentLookup;
	/** The package of the same product, version and content a real run takes instead of uploading. */
	reused?: ExistingPackage;
	/** The packages of the same version and content the real upload offers instead (the extension asks); the calls stay. */
	offered?: ExistingPackage[];
	/** The state-changing calls, in order: GenerateOTAUploadURL and PostObject per file, then CreateOTAFirmware. */
	calls: Array<PlannedCall | PlannedPostObject>;
	insert?: PlannedInsert;
}

/** The ticket's fields (GenerateOTAUploadURL's Data, docs/protocols.md §4.1), as placeholders. */
export const TICKET_PLACEHOLDERS = {
	host: '<Host>',
	key: '<Key>',
	ossAccessKeyId: '<OSSAccessKeyId>',
	policy: '<Policy>',
	signature: '<Signature>',
} as const;

/** The FirmwareUrl of a file's ticket, not known before it is issued; `index` tells the files of a package apart. */
export function pendingFirmwareUrl(index?: number): string {
	return `<FirmwareUrl of GenerateOTAUploadURL${index === undefined ? '' : ` #${index}`}>`;
}

const planned = (action: string, params: Record<string, string>): PlannedCall => ({ action, method: actionFacts(action).method, params });

function uploadCalls(file: PlannedFile): Array<PlannedCall | PlannedPostObject> {
	const fields = Object.fromEntries(postObjectFields(TICKET_PLACEHOLDERS));
	const post: PlannedPostObject = {
		action: 'PostObject',
		method: 'POST',
		params: { ...fields, file: file.filePath },
		host: TICKET_PLACEHOLDERS.host,
		size: file.size,
	};
	return [planned('GenerateOTAUploadURL', wireParams(uploadUrlParams(file.suffix))), post];
}

async function plannedInsert(target: NonNullable<PreparedFlow['insert']>, value: string): Promise<PlannedInsert> {
	const { text } = await readSnapshot(target.file);
	const { previousValue } = planInsert(text, target.format, target.keyPath, value);
	return { file: target.file, keyPath: target.keyPath, format: target.format, value, previousValue };
}

/**
 * The plan of one file's upload (its pre-flight passed): the same-content lookup the upload makes (sameContentLookup,
 * `offers` as the shell's upload, the packages offered in its order: offerOrder; ListOTAFirmware, QueryOTAFirmware:
 * read-only; its failure is thrown), the check of a registration's product and module (packageTarget.ts: a refusal or
 * its failure is thrown), then the calls the real run would make and the config edit.
 */
export async function planUpload(
	client: DuplicateClient & RpcCaller,
	prepared: PreparedFlow,
	hooks: { signal?: AbortSignal; offers?: boolean; preferredProductKey?: string } = {},
): Promise<UploadPlan> {
	const { create, digests } = prepared;
	const file: PlannedFile = { filePath: prepared.filePath, suffix: prepared.suffix, size: prepared.size, digests };
	const lookup = sameContentLookup(prepared, { offers: hooks.offers ?? false });
	// A failed lookup fails the plan (a real run goes on without it): the plan could not say whether a package would be
	// reused, and the failure (credentials, endpoint, network) is most often the one the real run meets at its next call.
	let listed: readonly FirmwareInfo[] = [];
	const onListed = (items: readonly FirmwareInfo[]): void => void (listed = items);
	const found = lookup ? await lookUpSameContent(client, lookup.destVersion, digests ?? {}, lookup.wanted, hooks.signal, onListed) : [];
	const reused = lookup?.match === 'reuse' ? found[0] : undefined;
	if (!reused && create) {
		// The real run's check of the product and module, before its ticket; here its failure fails the plan too.
		await checkPackageTarget(client, create, { signal: hooks.signal, listed, strict: true });
	}
	const calls: UploadPlan['calls'] = [];
	if (!reused) {
		calls.push(...uploadCalls(file));
		if (create) {
			const sign = digests && (create.signMethod === 'SHA256' ? digests.sha256 : digests.md5);
			const request = registrationRequest(create, pendingFirmwareUrl(), sign, prepared.size);
			calls.push(planned('CreateOTAFirmware', wireParams(createFirmwareParams(request))));
		}
	}
	// The real run judges a reused package's URL by the one rule before writing it; so does its plan.
	const url = reused ? checkFirmwareUrl(reused.firmwareUrl, client.endpointTrust) : pendingFirmwareUrl();
	const insert = prepared.insert ? await plannedInsert(prepared.insert, url) : undefined;
	const offered = lookup?.match === 'offer' ? offerOrder(found, hooks.preferredProductKey) : undefined;
	return { files: [file], lookup, reused, offered, calls, insert };
}

/**
 * The plan of a multi-file package (prepareMultiFile passed): the real run's check of the product and module (its one
 * read call; its failure fails the plan), then a ticket and a PostObject per file, one CreateOTAFirmware.
 */
export async function planPackageUpload(
	client: RpcCaller,
	prepared: PreparedMultiFile,
	hooks: { signal?: AbortSignal } = {},
): Promise<UploadPlan> {
	const { create } = prepared;
	await checkPackageTarget(client, create, { signal: hooks.signal, strict: true });
	const files: PlannedFile[] = prepared.files.map(({ filePath, name, suffix, size, digests }) => ({
		filePath,
		name,
		suffix,
		size,
		digests,
	}));
	const entries = prepared.files.map((file, index) =>
		packageFileEntry(file.name, pendingFirmwareUrl(index + 1), file.digests, create.signMethod),
	);
	const register = planned('CreateOTAFirmware', wireParams(createFirmwareParams(multiFileRequest(create, entries))));
	return { files, calls: [...files.flatMap(uploadCalls), register] };
}

/**
 * A curl command line that does what a planned PostObject does, once the ticket's fields are set as shell variables of
 * their names (Host, Key, OSSAccessKeyId, Policy, Signature): text fields with --form-string (taken literally), the
 * file last with -F (docs/protocols.md §3.1).
 */
export function curlCommandLine(post: PlannedPostObject): string {
	const variable = (value: string): string | undefined => /^<([A-Za-z]+)>$/.exec(value)?.[1];
	const words = ['curl'];
	for (const [name, value] of Object.entries(post.params)) {
		if (name === 'file') {
			continue;
		}
		const ticketField = variable(value);
		words.push('--form-string', ticketField ? `"${name}=$${ticketField}"` : shellQuote(`${name}=${value}`));
	}
	const quotedPath = `"${post.params.file.replace(/[\\"]/g, '\\$&')}"`;
	words.push('-F', shellQuote(`file=@${quotedPath};type=application/octet-stream`), `"$${variable(post.host) ?? 'Host'}"`);
	return words.join(' ');
}
