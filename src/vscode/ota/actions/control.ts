// Cancel…, Retry Failed and Confirm on a job, its task groups or chosen tasks: thin shells over the core's cancelJob,
// retryTasks and confirmJobTasks (which split the calls within the per-call limits).
import * as vscode from 'vscode';
import { formatCount } from '../../../core/format';
import type { BulkResult, CancelSpec, OtaJob, StatusCounts, TaskStatus } from '../../../core/lifecycle';
import type { Services } from '../../commands/services';
import type { ShellReason } from '../../errorWordingsShell';
import { PromptIds } from '../../ui/prompter';
import type { OtaConnection } from '../contract';
import { bulkTarget, otaRefFromArg, otaRefsFromArgs, type OtaRef } from '../nodes';
import { taskStatusLabel } from '../presentation';
import { cancelledError } from '../../../core/errors';
import { problemOf } from './inputs';
import { announceJob, placedConnection, placeOf, refused, resolveJobId } from './resolve';

type Core = typeof import('../../../core/lifecycle');

/** The states Cancel… offers, in the order of a task's life. */
const CANCELLABLE: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'];

interface CancelItem extends vscode.QuickPickItem {
	state?: TaskStatus;
	scheduled?: boolean;
	strategy?: boolean;
}

function cancelItems(job: OtaJob, counts: StatusCounts, locale: string): CancelItem[] {
	const items: CancelItem[] = CANCELLABLE.filter((state) => counts[state] > 0).map((state) => ({
		label: `${taskStatusLabel(state, vscode.l10n)} (${formatCount(counts[state], locale)})`,
		description: state === 'IN_PROGRESS' ? vscode.l10n.t('interrupts upgrades under way') : undefined,
		state,
	}));
	if (job.jobStatus === 'PLANNED') {
		items.push({ label: vscode.l10n.t('The scheduled batch'), description: vscode.l10n.t('the job does not start'), scheduled: true });
	}
	if (job.selectionType === 'DYNAMIC' && job.jobStatus === 'IN_PROGRESS') {
		items.push({
			label: vscode.l10n.t('Stop matching new devices'),
			description: vscode.l10n.t('the dynamic strategy; tasks already created go on unless chosen above'),
			strategy: true,
		});
	}
	return items;
}

function specOf(core: Core, chosen: readonly CancelItem[]): CancelSpec {
	const states = chosen.flatMap((item) => (item.state ? [item.state] : []));
	return {
		flags: core.cancelFlagsFor(
			states,
			chosen.some((item) => item.scheduled),
		),
		strategy: chosen.some((item) => item.strategy) || undefined,
	};
}

async function confirmCancel(s: Services, message: string, detail: string): Promise<void> {
	const yes = vscode.l10n.t('Cancel Tasks');
	if ((await s.prompter.message(PromptIds.cancelConfirm, 'warning', message, { modal: true, detail }, yes)) !== yes) {
		throw cancelledError('the cancel');
	}
}

/** The devices of the chosen task or device rows of one job, if the command was started on such rows. */
function chosenDevices(refs: readonly OtaRef[]): { jobId: string; deviceNames: string[] } | undefined {
	const named = refs.filter((ref) => ref.jobId && ref.deviceName);
	if (named.length === 0 || named.length !== refs.length || new Set(named.map((ref) => ref.jobId)).size > 1) {
		return undefined;
	}
	return { jobId: named[0].jobId as string, deviceNames: [...new Set(named.map((ref) => ref.deviceName as string))] };
}

export interface CancelResult {
	jobId: string;
	/** The actions called, in order. */
	calls: string[];
}

/** Cancel…: chosen tasks (their devices), or the job's tasks in the states picked with their counts. */
export async function cancelTasks(s: Services, arg?: unknown, selection?: unknown): Promise<CancelResult> {
	const refs = otaRefsFromArgs(arg, selection);
	const conn = await placedConnection(s, arg);
	const core = await import('../../../core/lifecycle/index.js');
	const devices = chosenDevices(refs);
	let jobId: string;
	let spec: CancelSpec;
	if (devices) {
		jobId = devices.jobId;
		spec = { deviceNames: devices.deviceNames };
		core.checkCancelSpec(spec);
		await confirmCancel(
			s,
			vscode.l10n.t('Cancel the unfinished task of {0} in job {1}?', devices.deviceNames.join(', '), jobId),
			vscode.l10n.t('A device already upgrading may still finish. Retry Failed runs a cancelled task again.'),
		);
	} else {
		const ref = otaRefFromArg(arg);
		jobId = await resolveJobId(s, conn, ref);
		spec = await askCancelStates(s, conn, core, jobId, ref.taskStatus);
	}
	const calls = await s.prompter.progress(PromptIds.otaProgress, vscode.l10n.t('Cancelling in job {0}…', jobId), (signal) =>
		core.cancelJob(conn.lifecycle, jobId, spec, signal),
	);
	s.log.info(`[cancel] Job ${jobId}: ${calls.join(', ')}.`);
	s.ota.view.refresh({ jobId });
	void s.prompter.message(PromptIds.info, 'info', vscode.l10n.t('Cancelled in job {0}.', jobId), {});
	return { jobId, calls };
}

async function askCancelStates(s: Services, conn: OtaConnection, core: Core, jobId: string, preselected?: TaskStatus): Promise<CancelSpec> {
	const monitor = new core.JobMonitor(conn.lifecycle, jobId);
	const { progress } = await monitor.refresh(true);
	const job = monitor.job as OtaJob;
	const locale = vscode.env.language;
	const items = cancelItems(job, progress.counts, locale);
	if (items.length === 0) {
		throw refused('NothingToCancel', 'no-unfinished-task', { jobId });
	}
	const result = await s.prompter.stepPick(PromptIds.cancelStates, items, {
		title: vscode.l10n.t('Cancel in job {0}', jobId),
		placeholder: vscode.l10n.t('Which tasks? (counts as of now)'),
		canPickMany: true,
		selected: (item) => item.state !== undefined && item.state === preselected,
		validate: (chosen) => problemOf(() => core.checkCancelSpec(specOf(core, chosen)), vscode.l10n),
	});
	if (result === undefined || result === 'back') {
		throw cancelledError('the cancel');
	}
	const chosen = result.value;
	const tasks = chosen.reduce((sum, item) => sum + (item.state ? progress.counts[item.state] : 0), 0);
	const question =
		tasks > 0
			? vscode.l10n.t('Cancel {0} tasks of job {1}?', formatCount(tasks, locale), jobId)
			: chosen.some((item) => item.scheduled)
				? vscode.l10n.t('Cancel the scheduled job {0}?', jobId)
				: vscode.l10n.t('Stop job {0} from matching new devices?', jobId);
	await confirmCancel(s, question, chosen.map((item) => item.label).join('\n'));
	return specOf(core, chosen);
}

interface BulkAction {
	/** The status whose tasks it acts on when none are chosen. */
	status: TaskStatus;
	run: (core: Core, conn: OtaConnection, jobId: string, taskIds: string[] | undefined, signal: AbortSignal) => Promise<BulkResult>;
	progress: (jobId: string) => string;
	none: (jobId: string) => string;
	/** None of the chosen tasks is in a status the action applies to. */
	noneChosen: ShellReason;
	done: (count: string, jobId: string) => string;
}

export interface BulkCommandResult {
	jobId: string;
	taskIds: string[];
}

/**
 * The chosen tasks of one job that are in an `allowed` status (rows, or plain task ids); with no task chosen, every task
 * of the job in `status`. A selection of several jobs, or of tasks and other rows, is refused.
 */
async function runBulk(
	s: Services,
	arg: unknown,
	selection: unknown,
	action: BulkAction,
	allowed: readonly TaskStatus[],
): Promise<BulkCommandResult> {
	const target = bulkTarget(otaRefsFromArgs(arg, selection), allowed); // a bad selection is refused before any credential question
	if (target.kind === 'mixed') {
		throw refused('MixedSelection', 'mixed-selection');
	}
	if (target.kind === 'noneQualify') {
		throw refused('NothingChosen', action.noneChosen);
	}
	const conn = await placedConnection(s, arg);
	const core = await import('../../../core/lifecycle/index.js');
	const jobId = target.kind === 'tasks' ? target.jobId : await resolveJobId(s, conn, otaRefFromArg(arg));
	const taskIds = target.kind === 'tasks' ? target.taskIds : undefined;
	if (target.kind === 'tasks' && target.leftOut > 0) {
		s.log.info(
			`[${action.status.toLowerCase()}] ${target.leftOut} chosen task(s) of job ${jobId} left out: not in ${allowed.join(' or ')}.`,
		);
	}
	const { done } = await s.prompter.progress(PromptIds.otaProgress, action.progress(jobId), (signal) =>
		action.run(core, conn, jobId, taskIds, signal),
	);
	s.log.info(`[${action.status.toLowerCase()}] Job ${jobId}: ${done.length} task(s) ${done.join(', ')}.`);
	if (done.length === 0) {
		void s.prompter.message(PromptIds.bulkDone, 'info', action.none(jobId), {});
	} else {
		const ref = otaRefFromArg(arg);
		void announceJob(s, PromptIds.bulkDone, action.done(formatCount(done.length, vscode.env.language), jobId), {
			...ref,
			jobId,
			...placeOf(arg),
			afterRerun: true,
		});
	}
	s.ota.view.refresh({ jobId });
	return { jobId, taskIds: done };
}

/** Retry Failed: ReupgradeOTATask for the chosen failed or cancelled tasks, or every failed task of the job. */
export function retryFailed(s: Services, arg?: unknown, selection?: unknown): Promise<BulkCommandResult> {
	return runBulk(
		s,
		arg,
		selection,
		{
			status: 'FAILED',
			run: (core, conn, jobId, taskIds, signal) => core.retryTasks(conn.lifecycle, jobId, taskIds, signal),
			progress: (jobId) => vscode.l10n.t('Retrying in job {0}…', jobId),
			none: (jobId) => vscode.l10n.t('Job {0} has no failed task to retry.', jobId),
			noneChosen: 'nothing-to-retry',
			done: (count, jobId) => vscode.l10n.t('Retrying {0} tasks of job {1}.', count, jobId),
		},
		['FAILED', 'CANCELED'],
	);
}

/** Confirm: ConfirmOTATask for the chosen tasks, or every task of the job waiting for confirmation. */
export function confirmTasks(s: Services, arg?: unknown, selection?: unknown): Promise<BulkCommandResult> {
	return runBulk(
		s,
		arg,
		selection,
		{
			status: 'CONFIRM',
			run: (core, conn, jobId, taskIds, signal) => core.confirmJobTasks(conn.lifecycle, jobId, taskIds, signal),
			progress: (jobId) => vscode.l10n.t('Confirming in job {0}…', jobId),
			none: (jobId) => vscode.l10n.t('Job {0} has no task waiting for confirmation.', jobId),
			noneChosen: 'nothing-to-confirm',
			done: (count, jobId) => vscode.l10n.t('Confirmed {0} tasks of job {1}.', count, jobId),
		},
		['CONFIRM'],
	);
}
