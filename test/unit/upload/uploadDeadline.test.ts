// An upload's deadline is computed from the file's size (the timeout plus the size at the slowest allowed rate): its
// message words it rounded, as a measured time, not as an exact count of milliseconds or seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineExceeded, RESPONSE_LIMITS } from '../../../src/core/responseBounds';
import { uploadDeadlineMs } from '../../../src/core/upload/ossAnswer';

void test('the deadline of an upload is worded rounded, whatever the size it was computed from', () => {
	const oneMb = deadlineExceeded({ kind: 'upload', name: 'oss.example' }, uploadDeadlineMs(1_000_000, 60_000));
	assert.equal(oneMb.code, 'DeadlineExceeded');
	assert.equal(oneMb.message, 'The upload to oss.example did not complete within 2 min 1 s; the connection was dropped.');
	const large = deadlineExceeded({ kind: 'upload', name: 'oss.example' }, uploadDeadlineMs(1000 * 1024 * 1024, 60_000));
	assert.equal(large.message, 'The upload to oss.example did not complete within 17 h 47 min; the connection was dropped.');
});

void test('the deadline of an API answer (a multiple of the timeout) is worded the same way', () => {
	const error = deadlineExceeded({ kind: 'host-answer', name: 'iot.example' }, 15_000 * RESPONSE_LIMITS.apiDeadlineTimeouts);
	assert.equal(error.message, 'The answer of iot.example did not complete within 1 min; the connection was dropped.');
});

void test('a host name is named as it is, even with the $ patterns of String.replace in it', () => {
	// WHATWG URL hosts may hold `$`: "$&" or "$'" must not pull the sentence's template into the name.
	const host = new URL("https://b$&$'.oss-cn-shanghai.aliyuncs.com/").host;
	const error = deadlineExceeded({ kind: 'host-answer', name: host }, 60_000);
	assert.equal(error.message, `The answer of ${host} did not complete within 1 min; the connection was dropped.`);
});
