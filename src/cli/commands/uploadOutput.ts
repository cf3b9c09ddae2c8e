// What `iot-ota upload` prints: the JSON object, the text summary (what the extension shows in its Uploads view), the
// GitHub Actions step summary, and what had succeeded before a failing step.
import path from 'node:path';
import type { FlowResult } from '../../core/flow';
import { formatBytes, formatDuration } from '../../core/format';
import { printable } from '../../core/printable';
import { appendStepSummary, uploadStepSummary } from '../githubActions';
import type { CliContext, CompletedSteps, SafeOutput } from '../io';
import type { UploadOutcome } from './upload';

export function uploadJson(result: FlowResult): Record<string, unknown> {
	const { upload, record, created } = result;
	// A reused package's URL is not this upload's object: the object's own fields would contradict it.
	const object = upload && !created?.reused ? upload : undefined;
	const body: Record<string, unknown> = {
		firmwareUrl: record.firmwareUrl,
		...(object ? { key: object.key, host: object.host, suffix: object.suffix } : {}),
		size: record.size,
		md5: record.md5,
		sha256: record.sha256,
		...(object ? { utcCreate: object.utcCreate ?? null } : {}),
	};
	if (created) {
		body.firmwareId = created.firmwareId;
		if (created.reused) {
			Object.assign(body, {
				reused: true,
				firmwareName: created.firmwareName,
				destVersion: record.destVersion,
				uploaded: Boolean(upload),
			});
		} else if (created.adopted) {
			body.adopted = true;
		}
	}
	if (result.inserted) {
		body.inserted = { file: result.inserted.file, path: result.inserted.path };
	}
	return body;
}

/** The run's record, as text (what the extension shows in its Uploads view). */
export function uploadSummary(outcome: UploadOutcome): string {
	const { upload, created, inserted, record } = outcome.result;
	const lines = [
		upload
			? `Uploaded ${record.fileName} (${formatBytes(record.size)}) in ${formatDuration(upload.durationMs)}` +
				(upload.attempts > 1 ? ` after ${upload.attempts} attempts` : '')
			: `Not uploaded: ${record.fileName} (${formatBytes(record.size)}) is already registered with the same product, version and content (--force-new uploads it anyway)`,
		`  FirmwareUrl: ${record.firmwareUrl}`,
		`  MD5:         ${record.md5}`,
		`  SHA-256:     ${record.sha256}`,
	];
	if (created) {
		lines.push(registrationLine(outcome.result));
	}
	if (inserted) {
		lines.push(`Wrote the FirmwareUrl to ${inserted.file} at ${inserted.path}`);
	}
	// One printable line each: a line break in a file name or a FirmwareName cannot forge a line of the summary.
	return `${lines.map(printable).join('\n')}\n`;
}

/** What the registration step did: registered, found this FirmwareUrl registered already, or took a package of the same content. */
export function registrationLine({ created, record }: Pick<FlowResult, 'created' | 'record'>): string {
	return created?.reused
		? `Reused "${record.firmwareName}" (FirmwareId ${record.firmwareId}, version ${record.destVersion}); no second package was registered`
		: created?.adopted
			? `Already registered as "${record.firmwareName}" (FirmwareId ${record.firmwareId}); no second registration was created`
			: `Registered "${record.firmwareName}" (FirmwareId ${record.firmwareId})`;
}

/** The GitHub Actions step summary of a finished upload (nothing outside GitHub Actions). */
export async function appendUploadStepSummary(ctx: CliContext, out: SafeOutput, outcome: UploadOutcome): Promise<void> {
	const { record, created, inserted } = outcome.result;
	const summary = uploadStepSummary({
		fileName: path.basename(outcome.prepared.filePath),
		size: record.size,
		md5: record.md5 ?? '',
		firmwareUrl: record.firmwareUrl ?? '',
		firmwareId: created?.firmwareId,
		inserted,
	});
	await appendStepSummary(ctx.env, summary, (message) => out.err(`warning: ${message}\n`));
}

/**
 * What had succeeded when a later step failed (SafeOutput.fail reports it), or undefined when nothing had; an upload left
 * unregistered comes with the line that registers it (`registerCommand`, given its FirmwareUrl).
 */
export function completedBeforeFailure(
	soFar: Partial<FlowResult>,
	registerCommand?: (firmwareUrl: string) => string,
): CompletedSteps | undefined {
	const { record } = soFar;
	if (!record?.firmwareUrl) {
		return undefined;
	}
	const unregistered = !record.firmwareId && !record.reused;
	return {
		firmwareUrl: record.firmwareUrl,
		...(record.firmwareId ? { firmwareId: record.firmwareId } : {}),
		...(record.reused ? { reused: true as const, uploaded: Boolean(soFar.upload) } : {}),
		...(unregistered && registerCommand ? { registerCommand: registerCommand(record.firmwareUrl) } : {}),
	};
}
