// `watch` output in its three modes, fed by the in-memory fake through the same runWatch the CLI uses. The
// non-terminal and JSON forms are compared with golden files (regenerate with UPDATE_GOLDEN=1 after a deliberate change).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runWatch } from '../../../src/cli/commands/watch';
import { SafeOutput, type CliContext } from '../../../src/cli/io';
import type { OtaTask } from '../../../src/core/lifecycle/types';
import { FakeOta, job, steppedClock, task } from './fakeOta';

const GOLDEN = path.join(__dirname, 'golden');

interface Captured {
	ctx: CliContext;
	stdout: () => string;
	stderr: () => string;
}

function capture(isTTY: boolean, env: NodeJS.ProcessEnv = {}, signal = new AbortController().signal): Captured {
	let stdout = '';
	let stderr = '';
	return {
		ctx: {
			env,
			cwd: process.cwd(),
			signal,
			stdout: { write: (chunk: string) => (stdout += chunk), isTTY, columns: 120 },
			stderr: { write: (chunk: string) => (stderr += chunk) },
		},
		stdout: () => stdout,
		stderr: () => stderr,
	};
}

function golden(name: string, actual: string): void {
	const file = path.join(GOLDEN, name);
	if (process.env.UPDATE_GOLDEN) {
		writeFileSync(file, actual);
	}
	assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file`);
}

/** Six devices: queued → notified → in progress → five succeed, one reports a dirty version (with an escape in its TaskDesc). */
function rollout(): FakeOta {
	const list: OtaTask[] = Array.from({ length: 6 }, (_, i) => task('J1', i + 1, 'QUEUED'));
	const fake = new FakeOta().add(job('J1', { targetSelection: 'SPECIFIC' }), list);
	const set = (indices: number[], patch: Partial<OtaTask>): void => indices.forEach((i) => Object.assign(list[i], patch));
	fake.onAdvance = [
		() => set([0, 1, 2], { status: 'NOTIFIED' }),
		() => set([0, 1, 2, 3, 4, 5], { status: 'IN_PROGRESS', progress: '40.00' }),
		() => undefined,
		() => {
			set([0, 1, 2, 3], { status: 'SUCCEEDED', progress: '100.00' });
			set([4], { status: 'FAILED', progress: '100.00', taskDesc: 'report version is not conform\u001b[2J' });
		},
		() => set([5], { status: 'SUCCEEDED', progress: '100.00' }),
	];
	fake.devices.set('dev-00005', { status: 'ONLINE', version: '1.2.0-dirty' });
	return fake;
}

/** 20 finished of which 2 failed, 30 not started: the guard at 10 % halts it. */
function failingRollout(): FakeOta {
	const list: OtaTask[] = [
		...Array.from({ length: 18 }, (_, i) => task('J2', i + 1, 'SUCCEEDED')),
		task('J2', 19, 'FAILED', { taskDesc: 'timeout', timeout: '30' }),
		task('J2', 20, 'FAILED', { taskDesc: 'download failed' }),
		...Array.from({ length: 30 }, (_, i) => task('J2', i + 21, 'QUEUED')),
	];
	return new FakeOta().add(job('J2', { targetSelection: 'GRAY', grayPercent: '10.00' }), list);
}

void describe('watch output', () => {
	void test('not a terminal: a line per change (golden), exit 5 when a task failed; server text made printable', async () => {
		const fake = rollout();
		const clock = steppedClock(fake);
		const io = capture(false);
		const code = await runWatch(fake, 'J1', io.ctx, new SafeOutput(io.ctx), { json: false, now: clock.now, sleep: clock.sleep });
		assert.equal(code, 5);
		assert.ok(!io.stdout().includes('\u001b'), 'no raw escape from the TaskDesc');
		golden('watch-plain.txt', io.stdout());
	});

	void test('--json: one object per line, progress/task/result (golden)', async () => {
		const fake = rollout();
		const clock = steppedClock(fake);
		const io = capture(false);
		const code = await runWatch(fake, 'J1', io.ctx, new SafeOutput(io.ctx), { json: true, now: clock.now, sleep: clock.sleep });
		assert.equal(code, 5);
		const lines = io.stdout().trimEnd().split('\n');
		const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
		assert.deepEqual([...new Set(types)].sort(), ['progress', 'result', 'task']);
		assert.equal(types.at(-1), 'result');
		golden('watch-json.jsonl', io.stdout());
	});

	void test('--json with the guard: exit 6 and the verdict in the result line (golden)', async () => {
		const fake = failingRollout();
		const clock = steppedClock(fake);
		const io = capture(false);
		const code = await runWatch(fake, 'J2', io.ctx, new SafeOutput(io.ctx), {
			json: true,
			guard: { failurePercent: 10, minFinished: 20 },
			now: clock.now,
			sleep: clock.sleep,
		});
		assert.equal(code, 6);
		const result = JSON.parse(io.stdout().trimEnd().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
		assert.equal(result.outcome, 'halted');
		assert.equal(result.canceled, 30);
		golden('watch-guard.jsonl', io.stdout());
	});

	void test('a terminal: one screen redrawn in place, bars per status, newest failures with their diagnosis', async () => {
		const fake = rollout();
		const clock = steppedClock(fake);
		const io = capture(true);
		const code = await runWatch(fake, 'J1', io.ctx, new SafeOutput(io.ctx), { json: false, now: clock.now, sleep: clock.sleep });
		assert.equal(code, 5);
		const out = io.stdout();
		const REDRAW = new RegExp(String.raw`\u001b\[\d+F\u001b\[J`, 'g');
		const AUTOWRAP = new RegExp(String.raw`\u001b\[\?7[lh]`, 'g');
		const redraws = out.match(REDRAW) ?? [];
		assert.equal(redraws.length, 6, 'a frame per refresh (six) and the final one, each redrawn over the last');
		assert.ok(!out.replace(REDRAW, '').replace(AUTOWRAP, '').includes('\u001b'), 'no escape but our own redraws');
		const lastFrame = (out.split(REDRAW).at(-1) ?? '').replace(AUTOWRAP, '');
		assert.match(lastFrame, /SUCCEEDED\s+5 {2}█{25}░{5}/);
		assert.match(
			lastFrame,
			/Newest failures:\n {2}dev-00005 \(task TJ1-00005\) {2}IN_PROGRESS → FAILED {2}"report version is not conform\?\[2J": the device reported a version/,
		);
		assert.match(lastFrame, /Job J1 IN_PROGRESS: not every task succeeded\. 6 tasks: 5 succeeded, 1 failed, 0 canceled\.\n/);
		// The next steps follow the last frame, with autowrap back on: a long command line wraps instead of being clipped.
		assert.ok(out.endsWith('\n\u001b[?7hDiagnose it: iot-ota doctor J1\nRetry the failed tasks: iot-ota retry J1\n'), out.slice(-200));
	});

	void test("the next steps repeat the run's connection flags; a job that succeeded offers none", async () => {
		const connection = ['--endpoint', 'http://127.0.0.1:9', '--profile', "'my work'"];
		const failedRun = capture(false);
		const failedOut = new SafeOutput(failedRun.ctx);
		failedOut.setConnectionArgs(connection);
		const fake = rollout();
		const clock = steppedClock(fake);
		await runWatch(fake, 'J1', failedRun.ctx, failedOut, { json: false, now: clock.now, sleep: clock.sleep });
		const tail = failedRun.stdout().trimEnd().split('\n').slice(-2);
		assert.deepEqual(tail, [
			"Diagnose it: iot-ota doctor J1 --endpoint http://127.0.0.1:9 --profile 'my work'",
			"Retry the failed tasks: iot-ota retry J1 --endpoint http://127.0.0.1:9 --profile 'my work'",
		]);

		const done = new FakeOta().add(job('J6', { jobStatus: 'COMPLETED' }), [task('J6', 1, 'SUCCEEDED')]);
		const doneClock = steppedClock(done);
		const plain = capture(false);
		assert.equal(
			await runWatch(done, 'J6', plain.ctx, new SafeOutput(plain.ctx), { json: false, now: doneClock.now, sleep: doneClock.sleep }),
			0,
		);
		assert.doesNotMatch(plain.stdout(), /Diagnose it|Retry the failed/);
		const json = capture(false);
		await runWatch(done, 'J6', json.ctx, new SafeOutput(json.ctx), { json: true, now: doneClock.now, sleep: doneClock.sleep });
		const result = JSON.parse(json.stdout().trimEnd().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
		assert.equal(result.outcome, 'succeeded');
		assert.equal('nextSteps' in result, false);
	});

	void test('--json keeps bidi, format and C1 characters of server text exactly, escaped', async () => {
		const desc = 'flash \u202eevil\u202c at \u0085 step \u200b3';
		const fake = new FakeOta().add(job('J4', { jobStatus: 'COMPLETED' }), [task('J4', 1, 'FAILED', { taskDesc: desc })]);
		const clock = steppedClock(fake);
		const io = capture(false);
		await runWatch(fake, 'J4', io.ctx, new SafeOutput(io.ctx), { json: true, now: clock.now, sleep: clock.sleep });
		const lines = io.stdout().trimEnd().split('\n');
		const taskLine = lines.map((line) => JSON.parse(line) as { type: string; taskDesc?: string }).find((l) => l.type === 'task');
		assert.equal(taskLine?.taskDesc, desc);
		assert.ok(!/[\u0085\u200b\u202c\u202e]/.test(io.stdout()), 'the characters are escaped, not written raw');
	});

	void test('a terminal: lines wider than the screen are clipped with autowrap off, never wrapped or split mid-character', async () => {
		const wide = (prefix: string): string => `${prefix}${'固件写入失败'.repeat(30)}${'🔥'.repeat(40)}`;
		const fake = new FakeOta().add(job('J5', { jobStatus: 'COMPLETED' }), [
			task('J5', 1, 'FAILED', { taskDesc: wide('') }),
			task('J5', 2, 'FAILED', { taskDesc: wide('x') }),
			task('J5', 3, 'FAILED', { taskDesc: `${'🔥'.repeat(100)}` }),
			task('J5', 4, 'FAILED', { taskDesc: `x${'🔥'.repeat(100)}` }),
		]);
		const clock = steppedClock(fake);
		const io = capture(true);
		await runWatch(fake, 'J5', io.ctx, new SafeOutput(io.ctx), { json: false, now: clock.now, sleep: clock.sleep });
		const nextSteps = /Diagnose it: .*\nRetry the failed tasks: .*\n$/;
		assert.match(io.stdout(), nextSteps);
		const frames = io
			.stdout()
			.replace(nextSteps, '')
			.split(new RegExp(String.raw`\u001b\[\d+F\u001b\[J`));
		for (const frame of frames) {
			assert.ok(frame.startsWith('\u001b[?7l') && frame.endsWith('\u001b[?7h'), 'each frame is drawn with autowrap off');
		}
		assert.ok(frames.join('').includes('固件写入失败'));
		assert.doesNotMatch(
			io.stdout(),
			/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
			'no half of a surrogate pair',
		);
	});

	void test('Ctrl+C: exit 130, the job untouched, "stopped" in the result', async () => {
		const fake = new FakeOta().add(job('J3'), [task('J3', 1, 'IN_PROGRESS')]);
		const controller = new AbortController();
		const clock = steppedClock(fake);
		fake.onAdvance = [() => controller.abort()];
		const io = capture(false, {}, controller.signal);
		const code = await runWatch(fake, 'J3', io.ctx, new SafeOutput(io.ctx), { json: true, now: clock.now, sleep: clock.sleep });
		assert.equal(code, 130);
		assert.deepEqual(JSON.parse(io.stdout().trimEnd().split('\n').at(-1) ?? '{}'), {
			type: 'result',
			jobId: 'J3',
			outcome: 'stopped',
			exitCode: 130,
			jobStatus: 'IN_PROGRESS',
			total: 1,
			succeeded: 0,
			failed: 0,
			canceled: 0,
		});
		assert.deepEqual(
			fake.calls.map((c) => c.method).filter((m) => m.startsWith('cancel')),
			[],
		);
	});

	void test('in GitHub Actions: ::error:: annotations on stderr and a Markdown step summary', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-gha-'));
		try {
			const summaryFile = path.join(dir, 'summary.md');
			writeFileSync(summaryFile, '');
			const fake = rollout();
			const clock = steppedClock(fake);
			const io = capture(false, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });
			await runWatch(fake, 'J1', io.ctx, new SafeOutput(io.ctx), { json: true, now: clock.now, sleep: clock.sleep });
			const errors = io.stderr().trimEnd().split('\n');
			assert.equal(errors.length, 2);
			assert.match(errors[0], /^::error::dev-00005 \(task TJ1-00005\) failed: the device reported a version/);
			assert.equal(errors[1], '::error::Job J1 ended with failures.');
			const summary = readFileSync(summaryFile, 'utf8');
			assert.match(summary, /^### iot-ota watch: job `J1` failed \(exit 5\)/);
			assert.match(summary, /\| 5 \| 1 \| 0 \| 0 \| 6 \|/);
			assert.match(summary, /\| dev\\-00005 \| `TJ1-00005` \| the device reported a version/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
