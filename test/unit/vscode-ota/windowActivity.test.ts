import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WindowActivity, type FocusSource } from '../../../src/vscode/ota/windowActivity';

function fakeWindow(focused: boolean): FocusSource & { set(value: boolean): void } {
	let listener: ((focused: boolean) => void) | undefined;
	return {
		focused: () => focused,
		onDidChange: (l) => ((listener = l), { dispose: () => (listener = undefined) }),
		set(value) {
			focused = value;
			listener?.(value);
		},
	};
}

/** Lets every pending promise callback run (a wait that would end has ended by then). */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

void test('idle only after the window has been unfocused for the whole threshold', () => {
	let now = 0;
	const win = fakeWindow(true);
	const activity = new WindowActivity(
		win,
		() => 5 * 60_000,
		() => now,
	);
	win.set(false);
	now = 5 * 60_000 - 1;
	assert.equal(activity.idle(), false);
	now = 5 * 60_000;
	assert.equal(activity.idle(), true);
	win.set(true);
	assert.equal(activity.idle(), false);
});

void test('a threshold of 0 never pauses', () => {
	const activity = new WindowActivity(
		fakeWindow(false),
		() => 0,
		() => 1e12,
	);
	assert.equal(activity.idle(), false);
});

void test('a watch waits for the focus once idle, and goes on when the window is focused', async () => {
	let now = 0;
	const win = fakeWindow(false);
	const activity = new WindowActivity(
		win,
		() => 1000,
		() => now,
	);
	now = 1000;
	let paused = 0;
	let resumed = false;
	const waiting = activity.whenActive(undefined, () => paused++).then(() => (resumed = true));
	await settled();
	assert.equal(paused, 1);
	assert.equal(resumed, false, 'it waits while the window is idle');
	win.set(true);
	await waiting;
	assert.equal(resumed, true);
	await activity.whenActive(undefined, () => paused++); // focused: no wait, no pause
	assert.equal(paused, 1);
});

void test('an aborted watch stops waiting', async () => {
	let now = 0;
	const activity = new WindowActivity(
		fakeWindow(false),
		() => 1,
		() => now,
	);
	now = 10;
	const controller = new AbortController();
	let stopped = false;
	const waiting = activity.whenActive(controller.signal).then(() => (stopped = true));
	await settled();
	assert.equal(stopped, false, 'it waits while the window is idle');
	controller.abort();
	await waiting;
	assert.equal(stopped, true);
});
