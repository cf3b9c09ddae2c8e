// Why a task failed or is stuck, as one line of cause and one of fix. The evidence: the task's TaskDesc, Progress and
// timeout, the version its device reports now, the device's online state and its unfinished tasks in other jobs.
// The known TaskDesc texts and device steps are those of docs/protocols.md §12.4; this table is the one place
// that knows them.
import type { OtaJob, OtaTask } from './types';

export interface DiagnosisInput {
	task: OtaTask;
	job?: Pick<OtaJob, 'jobId' | 'destVersion' | 'timeoutInMinutes' | 'needPush'>;
	/** The device's state now; version = what it reports for the task's module. */
	device?: { status?: string; version?: string };
	/** The device's CONFIRM/QUEUED/NOTIFIED/IN_PROGRESS tasks (any job). */
	unfinished?: readonly OtaTask[];
	/** Epoch ms, to tell a stuck task from a slow one. */
	now?: number;
	/** A non-terminal task unchanged for longer than this is stuck (default DIAGNOSIS_DEFAULTS.stuckAfterMs). */
	stuckAfterMs?: number;
}

export const DIAGNOSIS_DEFAULTS = {
	/** An open task unchanged this long counts as stuck. */
	stuckAfterMs: 30 * 60_000,
} as const;

export interface Diagnosis {
	/** Stable id of the cause, e.g. "version-mismatch". */
	code: string;
	cause: string;
	fix: string;
}

interface Facts {
	input: DiagnosisInput;
	task: OtaTask;
	jobId: string;
	dest: string;
	desc: string;
	version?: string;
	elsewhere?: OtaTask;
	stale: boolean;
}

interface KnownCause {
	code: string;
	applies(f: Facts): boolean;
	explain(f: Facts): Omit<Diagnosis, 'code'>;
}

const failed = (f: Facts): boolean => f.task.status === 'FAILED';
const descIs = (pattern: RegExp) => (f: Facts) => failed(f) && pattern.test(f.desc);
const quoted = (f: Facts): string => (f.desc ? ` ("${f.desc}")` : '');
const retryFix = (f: Facts): string => `iot-ota retry ${f.jobId} --tasks ${f.task.taskId}`;

/** Checked in order; the first that applies explains the task. */
export const KNOWN_CAUSES: readonly KnownCause[] = [
	{
		code: 'version-mismatch',
		applies: (f) =>
			failed(f) &&
			(/not conform|版本.*不一致/i.test(f.desc) ||
				(f.version !== undefined && f.version !== f.dest && f.version !== f.task.srcVersion)),
		explain: (f) => ({
			cause: f.version
				? `the device reports ${f.version}: the image's version differs from DestVersion ${f.dest}`
				: `the device reported a version that is neither its old version nor DestVersion ${f.dest}`,
			fix: 'rebuild the image with that version, or register the package with the version the image reports',
		}),
	},
	{
		code: 'timeout',
		applies: descIs(/time ?out|超时/i),
		explain: (f) => ({
			cause:
				`no DestVersion ${f.dest} report within the ${f.task.timeout ?? f.input.job?.timeoutInMinutes ?? '?'}-minute timeout after the first progress` +
				(f.version && f.version === f.task.srcVersion ? `; the device still reports ${f.version}` : ''),
			fix: 'check that the new image boots and reports its version at start-up (/ota/device/inform); raise --timeout for slow downloads',
		}),
	},
	{
		code: 'download-failed',
		applies: descIs(/download|下载|-2\b/i),
		explain: (f) => ({
			cause: `the device could not download the package${quoted(f)}`,
			fix: `check the device's network, DNS and TLS access to OSS and its free storage, then ${retryFix(f)}`,
		}),
	},
	{
		code: 'checksum-failed',
		applies: descIs(/checksum|digest|md5|sha-?256|sign|校验|-3\b/i),
		explain: (f) => ({
			cause: `the downloaded file did not match the package's digest${quoted(f)}`,
			fix: `check the device's download buffer and sign method; if it persists, upload and register the package again`,
		}),
	},
	{
		code: 'flash-failed',
		applies: descIs(/burn|flash|write|烧|写入|-4\b/i),
		explain: (f) => ({
			cause: `the device could not write the image to flash${quoted(f)}`,
			fix: 'check that the image fits the OTA partition and is built for this board',
		}),
	},
	{
		code: 'busy-elsewhere',
		applies: (f) => failed(f) && f.elsewhere !== undefined,
		explain: (f) => ({
			cause: `the device already had an unfinished task in job ${f.elsewhere?.jobId} (${f.elsewhere?.status}), so this one failed`,
			fix: `cancel that task (iot-ota cancel ${f.elsewhere?.jobId} --devices ${f.task.deviceName}) and retry, or roll out with --overwrite`,
		}),
	},
	{
		code: 'cancelled',
		applies: (f) => f.task.status === 'CANCELED',
		explain: (f) => ({ cause: `the task was cancelled${quoted(f)}`, fix: `${retryFix(f)} runs it again` }),
	},
	{
		code: 'rolled-back',
		applies: (f) => f.task.status === 'SUCCEEDED' && f.version !== undefined && f.version !== f.dest,
		explain: (f) => ({
			cause: `the task succeeded but the device now reports ${f.version}: it went back from ${f.dest} (a crash loop or a rollback?)`,
			fix: 'check the new image for crashes after boot; the bootloader reverted it',
		}),
	},
	{
		code: 'waiting-confirm',
		applies: (f) => f.task.status === 'CONFIRM',
		explain: (f) => ({
			cause: 'the task waits for confirmation (the batch needs confirming)',
			fix: `iot-ota confirm ${f.jobId} --tasks ${f.task.taskId}`,
		}),
	},
	{
		code: 'offline',
		applies: (f) => f.task.status === 'QUEUED' && /OFFLINE|UNACTIVE|DISABLE/.test(f.input.device?.status ?? ''),
		explain: (f) => ({
			cause: `the device is ${f.input.device?.status?.toLowerCase()}: the task waits until it connects`,
			fix: 'bring the device online; the platform pushes the package when it connects',
		}),
	},
	{
		code: 'not-pulled',
		applies: (f) => f.task.status === 'QUEUED' && f.input.job?.needPush === false,
		explain: () => ({
			cause: 'the batch does not push (NeedPush off) and the device has not asked for the package',
			fix: 'let the device request it (thing/ota/firmware/get), or roll out again with push enabled',
		}),
	},
	{
		code: 'never-reports',
		applies: (f) => f.task.status === 'NOTIFIED' && f.stale,
		explain: (f) => ({
			cause: 'the device was notified but never reported progress, so the timeout never starts and the platform keeps pushing',
			fix: `make the device report progress (step ≥ 0) when it gets the push, or cancel it (iot-ota cancel ${f.jobId} --devices ${f.task.deviceName})`,
		}),
	},
	{
		code: 'no-version-after-100',
		applies: (f) => f.task.status === 'IN_PROGRESS' && Number(f.task.progress) >= 100 && f.stale,
		explain: (f) => ({
			cause: `the device finished (100 %) but never reported DestVersion ${f.dest}${f.version ? `; it reports ${f.version}` : ''}`,
			fix: 'the new image must report its version at start-up (/ota/device/inform); check that it boots',
		}),
	},
	{
		code: 'no-timeout',
		applies: (f) => f.task.status === 'IN_PROGRESS' && f.stale && !f.task.timeout && f.input.job?.timeoutInMinutes === undefined,
		explain: (f) => ({
			cause: `stuck at ${f.task.progress ?? '0'} % with no timeout set, so the task stays open until the device reports`,
			fix: `cancel it (iot-ota cancel ${f.jobId} --in-progress) and roll out with --timeout`,
		}),
	},
	{
		code: 'queued',
		applies: (f) => f.task.status === 'QUEUED' && f.stale,
		explain: () => ({
			cause: 'still queued: the batch is scheduled, rate-limited (--rate), or the device has not been reached',
			fix: 'wait, or check the batch schedule and push rate with iot-ota watch',
		}),
	},
	{
		code: 'device-failed',
		applies: failed,
		explain: (f) => ({
			cause: `the device reported a failure${quoted(f)}`,
			fix: `see the device's log, fix the cause, then ${retryFix(f)}`,
		}),
	},
];

/** True when both creation times are known and `a` was created after `b`. */
function createdAfter(a: OtaTask, b: OtaTask): boolean {
	return a.utcCreate !== undefined && b.utcCreate !== undefined && Date.parse(a.utcCreate) > Date.parse(b.utcCreate);
}

function factsOf(input: DiagnosisInput): Facts {
	const { task } = input;
	const modified = task.utcModified ? Date.parse(task.utcModified) : Number.NaN;
	return {
		input,
		task,
		jobId: task.jobId ?? input.job?.jobId ?? '<JobId>',
		dest: task.destVersion ?? input.job?.destVersion ?? '?',
		desc: (task.taskDesc ?? '').trim(),
		version: input.device?.version,
		elsewhere: input.unfinished?.find((other) => other.jobId !== undefined && other.jobId !== task.jobId && !createdAfter(other, task)),
		stale:
			input.now === undefined || Number.isNaN(modified)
				? false
				: input.now - modified > (input.stuckAfterMs ?? DIAGNOSIS_DEFAULTS.stuckAfterMs),
	};
}

/** The cause of a failed, cancelled, rolled-back or stuck task; undefined when the task looks healthy. */
export function diagnose(input: DiagnosisInput): Diagnosis | undefined {
	const facts = factsOf(input);
	const known = KNOWN_CAUSES.find((cause) => cause.applies(facts));
	return known ? { code: known.code, ...known.explain(facts) } : undefined;
}

/**
 * The values a diagnosis's cause and fix are made of, so that a shell can word them in its own language by the
 * diagnosis's code (the extension's zh-cn); the English of `diagnose` stays the CLI's.
 */
export interface DiagnosisValues {
	jobId: string;
	taskId: string;
	deviceName: string;
	dest: string;
	/** The task's TaskDesc ('' when none). */
	desc: string;
	srcVersion?: string;
	/** What the device reports now. */
	version?: string;
	/** The task's timeout in minutes ('?' when unknown). */
	timeout: string;
	/** The task's progress in % ('0' when none). */
	progress: string;
	deviceStatus?: string;
	/** The device's unfinished task in another job (busy-elsewhere). */
	elsewhere?: { jobId: string; status: string };
}

export function diagnosisValues(input: DiagnosisInput): DiagnosisValues {
	const f = factsOf(input);
	return {
		jobId: f.jobId,
		taskId: f.task.taskId,
		deviceName: f.task.deviceName,
		dest: f.dest,
		desc: f.desc,
		srcVersion: f.task.srcVersion,
		version: f.version,
		timeout: String(f.task.timeout ?? input.job?.timeoutInMinutes ?? '?'),
		progress: String(f.task.progress ?? '0'),
		deviceStatus: input.device?.status,
		elsewhere: f.elsewhere?.jobId ? { jobId: f.elsewhere.jobId, status: f.elsewhere.status } : undefined,
	};
}

/** "cause — fix" on one line. */
export function diagnosisLine(diagnosis: Diagnosis): string {
	return `${diagnosis.cause} — ${diagnosis.fix}`;
}
