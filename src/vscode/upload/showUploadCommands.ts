// "Show Upload Commands…": what Upload Firmware would send (the CLI's `iot-ota upload FILE… --dry-run`), planned by the
// core (core/flow/uploadPlan.ts) and rendered by the one text both shells show (core/flow/uploadPlanText.ts), opened
// as a read-only document. One file: its upload without a registration, after the read-only same-content lookup Upload
// makes (an image that declares its version: ListOTAFirmware, QueryOTAFirmware). Several selected files: Upload's own
// packaging question, then one multi-file package, whose questions are Upload's (the product pick reads the product
// list), or each file's plan as Upload uploads them one by one (a package per file, or more than one package holds).
// No upload ticket is requested, nothing is uploaded, registered or written (docs/protocols.md §13.7).
import path from 'node:path';
import * as vscode from 'vscode';
import { prepareUpload } from '../../core/flow/preflight';
import { sameContentLookup } from '../../core/flow/sameContentLookup';
import { planPackageUpload, planUpload, type UploadPlan } from '../../core/flow/uploadPlan';
import { uploadPlansText, uploadPlanText, type PlanConnection } from '../../core/flow/uploadPlanText';
import { uriFromArg, urisFromSelection } from '../commands/args';
import type { Services } from '../commands/services';
import { createIotClient, requireAccount } from '../credentials/client';
import { localFileFor, withLocalFiles, type LocalFile } from './fileAccess';
import { cancellableLookup, checkImage, chooseSuffix, lastProductKey, UPLOAD_OFFERS } from './imageChecks';
import { pickFirmwareFile } from './uploadFlow';

/** The package flow (a chunk loaded on first use): Upload's packaging question and a package's checks and questions. */
type PackageFlow = typeof import('../create/packageFlow.js');

/** A copy of a non-file resource is gone once planned: the plan names the resource's path instead. */
const shownPath = (uri: vscode.Uri, local: LocalFile): string => (local.copied ? uri.path : local.path);

/** One file: the upload's own pre-flight and suffix question, then its plan without a registration. */
async function planFile(s: Services, uri: vscode.Uri): Promise<[UploadPlan, PlanConnection]> {
	const fileName = path.posix.basename(uri.path);
	const local = await localFileFor(uri);
	try {
		const checked = await checkImage(s, local, fileName);
		const prepared = prepareUpload(checked, await chooseSuffix(s, checked.inferredSuffix, fileName));
		for (const warning of prepared.warnings) {
			s.log.warn(`[upload] ${warning}`);
		}
		// The account's connection (region, endpoint, instance) goes into the aliyun lines; its client only makes the
		// same-content lookup Upload makes.
		const { client, connection } = await createIotClient(s, await requireAccount(s), uri);
		const lookup = sameContentLookup(prepared, UPLOAD_OFFERS);
		const asUpload = { ...UPLOAD_OFFERS, preferredProductKey: lastProductKey(s) };
		const plan = (signal?: AbortSignal) =>
			planUpload(client, { ...prepared, filePath: shownPath(uri, local) }, { ...asUpload, signal });
		return [lookup ? await cancellableLookup(s, fileName, lookup.destVersion, plan) : await plan(), connection];
	} finally {
		await local.dispose();
	}
}

/** Several files: the checks and questions of Upload's "One package with these N files", then the package's plan. */
function planPackage(s: Services, uris: readonly vscode.Uri[], packaging: PackageFlow): Promise<[UploadPlan, PlanConnection]> {
	return withLocalFiles(uris, async (locals) => {
		const { prepared, connection, client } = await packaging.preparePackage(s, uris, locals);
		const files = prepared.files.map((file, index) => ({ ...file, filePath: shownPath(uris[index], locals[index]) }));
		return [await planPackageUpload(client, { ...prepared, files }), connection];
	});
}

/** Each file's plan (its questions, its lookup), one after the other, as Upload uploads them one by one. */
async function planEachFile(s: Services, uris: readonly vscode.Uri[]): Promise<string> {
	const planned: Array<[UploadPlan, PlanConnection]> = [];
	for (const uri of uris) {
		planned.push(await planFile(s, uri));
	}
	return uploadPlansText(planned);
}

/**
 * The plan's text: of one file; of several, after Upload's own packaging question (more files than a package holds
 * are not asked about), of the package or of each file.
 */
async function planText(s: Services, uris: readonly vscode.Uri[]): Promise<string> {
	if (uris.length === 1) {
		const [plan, connection] = await planFile(s, uris[0]);
		return uploadPlanText(plan, connection);
	}
	const packaging = await import('../create/packageFlow.js');
	if (!(await packaging.choosePackaging(s, uris))) {
		return planEachFile(s, uris);
	}
	const [plan, connection] = await planPackage(s, uris, packaging);
	return uploadPlanText(plan, connection);
}

/** Opens the plan of the chosen file or the explorer's selected files; returns its editor. */
export async function showUploadCommands(s: Services, arg?: unknown, selection?: unknown): Promise<vscode.TextEditor> {
	const selected = urisFromSelection(selection);
	const dialog = {
		title: vscode.l10n.t('Select the firmware file whose upload commands to show'),
		openLabel: vscode.l10n.t('Show Commands'),
	};
	const uris = selected.length > 1 ? selected : [uriFromArg(arg) ?? (await pickFirmwareFile(s, dialog))];
	const text = await planText(s, uris);
	const fileNames = uris.map((uri) => path.posix.basename(uri.path));
	s.log.info(`[upload] Upload commands shown for ${fileNames.join(', ')}; nothing was uploaded or registered.`);
	return s.uploadCommands.show(fileNames, text);
}
