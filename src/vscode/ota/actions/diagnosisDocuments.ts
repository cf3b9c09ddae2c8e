// The detail view of Diagnose: read-only Markdown documents (a content provider of DIAGNOSIS_SCHEME) with the fixes of
// each finding as CodeLenses above its heading. Registered at activation; it holds only what Diagnose put in it.
import * as vscode from 'vscode';
import type { Diagnosis, OtaJob, OtaTask } from '../../../core/lifecycle';
import { printableLabel } from '../../ui/printableLabel';
import { Commands, DIAGNOSIS_SCHEME } from '../../constants';
import type { OtaPlace } from '../contract';
import { FIX_COMMANDS, fixesFor, fixLink, type RenderedReport } from './diagnosisReport';

/** A task hover's fixes and "Diagnose…" as command links, at the task row's `place`; only the fix commands are trusted. */
export function appendFixLinks(
	md: vscode.MarkdownString,
	task: OtaTask,
	diagnosis: Diagnosis | undefined,
	job: Pick<OtaJob, 'jobId' | 'firmwareId'> | undefined,
	place?: OtaPlace,
): vscode.MarkdownString {
	const jobId = task.jobId ?? job?.jobId;
	if (!jobId) {
		return md;
	}
	const fixes = [
		...(diagnosis ? fixesFor(task, diagnosis, job, undefined, vscode.l10n, place) : []),
		{
			title: vscode.l10n.t('Diagnose…'),
			command: Commands.diagnose,
			arg: { jobId, deviceName: task.deviceName, ...(place ? { place } : {}) },
		},
	];
	md.isTrusted = { enabledCommands: [...FIX_COMMANDS] };
	md.appendMarkdown(`\n\n${fixes.map(fixLink).join(' · ')}`);
	return md;
}

export class DiagnosisDocuments implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
	private readonly reports = new Map<string, RenderedReport>();
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	readonly onDidChange = this.changed.event;
	private readonly lensesChanged = new vscode.EventEmitter<void>();
	readonly onDidChangeCodeLenses = this.lensesChanged.event;
	private readonly registrations: vscode.Disposable[];

	constructor() {
		this.registrations = [
			vscode.workspace.registerTextDocumentContentProvider(DIAGNOSIS_SCHEME, this),
			vscode.languages.registerCodeLensProvider({ scheme: DIAGNOSIS_SCHEME }, this),
		];
	}

	/** The document of a job's (or one device's) diagnosis; showing it again shows the new report. */
	uriFor(jobId: string, deviceName?: string): vscode.Uri {
		const name = deviceName ? `${jobId}-${deviceName}` : jobId;
		return vscode.Uri.from({ scheme: DIAGNOSIS_SCHEME, path: `/${vscode.l10n.t('Diagnosis')} ${name.replace(/[^\w.-]/g, '_')}.md` });
	}

	async show(uri: vscode.Uri, report: RenderedReport): Promise<vscode.TextEditor> {
		this.reports.set(uri.toString(), report);
		this.changed.fire(uri);
		this.lensesChanged.fire();
		const document = await vscode.workspace.openTextDocument(uri);
		return vscode.window.showTextDocument(document, { preview: true });
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.reports.get(uri.toString())?.markdown ?? vscode.l10n.t('This diagnosis is no longer available: run Diagnose again.');
	}

	provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
		const report = this.reports.get(document.uri.toString());
		return (report?.lenses ?? []).flatMap(({ line, fixes }) =>
			fixes.map(
				(fix) =>
					new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
						title: printableLabel(`$(wrench) ${fix.title}`),
						command: fix.command,
						arguments: [fix.arg],
					}),
			),
		);
	}

	dispose(): void {
		vscode.Disposable.from(...this.registrations, this.changed, this.lensesChanged).dispose();
	}
}
