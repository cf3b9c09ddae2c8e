import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProgressMessage, plainL10n, Throttle } from '../../../src/vscode/upload/progressFormat';

const MB = 1024 * 1024;

void test('the notification line reads "42% · 12.3 / 29.1 MB · 3.1 MB/s · ETA 6 s"', () => {
	const total = 29.1 * MB;
	const line = formatProgressMessage({
		phase: 'uploading',
		bytesSent: 0.4227 * total,
		totalBytes: total,
		bytesPerSecond: 2.8 * MB,
		attempt: 1,
	});
	assert.match(line, /^42% · 12\.3 \/ 29\.1 MB · 2\.8 MB\/s · ETA 6 s$/);
	assert.equal(
		formatProgressMessage({ phase: 'uploading', bytesSent: 0, totalBytes: MB, bytesPerSecond: 0, attempt: 1 }),
		'0% · 0.0 / 1.0 MB · 0 B/s',
	);
	assert.equal(
		formatProgressMessage({ phase: 'ticket', bytesSent: 0, totalBytes: MB, bytesPerSecond: 0, attempt: 1 }),
		'Requesting an upload ticket…',
	);
	assert.match(formatProgressMessage({ phase: 'ticket', bytesSent: 0, totalBytes: MB, bytesPerSecond: 0, attempt: 2 }), /attempt 2/);
	assert.match(
		formatProgressMessage({ phase: 'retrying', bytesSent: MB / 2, totalBytes: MB, bytesPerSecond: 1, attempt: 3 }),
		/^50% .*\(retry 3\)$/,
	);
});

void test('plainL10n substitutes numbered arguments and leaves unknown ones', () => {
	assert.equal(plainL10n.t('{0} of {1} ({2})', 'a', 2), 'a of 2 ({2})');
});

void test('Throttle lets one call through per interval; force always passes', () => {
	let now = 0;
	const throttle = new Throttle(250, () => now);
	assert.equal(throttle.ready(), true);
	now = 100;
	assert.equal(throttle.ready(), false);
	assert.equal(throttle.ready(true), true);
	now = 349;
	assert.equal(throttle.ready(), false);
	now = 350;
	assert.equal(throttle.ready(), true);
	let passed = 0;
	for (now = 1000; now < 2000; now += 10) {
		passed += throttle.ready() ? 1 : 0;
	}
	assert.ok(passed <= 4, `at most 4 updates per second, got ${passed}`);
});
