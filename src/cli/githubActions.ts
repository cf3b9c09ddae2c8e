// GitHub Actions awareness, where it costs little: with GITHUB_ACTIONS set, failures also become `::error::`
// annotations (on stderr, so a --json stdout stays one object) and upload/watch append a short Markdown summary to
// the file named by GITHUB_STEP_SUMMARY.
import { escapeMarkdown, markdownCode } from '../core/format';
import { printable } from '../core/printable';
import { OPEN_FOR_APPENDING, openChecked } from '../core/safeFile';
import type { OutputStream } from './io';

export function inGitHubActions(env: NodeJS.ProcessEnv): boolean {
	return Boolean(env.GITHUB_ACTIONS);
}

/** Workflow-command data escaping: %, CR and LF. */
export function escapeAnnotation(text: string): string {
	return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function annotateError(env: NodeJS.ProcessEnv, stream: OutputStream, message: string): void {
	if (inGitHubActions(env)) {
		stream.write(`::error::${escapeAnnotation(printable(message))}\n`);
	}
}

/** Appends `markdown` to $GITHUB_STEP_SUMMARY when running in GitHub Actions; a failure to write is only a warning. */
export async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string, warn: (message: string) => void): Promise<void> {
	const file = env.GITHUB_STEP_SUMMARY;
	if (!inGitHubActions(env) || !file) {
		return;
	}
	try {
		// Never blocking in open() (a FIFO without a reader fails at once), and only ever a regular file.
		const { handle, stats } = await openChecked(file, OPEN_FOR_APPENDING);
		try {
			if (!stats.isFile()) {
				throw new Error(`${file} is not a regular file`);
			}
			await handle.appendFile(markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
		} finally {
			await handle.close().catch(() => undefined);
		}
	} catch (error) {
		warn(`could not write the GitHub step summary: ${(error as Error).message}`);
	}
}

/** Outside text as a Markdown table cell: one line, and every character Markdown acts on escaped (no link, no pipe). */
export function cell(text: string | number | undefined): string {
	return escapeMarkdown(printable(String(text ?? '')));
}

/**
 * Outside text as a code span in a table cell: a code span takes no escape, but GFM splits cells at `|` before code, and
 * reads `\\` as an escaped backslash there, so the backslashes before a pipe are doubled before it is escaped.
 */
function codeCell(text: string): string {
	return markdownCode(printable(text)).replace(/(\\*)\|/g, '$1$1\\|');
}

/** The summary of an upload (the hook `upload` calls after success). */
export function uploadStepSummary(result: {
	fileName: string;
	size: number;
	md5: string;
	firmwareUrl: string;
	firmwareId?: string;
	inserted?: { file: string; path: string };
}): string {
	// Each value is Markdown already: outside text escaped (cell) or a code span (codeCell).
	const rows = [
		['File', cell(result.fileName)],
		['Size', cell(`${result.size} bytes`)],
		['MD5', codeCell(result.md5)],
		['FirmwareUrl', cell(result.firmwareUrl)],
		...(result.firmwareId ? [['FirmwareId', codeCell(result.firmwareId)]] : []),
		...(result.inserted ? [['Written to', `${cell(result.inserted.file)} at ${codeCell(result.inserted.path)}`]] : []),
	];
	return ['### iot-ota upload', '', '| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`), ''].join('\n');
}

/** The summary of a watched job: counts, the guard's verdict, the first failures with their diagnosis. */
export function watchStepSummary(end: {
	jobId: string;
	outcome: string;
	exitCode: number;
	counts?: { total: number; succeeded: number; failed: number; canceled: number; unfinished: number };
	guard?: string;
	failures: ReadonlyArray<{ deviceName: string; taskId: string; cause?: string; fix?: string }>;
}): string {
	// Code spans take no escape: a backtick in a JobId or TaskId shows as "?" (markdownCode) and cannot end one.
	const lines = [`### iot-ota watch: job ${markdownCode(printable(end.jobId))} ${end.outcome} (exit ${end.exitCode})`, ''];
	if (end.counts) {
		const c = end.counts;
		lines.push('| succeeded | failed | canceled | open | total |', '|---|---|---|---|---|');
		lines.push(`| ${c.succeeded} | ${c.failed} | ${c.canceled} | ${c.unfinished} | ${c.total} |`, '');
	}
	if (end.guard) {
		lines.push(`Guard: ${cell(end.guard)}`, '');
	}
	if (end.failures.length > 0) {
		lines.push('| device | task | cause | fix |', '|---|---|---|---|');
		lines.push(...end.failures.map((f) => `| ${cell(f.deviceName)} | ${codeCell(f.taskId)} | ${cell(f.cause)} | ${cell(f.fix)} |`), '');
	}
	return lines.join('\n');
}
