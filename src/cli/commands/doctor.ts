import { formatSpan } from '../../core/format';
import { checkDoctorOptions, DIAGNOSIS_DEFAULTS, DOCTOR_DEFAULTS, doctorJob, type Finding } from '../../core/lifecycle';
import { printable } from '../../core/printable';
import { booleanFlag, stringFlag, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, forFlag, idArgument, VERBOSE_FLAG } from '../lifecycleArgs';

export const DOCTOR_SPEC: CommandSpec = {
	name: 'doctor',
	summary: "Explain a job's failed and stuck tasks: the cause and the fix, from the task, the device and its other tasks.",
	synopsis: '<JobId> [--device dn] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [{ name: 'device', type: 'string', value: 'dn', description: "Only this device's task." }, ...CONNECTION_FLAGS, VERBOSE_FLAG],
	notes: [
		`Examines up to ${DOCTOR_DEFAULTS.maxTasks} tasks: failed ones first, then open ones unchanged for ${formatSpan(DIAGNOSIS_DEFAULTS.stuckAfterMs)}.`,
	],
};

function findingJson(f: Finding): Record<string, unknown> {
	const { task } = f;
	return {
		taskId: task.taskId,
		deviceName: task.deviceName,
		status: task.status,
		progress: task.progress ?? null,
		taskDesc: task.taskDesc ?? null,
		deviceStatus: f.device?.status ?? null,
		deviceVersion: f.device?.version ?? null,
		diagnosis: f.diagnosis ?? null,
	};
}

function findingLines(f: Finding): string[] {
	const { task, device, diagnosis } = f;
	const desc = task.taskDesc ? ` "${task.taskDesc}"` : '';
	const state = device ? `; device ${device.status ?? '?'}${device.version ? `, reports ${device.version}` : ''}` : '';
	const lines = [`${task.deviceName} (task ${task.taskId}) ${task.status}${desc}${state}`];
	lines.push(...(diagnosis ? [`  cause: ${diagnosis.cause}`, `  fix:   ${diagnosis.fix}`] : ['  no problem found']));
	return lines.map(printable);
}

export async function runDoctorCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const jobId = idArgument(args, 'JobId');
	const deviceName = stringFlag(args.values, 'device')?.trim() || undefined;
	forFlag('device', () => checkDoctorOptions({ deviceName }));
	const { client } = await connectLifecycle(args, ctx, out);
	const report = await doctorJob(client, jobId, { deviceName, signal: ctx.signal });
	if (booleanFlag(args.values, 'json')) {
		out.json({ jobId, jobStatus: report.job.jobStatus, findings: report.findings.map(findingJson), notExamined: report.notExamined });
		return EXIT_OK;
	}
	const job = report.job;
	const head = printable(`Job ${jobId} (${job.jobType ?? 'job'}, ${job.jobStatus}) to version ${job.destVersion ?? '?'}`);
	if (report.findings.length === 0) {
		out.out(`${head}: ${deviceName ? `no task for device ${printable(deviceName)}` : 'no failed or stuck task'}.\n`);
		return EXIT_OK;
	}
	const lines = [
		`${head}: ${report.findings.length} task${report.findings.length === 1 ? '' : 's'}${deviceName ? '' : ' need attention'}.`,
		'',
	];
	for (const finding of report.findings) {
		lines.push(...findingLines(finding));
	}
	if (report.notExamined > 0) {
		lines.push(
			'',
			`${report.notExamined} more failed or open tasks were not examined; ${out.followUp('watch', jobId)} shows them all.`,
		);
	}
	out.out(`${lines.join('\n')}\n`);
	return EXIT_OK;
}
