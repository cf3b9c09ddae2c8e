// The core's doctor report as Markdown (the Diagnose detail view) and the fixes each finding offers as commands (its
// CodeLenses there, the links of a task's hover). Pure: `l10n` is vscode.l10n in the extension, plainL10n in tests.
import type { l10n } from 'vscode';
import type { Diagnosis, DiagnosisInput, DiagnosisValues, DoctorReport, Finding, OtaJob, OtaTask } from '../../../core/lifecycle';
import { escapeMarkdownSource } from '../../../core/format';
import { printableLines } from '../../../core/printable';
import type { Translator } from '../../upload/progressFormat';
import { Commands } from '../../constants';
import { diagnosisText } from '../diagnosisText';
import type { OtaPlace } from '../contract';
import type { OtaRef } from '../nodes';
import { jobStatusLabel, jobTypeLabel, taskStatusLabel } from '../presentation';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export interface Fix {
	title: string;
	command: string;
	/**
	 * The command's one argument: plain ids (otaRefFromArg reads them) and, for a job diagnosed under a connection row of
	 * the OTA Packages view, its place (the fix acts through the connection the diagnosis read).
	 */
	arg: OtaRef & { place?: OtaPlace };
}

/** The commands a fix may run (a hover's trusted command links). */
export const FIX_COMMANDS: readonly string[] = [
	Commands.registerImageVersion,
	Commands.retryFailed,
	Commands.cancelTasks,
	Commands.confirmTasks,
	Commands.diagnose,
];

const RETRIED = new Set(['timeout', 'download-failed', 'checksum-failed', 'flash-failed', 'device-failed', 'busy-elsewhere', 'cancelled']);
const CANCELLED = new Set(['never-reports', 'no-timeout', 'no-version-after-100', 'queued', 'offline', 'not-pulled']);

/** The fixes of a diagnosed task, as commands; `version` is what the device reports now; `place`: where it was read. */
export function fixesFor(
	task: OtaTask,
	diagnosis: Diagnosis,
	job: Pick<OtaJob, 'jobId' | 'firmwareId'> | undefined,
	version: string | undefined,
	l10n: Translator,
	place?: OtaPlace,
): Fix[] {
	return taskFixes(task, diagnosis, job, version, l10n).map((fix) => ({ ...fix, arg: { ...fix.arg, ...(place ? { place } : {}) } }));
}

function taskFixes(
	task: OtaTask,
	diagnosis: Diagnosis,
	job: Pick<OtaJob, 'jobId' | 'firmwareId'> | undefined,
	version: string | undefined,
	l10n: Translator,
): Fix[] {
	const jobId = task.jobId ?? job?.jobId;
	const firmwareId = task.firmwareId ?? job?.firmwareId;
	if (!jobId) {
		return [];
	}
	const taskRef: OtaRef = { jobId, taskId: task.taskId, taskStatus: task.status, deviceName: task.deviceName };
	if (diagnosis.code === 'version-mismatch') {
		return version && firmwareId
			? [
					{
						title: l10n.t("Register with the image's version ({0})", version),
						command: Commands.registerImageVersion,
						arg: { firmwareId, destVersion: version, jobId },
					},
				]
			: [];
	}
	if (diagnosis.code === 'waiting-confirm') {
		return [{ title: l10n.t('Confirm'), command: Commands.confirmTasks, arg: taskRef }];
	}
	if (RETRIED.has(diagnosis.code)) {
		return [{ title: l10n.t('Retry'), command: Commands.retryFailed, arg: taskRef }];
	}
	if (CANCELLED.has(diagnosis.code)) {
		return [{ title: l10n.t('Cancel'), command: Commands.cancelTasks, arg: { jobId, deviceName: task.deviceName } }];
	}
	return [];
}

/** `command:` link of a fix (a trusted MarkdownString runs it). */
export function fixLink(fix: Fix): string {
	return `[${escapeMarkdownSource(fix.title)}](command:${fix.command}?${encodeURIComponent(JSON.stringify([fix.arg]))})`;
}

export interface RenderedReport {
	markdown: string;
	/** Per finding with fixes: the 0-based line of its heading, where its CodeLenses go. */
	lenses: Array<{ line: number; fixes: Fix[] }>;
}

/** The core's diagnosisValues, passed in: this module loads with the extension, the core's lifecycle on first use. */
export type ValuesOf = (input: DiagnosisInput) => DiagnosisValues;

function findingLines(finding: Finding, job: OtaJob, l10n: Translator, valuesOf: ValuesOf): string[] {
	const { task, device, unfinished } = finding;
	const diagnosis = finding.diagnosis && diagnosisText(finding.diagnosis, valuesOf({ task, job, device, unfinished }), l10n);
	const lines = [`## ${escapeMarkdownSource(task.deviceName)} — ${taskStatusLabel(task.status, l10n)}`, ''];
	lines.push(
		`- **${l10n.t('Task')}** ${escapeMarkdownSource(task.taskId)}${task.taskDesc ? ` · ${escapeMarkdownSource(task.taskDesc)}` : ''}`,
	);
	if (task.srcVersion || task.destVersion) {
		lines.push(`- **${l10n.t('Versions')}** ${escapeMarkdownSource(`${task.srcVersion ?? '?'} → ${task.destVersion ?? '?'}`)}`);
	}
	if (device) {
		const state = [device.status, device.version ? l10n.t('reports {0}', device.version) : undefined].filter(Boolean).join(', ');
		lines.push(`- **${l10n.t('Device')}** ${escapeMarkdownSource(state)}`);
	}
	if (diagnosis) {
		lines.push(
			`- **${l10n.t('Cause')}** ${escapeMarkdownSource(diagnosis.cause)}`,
			`- **${l10n.t('Fix')}** ${escapeMarkdownSource(diagnosis.fix)}`,
		);
	} else {
		lines.push(`- ${l10n.t('No problem found.')}`);
	}
	lines.push('');
	return lines;
}

/** The detail view of Diagnose: a heading for the job, then one section per examined task. */
export function renderReport(
	report: DoctorReport,
	deviceName: string | undefined,
	l10n: Translator,
	valuesOf: ValuesOf,
	place?: OtaPlace,
): RenderedReport {
	const { job } = report;
	const lines = [
		`# ${l10n.t('Diagnosis of job {0}', escapeMarkdownSource(job.jobId))}`,
		'',
		`${jobTypeLabel(job, l10n)} · ${jobStatusLabel(job.jobStatus, l10n)} · ${l10n.t('to version {0}', escapeMarkdownSource(job.destVersion ?? '?'))}${job.firmwareId ? ` · FirmwareId ${escapeMarkdownSource(job.firmwareId)}` : ''}`,
		'',
	];
	if (report.findings.length === 0) {
		lines.push(
			deviceName
				? l10n.t('Device {0} has no task in this job.', escapeMarkdownSource(deviceName))
				: l10n.t('No failed or stuck task.'),
			'',
		);
	}
	const lenses: RenderedReport['lenses'] = [];
	for (const finding of report.findings) {
		const fixes = finding.diagnosis ? fixesFor(finding.task, finding.diagnosis, job, finding.device?.version, l10n, place) : [];
		if (fixes.length > 0) {
			lenses.push({ line: lines.length, fixes });
		}
		lines.push(...findingLines(finding, job, l10n, valuesOf));
	}
	if (report.notExamined > 0) {
		lines.push(l10n.t('{0} more failed or open tasks were not examined.', report.notExamined), '');
	}
	// A document of server text: printable, and no lone CR or separator in a task description moves a line under its lens.
	return { markdown: printableLines(lines.join('\n')), lenses };
}
