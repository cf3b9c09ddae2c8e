import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRelativeTime, shortHash } from '../../../src/vscode/views/format';

// The words come from the runtime's ICU data ("3 min. ago" in one build, "3 minutes ago" in another), so these tests
// check what formatRelativeTime decides (the unit, the rounded value, the locale) against Intl itself, and the
// structure of the text (the number is in it), not the text of one ICU build.
void test('relative times pick the unit and the rounded value, past and future, "now" under 45 s', () => {
	const now = Date.UTC(2025, 0, 1, 12);
	const icu = (value: number, unit: Intl.RelativeTimeFormatUnit, locale = 'en') =>
		new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }).format(value, unit);
	const cases: Array<[number, number, Intl.RelativeTimeFormatUnit]> = [
		[-10_000, 0, 'second'],
		[44_000, 0, 'second'],
		[-50_000, -50, 'second'],
		[-3 * 60_000, -3, 'minute'],
		[5 * 60_000, 5, 'minute'],
		[-2 * 3600_000, -2, 'hour'],
		[-26 * 3600_000, -1, 'day'],
		[-3 * 86_400_000, -3, 'day'],
		[-14 * 86_400_000, -2, 'week'],
		[-400 * 86_400_000, -1, 'year'],
	];
	for (const [delta, value, unit] of cases) {
		assert.equal(formatRelativeTime(now + delta, now), icu(value, unit), `${delta} ms → ${value} ${unit}`);
	}
	for (const [delta, digits] of [
		[-3 * 60_000, '3'],
		[5 * 60_000, '5'],
		[-2 * 3600_000, '2'],
	] as const) {
		assert.ok(formatRelativeTime(now + delta, now).includes(digits), `the text for ${delta} ms shows ${digits}`);
	}
	assert.notEqual(formatRelativeTime(now - 5 * 60_000, now), formatRelativeTime(now + 5 * 60_000, now), 'past and future differ');
});

void test('relative times follow the UI language, and a bad locale falls back to English', () => {
	const now = Date.UTC(2025, 0, 1, 12);
	const chinese = formatRelativeTime(now - 3 * 60_000, now, 'zh-cn');
	assert.match(chinese, /3/);
	assert.match(chinese, /\p{Script=Han}/u, 'Chinese words around the number');
	assert.equal(chinese, new Intl.RelativeTimeFormat('zh-CN', { numeric: 'auto', style: 'short' }).format(-3, 'minute'));
	assert.equal(formatRelativeTime(now - 3 * 60_000, now, 'not a locale!'), formatRelativeTime(now - 3 * 60_000, now, 'en'));
});

void test('short hashes', () => {
	assert.equal(shortHash('0123456789abcdef'), '01234567');
	assert.equal(shortHash('abc'), 'abc');
});
