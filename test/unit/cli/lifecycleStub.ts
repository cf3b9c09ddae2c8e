// A scripted local IoT responder for the lifecycle commands, and the CLI run against it: each test file that uses
// it gets its own bundle, stub server (127.0.0.1, free port) and HOME, all removed after the file.
import { rmSync } from 'node:fs';
import { after, before, beforeEach } from 'node:test';
import { okBody, startStub, type CapturedRequest, type Stub, type StubReply } from '../core-api/stubServer';
import { buildCli, cleanEnv, runCli, tempDir, type CliRun } from './cliHarness';

export type Handler = (params: Record<string, string>) => StubReply | Promise<StubReply>;

export interface LifecycleStub {
	readonly cli: Awaited<ReturnType<typeof buildCli>>;
	readonly stub: Stub;
	readonly home: string;
	/** The answer to each Action; cleared before every test (unscripted actions get a 404 InvalidApi.NotFound). */
	readonly handlers: Record<string, Handler>;
	/** A clean environment with an AccessKey pair. */
	env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
	/** `node cli.js …args --endpoint <stub>`, with the requests it made. */
	run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliRun & { requests: CapturedRequest[] }>;
	/** A job J1 (firmware F1, product pk1) whose tasks are `spec`, answered by QueryOTAJob and ListOTATaskByJob. */
	scriptJob(jobStatus: string, spec: Record<string, number>): void;
}

export const actions = (requests: CapturedRequest[]): string[] => requests.map((r) => r.params.Action);

/** The parameters of every request of `action`, in order. */
export const called = (requests: CapturedRequest[], action: string): Array<Record<string, string>> =>
	requests.filter((r) => r.params.Action === action).map((r) => r.params);

/** The values of a repeated parameter (TaskId.1, TaskId.2, …) in order. */
export const repeated = (params: Record<string, string>, name: string): string[] =>
	Object.keys(params)
		.filter((key) => key.startsWith(`${name}.`))
		.sort((a, b) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)))
		.map((key) => params[key]);

export const FIRMWARE = (status: number): StubReply =>
	okBody({
		FirmwareInfo: {
			FirmwareId: 'F1',
			FirmwareName: 'app',
			DestVersion: '1.2.0',
			ProductKey: 'pk1',
			Status: status,
			ModuleName: 'default',
		},
	});

/** QueryOTAJob's answer for job J1 of package F1 (product pk1), with these fields. */
export const JOB = (fields: Record<string, unknown>): StubReply =>
	okBody({ Data: { JobId: 'J1', FirmwareId: 'F1', ProductKey: 'pk1', ...fields } });

/** Tasks T1… of job J1 on devices dev-1…, `count` of each status in order. */
export function taskItems(spec: Record<string, number>): Array<{ TaskId: string; DeviceName: string; TaskStatus: string }> {
	const items: Array<{ TaskId: string; JobId: string; DeviceName: string; TaskStatus: string; Progress: string; DestVersion: string }> =
		[];
	for (const [status, count] of Object.entries(spec)) {
		for (let i = 0; i < count; i++) {
			const n = items.length + 1;
			items.push({
				TaskId: `T${n}`,
				JobId: 'J1',
				DeviceName: `dev-${n}`,
				TaskStatus: status,
				Progress: '0.00',
				DestVersion: '1.2.0',
			});
		}
	}
	return items;
}

export function useLifecycleStub(prefix: string): LifecycleStub {
	const handlers: Record<string, Handler> = {};
	const state = {} as { cli: LifecycleStub['cli']; stub: Stub; home: string };
	before(async () => {
		state.home = tempDir(prefix);
		[state.cli, state.stub] = await Promise.all([
			buildCli(),
			startStub(
				(req) =>
					handlers[req.params.Action]?.(req.params) ?? {
						status: 404,
						json: { RequestId: 'R404', Code: 'InvalidApi.NotFound', Message: `no ${req.params.Action}` },
					},
			),
		]);
	});
	after(async () => {
		await state.stub?.close();
		state.cli?.dispose();
		rmSync(state.home, { recursive: true, force: true });
	});
	beforeEach(() => {
		for (const action of Object.keys(handlers)) {
			delete handlers[action];
		}
	});
	const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
		cleanEnv(state.home, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIcli', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'cli-secret-value', ...extra });
	return {
		get cli() {
			return state.cli;
		},
		get stub() {
			return state.stub;
		},
		get home() {
			return state.home;
		},
		handlers,
		env,
		async run(args, extraEnv) {
			const start = state.stub.requests.length;
			const result = await runCli(state.cli.cliPath, [...args, '--endpoint', state.stub.url], { env: env(extraEnv) });
			return { ...result, requests: state.stub.requests.slice(start) };
		},
		scriptJob(jobStatus, spec) {
			let items = taskItems(spec);
			handlers.QueryOTAJob = () => JOB({ JobStatus: jobStatus, SelectionType: 'STATIC', NeedConfirm: false });
			handlers.ListOTATaskByJob = (p) => {
				const matching = items.filter((t) => !p.TaskStatus || t.TaskStatus === p.TaskStatus);
				const size = Number(p.PageSize);
				const page = Number(p.CurrentPage);
				return okBody({
					CurrentPage: page,
					PageSize: size,
					Total: matching.length,
					Data: { SimpleOTATaskInfo: matching.slice((page - 1) * size, page * size) },
				});
			};
			handlers.CancelOTATaskByJob = () => {
				items = items.map((t) => (['QUEUED', 'NOTIFIED', 'CONFIRM'].includes(t.TaskStatus) ? { ...t, TaskStatus: 'CANCELED' } : t));
				return okBody();
			};
		},
	};
}
