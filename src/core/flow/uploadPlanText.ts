// The text of an upload's plan (docs/protocols.md §13.7), the one rendering both shells show: `iot-ota upload --dry-run`
// prints it, the extension's Show Upload Commands opens it. The aliyun lines carry the connection the shell resolved.
import path from 'node:path';
import { DRY_RUN_OPENING, plannedCallLines } from '../dryRunText';
import { formatBytes, formatSpan, REGISTER_WINDOW_TEXT } from '../format';
import { aliyunCommandLine } from '../lifecycle/preview';
import type { PlannedCall } from '../lifecycle/rollout';
import { TICKET_TTL_MS } from '../otaFacts';
import { fitsOnePackage, PACKAGE_FILES_RULE } from '../upload/packageFileRules';
import type { ConnectionSettings } from '../types';
import { productOfPackage } from './duplicates';
import { curlCommandLine, type PlannedPostObject, type UploadPlan } from './uploadPlan';

export type PlanConnection = Pick<ConnectionSettings, 'region' | 'iotInstanceId' | 'endpoint'>;

const isPostObject = (call: PlannedCall): call is PlannedPostObject => call.action === 'PostObject';

/** The call's equivalent command line: `aliyun iot …` for an API call, a curl template for the PostObject. */
export function plannedCommandLine(call: PlannedCall, connection: PlanConnection): { aliyun: string } | { curl: string } {
	return isPostObject(call) ? { curl: curlCommandLine(call) } : { aliyun: aliyunCommandLine(call, connection) };
}

/** Why a plan's digests are known before the upload: a registration needs them, else the image was read whole anyway. */
function digestsReadNow(plan: UploadPlan): string {
	const registers = plan.lookup?.match === 'reuse' || plan.calls.some((call) => call.action === 'CreateOTAFirmware');
	return registers ? 'a registering run measures them before the upload' : 'the image was read whole for the version it declares';
}

function fileLines(plan: UploadPlan): string[] {
	return plan.files.map(({ filePath, name, suffix, size, digests }) => {
		const what = `${name ?? path.basename(filePath)} (${formatBytes(size)}, ${size} bytes, suffix ${suffix})`;
		return digests
			? `File ${what}\n  MD5 ${digests.md5}, SHA-256 ${digests.sha256} (read now: ${digestsReadNow(plan)})`
			: `File ${what}; its MD5 and SHA-256 are measured during the upload`;
	});
}

function sameContentLines({ lookup, reused, offered }: UploadPlan): string[] {
	if (reused) {
		return [
			`Same product, version and content already registered: "${reused.firmwareName}" (FirmwareId ${reused.firmwareId}, version ${reused.destVersion}).`,
			'  Reused: nothing would be uploaded or registered (--force-new uploads and registers it anyway).',
		];
	}
	if (!lookup) {
		return [];
	}
	if (lookup.match === 'reuse') {
		return ['Same-content lookup (ListOTAFirmware): no package of the same product, version and content was found.'];
	}
	if (!offered?.length) {
		return [
			`Same-content lookup (ListOTAFirmware): no package of version ${lookup.destVersion} with the same content was found (any product).`,
		];
	}
	return [
		`Same version and content already registered (version ${lookup.destVersion}); Upload asks first whether to use one instead (the last used product's first):`,
		...offered.map((p) => `  "${p.firmwareName}" (FirmwareId ${p.firmwareId}, product ${productOfPackage(p)})`),
		'  Use Existing Package: nothing would be uploaded. Upload Anyway: the calls below.',
	];
}

function insertLines(plan: UploadPlan): string[] {
	const { insert } = plan;
	if (!insert) {
		return [];
	}
	const now = insert.previousValue === undefined ? 'the key is added' : `replacing ${JSON.stringify(insert.previousValue)}`;
	return ['', `Config edit it would make: ${insert.file} at ${insert.keyPath} (${insert.format}) set to ${insert.value}, ${now}.`];
}

/** Where the ticket's fields come from, said once below the calls that use them. */
const TICKET_LINES = [
	'',
	`<Host>, <Key>, <OSSAccessKeyId>, <Policy> and <Signature> come from GenerateOTAUploadURL's answer (its Data), valid for ${formatSpan(TICKET_TTL_MS)};`,
	'  the curl line reads them from shell variables of those names. The FirmwareUrl is that Host and Key joined by "/";',
	`  register it within ${REGISTER_WINDOW_TEXT} of the upload.`,
];

/** One plan: the file(s), the same-content answer, the numbered calls with their command lines (then `below`), the config edit. */
function planLines(plan: UploadPlan, connection: PlanConnection, below: readonly string[]): string[] {
	const lines = [...fileLines(plan), ...sameContentLines(plan)];
	if (plan.calls.length > 0) {
		lines.push(
			'',
			'Calls it would make (each API call also carries RegionId and, with --instance, IotInstanceId):',
			...plannedCallLines(plan.calls, (call) => Object.values(plannedCommandLine(call, connection))[0]),
			...below,
		);
	}
	return [...lines, ...insertLines(plan)];
}

/** The plan as text: the file(s), the same-content answer, the numbered calls with their command lines, the config edit. */
export function uploadPlanText(plan: UploadPlan, connection: PlanConnection): string {
	return `${[DRY_RUN_OPENING, ...planLines(plan, connection, TICKET_LINES)].join('\n')}\n`;
}

/**
 * The plans of files uploaded one after the other, each on its own (a package per file was chosen, or more were selected
 * than one package holds), each under its number and with the connection its upload resolved.
 */
export function uploadPlansText(planned: ReadonlyArray<readonly [UploadPlan, PlanConnection]>): string {
	const count = planned.length;
	const why = fitsOnePackage(count) ? 'a package per file' : PACKAGE_FILES_RULE;
	const lines = [DRY_RUN_OPENING, `${count} files, each uploaded on its own, one after the other (${why}).`];
	planned.forEach(([plan, connection], index) => lines.push('', `Upload ${index + 1} of ${count}:`, ...planLines(plan, connection, [])));
	if (planned.some(([plan]) => plan.calls.length > 0)) {
		lines.push(...TICKET_LINES);
	}
	return `${lines.join('\n')}\n`;
}
