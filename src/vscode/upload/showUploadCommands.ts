// "Show Upload Commands…": what Upload Firmware would send for the file (the CLI's `iot-ota upload FILE --dry-run`),
// planned by the core (core/flow/uploadPlan.ts) and rendered by the one renderer both shells use
// (core/flow/uploadPlanText.ts), opened as a read-only document. No request is sent: without a registration there is no
// same-content lookup, and no upload ticket is requested (docs/protocols.md §13.7).
import path from 'node:path';
import * as vscode from 'vscode';
import { prepareUpload } from '../../core/flow/preflight';
import type { PreparedFlow } from '../../core/flow/prepare';
import { planUpload } from '../../core/flow/uploadPlan';
import { uploadPlanText } from '../../core/flow/uploadPlanText';
import { uriFromArg } from '../commands/args';
import type { Services } from '../commands/services';
import { createIotClient, requireAccount } from '../credentials/client';
import { localFileFor } from './fileAccess';
import { checkImage, chooseSuffix } from './imageChecks';
import { pickFirmwareFile } from './uploadFlow';

/** The upload's own pre-flight and suffix question for the file: what its plan starts from. */
async function prepareFile(s: Services, uri: vscode.Uri): Promise<PreparedFlow> {
	const fileName = path.posix.basename(uri.path);
	const local = await localFileFor(uri);
	try {
		const checked = await checkImage(s, local, fileName);
		const prepared = prepareUpload(checked, await chooseSuffix(s, checked.inferredSuffix, fileName));
		for (const warning of prepared.warnings) {
			s.log.warn(`[upload] ${warning}`);
		}
		// A copy of a non-file resource is gone once checked: the curl line names the resource's path instead.
		return { ...prepared, filePath: local.copied ? uri.path : local.path };
	} finally {
		await local.dispose();
	}
}

/** Opens the plan of the chosen file (the explorer's selection: each selected file in turn) as text; returns its editor. */
export async function showUploadCommands(s: Services, arg?: unknown, selection?: unknown): Promise<vscode.TextEditor> {
	const selected = Array.isArray(selection) ? selection.filter((item): item is vscode.Uri => item instanceof vscode.Uri) : [];
	const uris = selected.length > 1 ? selected : [uriFromArg(arg) ?? (await pickFirmwareFile(s))];
	const prepared: PreparedFlow[] = [];
	for (const uri of uris) {
		prepared.push(await prepareFile(s, uri));
	}
	// The account's connection (region, endpoint, instance) goes into the aliyun lines; its client is not called.
	const { client, connection } = await createIotClient(s, await requireAccount(s), uris[0]);
	const plans = await Promise.all(prepared.map((file) => planUpload(client, file)));
	const content = plans.map((plan) => uploadPlanText(plan, connection)).join('\n');
	const fileNames = uris.map((uri) => path.posix.basename(uri.path));
	s.log.info(`[upload] Upload commands shown for ${fileNames.join(', ')}; nothing was sent.`);
	return s.uploadCommands.show(fileNames, content);
}
