import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown, formatBytes, formatCount, formatRelativeTime, maskAccessKeyId, shortHash } from '../../../src/vscode/views/format';

void test('sizes are 1024-based with one decimal under ten units', () => {
	assert.equal(formatBytes(17), '17 B');
	assert.equal(formatBytes(48 * 1024), '48 KB');
	assert.equal(formatBytes(1.25 * 1024 * 1024), '1.3 MB');
	assert.equal(formatBytes(1_048_576_000), '1,000 MB');
	assert.equal(formatBytes(3 * 1024 ** 3), '3 GB');
	assert.equal(formatBytes(-1), '?');
	assert.equal(formatBytes(1.5 * 1024, 'de'), '1,5 KB');
	assert.equal(formatCount(1048576, 'en'), '1,048,576');
});

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

void test('hashes, key ids and markdown', () => {
	assert.equal(shortHash('0123456789abcdef'), '01234567');
	assert.equal(shortHash('abc'), 'abc');
	assert.equal(maskAccessKeyId('LTAI5tAbCdEfGhIjKlMn'), 'LTAI…KlMn');
	assert.equal(maskAccessKeyId('short'), '…');
	assert.equal(escapeMarkdown('a_b*c $(zap) [x](y)'), 'a\\_b\\*c \\$\\(zap\\) \\[x\\]\\(y\\)');
});
