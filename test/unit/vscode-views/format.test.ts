import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRelativeTime, shortHash } from '../../../src/vscode/views/format';

void test('relative times in English and Chinese, with a bad locale falling back', () => {
	const now = Date.UTC(2025, 0, 1, 12);
	assert.equal(formatRelativeTime(now - 10_000, now), 'now');
	assert.equal(formatRelativeTime(now - 3 * 60_000, now), '3 min. ago');
	assert.equal(formatRelativeTime(now - 2 * 3600_000, now), '2 hr. ago');
	assert.equal(formatRelativeTime(now - 26 * 3600_000, now), 'yesterday');
	assert.equal(formatRelativeTime(now + 5 * 60_000, now), 'in 5 min.');
	assert.equal(formatRelativeTime(now - 3 * 60_000, now, 'zh-cn'), '3分钟前');
	assert.equal(formatRelativeTime(now - 3 * 60_000, now, 'not a locale!'), '3 min. ago');
});

void test('short hashes', () => {
	assert.equal(shortHash('0123456789abcdef'), '01234567');
	assert.equal(shortHash('abc'), 'abc');
});
