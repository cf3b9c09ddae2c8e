import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { abandonMessage, endMessage, haltMessage } from '../../../src/vscode/ota/watchMessages';
import { renderWatchStatus } from '../../../src/vscode/ota/watchStatusRender';
import { job, progress, snapshot } from './fixtures';

const c = { reveal: 'reveal', failures: 'failures', stop: 'stop' };

void test('hidden while nothing is watched and no result is shown', () => {
	assert.equal(renderWatchStatus([], undefined, c, plainL10n, 'en').visible, false);
});

void test('one job: "OTA 640/1,000 ✓ · 3 ✗", a click reveals it, the tooltip links to it', () => {
	const view = renderWatchStatus(
		[snapshot('j1', { progress: progress({ SUCCEEDED: 640, FAILED: 3, IN_PROGRESS: 357 }, { perMinute: 120 }) })],
		undefined,
		c,
		plainL10n,
		'en',
	);
	assert.equal(view.text, '$(eye) OTA 640/1,000 ✓ · 3 ✗');
	assert.deepEqual(view.command, { id: 'reveal', arg: { jobId: 'j1' } });
	assert.match(view.tooltip, /\*\*Rollout to all devices\*\* `j1` — In progress · 640\/1,000 ✓ · 3 ✗ · 120\/min/);
	assert.ok(view.tooltip.includes(`(command:failures?${encodeURIComponent(JSON.stringify([{ jobId: 'j1' }]))})`));
	assert.ok(view.tooltip.includes('command:stop?'));
});

void test('several jobs add up; before the first count it shows an ellipsis', () => {
	const view = renderWatchStatus(
		[
			snapshot('a', { progress: progress({ SUCCEEDED: 10, FAILED: 1 }) }),
			snapshot('b', { progress: progress({ SUCCEEDED: 5, QUEUED: 4 }) }),
			snapshot('c', { phase: 'starting', job: undefined }),
		],
		undefined,
		c,
		plainL10n,
		'en',
	);
	assert.equal(view.text, '$(eye) OTA 3 jobs · 15/20 ✓ · 1 ✗');
	assert.deepEqual(view.command, { id: 'reveal' }, 'a click asks which job');
	assert.equal(renderWatchStatus([snapshot('a', { phase: 'starting' })], undefined, c, plainL10n, 'en').text, '$(eye) OTA …');
});

void test('paused and retrying watches say so', () => {
	const paused = renderWatchStatus(
		[snapshot('a', { phase: 'paused', progress: progress({ SUCCEEDED: 1, QUEUED: 1 }) })],
		undefined,
		c,
		plainL10n,
		'en',
	);
	assert.equal(paused.text, '$(debug-pause) OTA 1/2 ✓');
	assert.match(paused.tooltip, /paused while the window is in the background/);
	const retrying = renderWatchStatus([snapshot('a', { phase: 'retrying', error: 'socket hang up' })], undefined, c, plainL10n, 'en');
	assert.equal(retrying.background, 'warning');
	assert.match(retrying.tooltip, /retrying: socket hang up/);
});

void test('a saved watch waiting for the Local Sandbox says so, paused beside a paused one, polling beside a polling one', () => {
	const waiting = snapshot('a', { phase: 'waiting', job: undefined });
	const alone = renderWatchStatus([waiting], undefined, c, plainL10n, 'en');
	assert.equal(alone.text, '$(debug-pause) OTA …');
	assert.match(alone.tooltip, /`a` — waiting until the Local Sandbox is started/);
	const paused = snapshot('b', { phase: 'paused', progress: progress({ SUCCEEDED: 1, QUEUED: 1 }) });
	assert.equal(renderWatchStatus([waiting, paused], undefined, c, plainL10n, 'en').text, '$(debug-pause) OTA 2 jobs · 1/2 ✓');
	const polling = snapshot('b', { progress: progress({ SUCCEEDED: 1, QUEUED: 1 }) });
	assert.equal(renderWatchStatus([waiting, polling], undefined, c, plainL10n, 'en').text, '$(eye) OTA 2 jobs · 1/2 ✓');
});

void test('the last ended job stays with its result; a failed one opens its failures', () => {
	const ended = snapshot('j1', {
		phase: 'ended',
		outcome: 'failed',
		progress: progress({ SUCCEEDED: 997, FAILED: 3 }, { jobStatus: 'COMPLETED' }),
	});
	const view = renderWatchStatus([], ended, c, plainL10n, 'en');
	assert.equal(view.text, '$(error) OTA 997/1,000 ✓ · 3 ✗');
	assert.deepEqual(view.command, { id: 'failures', arg: { jobId: 'j1' } });
	const ok = renderWatchStatus([], { ...ended, progress: progress({ SUCCEEDED: 4 }) }, c, plainL10n, 'en');
	assert.equal(ok.text, '$(pass) OTA 4/4 ✓');
});

void test('end and halt notifications', () => {
	const base = snapshot('j1', { job: job({ jobId: 'j1', targetSelection: 'GRAY' }) });
	assert.equal(
		endMessage({ ...base, outcome: 'succeeded', progress: progress({ SUCCEEDED: 1000 }) }, plainL10n, 'en'),
		'Gray rollout j1 finished: all 1,000 tasks succeeded.',
	);
	assert.equal(
		endMessage({ ...base, outcome: 'failed', progress: progress({ SUCCEEDED: 997, FAILED: 2, CANCELED: 1 }) }, plainL10n, 'en'),
		'Gray rollout j1 ended: 997 of 1,000 tasks succeeded, 2 failed, 1 canceled.',
	);
	const halted = {
		...base,
		watched: { ...base.watched, guard: { failurePercent: 5, minFinished: 20 } },
		halt: {
			jobId: 'j1',
			verdict: { halt: true, finished: 40, failed: 3, failurePercent: 7.5, reason: '' },
			plan: { cancelStrategy: false, cancelTasks: { jobId: 'j1' } },
		},
	};
	assert.equal(
		haltMessage(halted, plainL10n, 'en'),
		'The guard halted Gray rollout j1: 3 of 40 finished tasks failed (7.5 % ≥ 5 %). Tasks that had not started were cancelled; those in progress run to their end.',
	);
});

void test('a watch given up alone names its job and why; the watches of a profile gone from this machine get one notice', () => {
	const gone = (jobId: string) =>
		snapshot(jobId, { phase: 'ended', error: 'Profile "dev" of this watch has no credentials on this machine.' });
	assert.equal(
		abandonMessage({ snapshots: [gone('j1')], profile: 'dev' }, plainL10n, 'en'),
		'Stopped watching Rollout to all devices j1: Profile "dev" of this watch has no credentials on this machine.',
	);
	assert.equal(
		abandonMessage({ snapshots: [gone('j1'), gone('j2'), gone('j3')], profile: 'dev' }, plainL10n, 'en'),
		'Stopped 3 watches of profile "dev": it has no credentials on this machine.',
	);
	assert.equal(
		abandonMessage({ snapshots: [snapshot('j4', { error: 'The job is gone. (iot.ota.InvalidJobId)' })] }, plainL10n, 'en'),
		'Stopped watching Rollout to all devices j4: The job is gone. (iot.ota.InvalidJobId)',
	);
	const stopped = (jobId: string) => snapshot(jobId, { phase: 'ended', error: 'The Local sandbox was stopped.' });
	assert.equal(
		abandonMessage({ snapshots: [stopped('j5'), stopped('j6')], profile: 'sandbox', sandboxStopped: true }, plainL10n, 'en'),
		'Stopped 2 watches of the Local sandbox: it was stopped.',
	);
	assert.equal(
		abandonMessage({ snapshots: [stopped('j5')], profile: 'sandbox', sandboxStopped: true }, plainL10n, 'en'),
		'Stopped watching Rollout to all devices j5: The Local sandbox was stopped.',
	);
});

void test('a JobId with a backtick cannot end its code span and add a command link to the trusted tooltip, watched or ended', () => {
	const hostile = 'j1` [Stop](command:stop) `';
	const watched = snapshot(hostile, { progress: progress({ IN_PROGRESS: 1 }) });
	const ended = snapshot(hostile, { progress: progress({ SUCCEEDED: 1 }) });
	for (const view of [renderWatchStatus([watched], undefined, c, plainL10n, 'en'), renderWatchStatus([], ended, c, plainL10n, 'en')]) {
		assert.ok(view.tooltip.includes('`j1? [Stop](command:stop) ?`'), view.tooltip);
		assert.ok(!view.tooltip.includes(hostile), 'no raw JobId anywhere');
	}
});
