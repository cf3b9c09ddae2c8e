// The one formatter per kind of value (src/core/format.ts), shared by the CLI, the extension and the log lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	escapeMarkdown,
	escapeMarkdownSource,
	etaSeconds,
	formatBytes,
	formatBytesOf,
	formatCount,
	formatDuration,
	formatRate,
	formatSpan,
	maskAccessKeyId,
	percentOf,
	REGISTER_WINDOW_SPAN,
	REGISTER_WINDOW_TEXT,
	spanOf,
} from '../../../src/core/format';
import { MAX_FIRMWARE_TEXT } from '../../../src/core/limits';

const MB = 1024 * 1024;

void test('sizes: binary units, one decimal below 100 units, English grouping unless a locale is given', () => {
	assert.equal(formatBytes(0), '0 B');
	assert.equal(formatBytes(1023), '1,023 B');
	assert.equal(formatBytes(1536), '1.5 KB');
	assert.equal(formatBytes(29.1 * MB), '29.1 MB');
	assert.equal(formatBytes(150 * MB), '150 MB');
	assert.equal(formatBytes(1_048_576_000), '1,000 MB');
	assert.equal(formatBytes(2 * 1024 * MB), '2.0 GB');
	assert.equal(formatBytes(-1), '?');
	assert.equal(formatBytes(Number.NaN), '?');
	assert.equal(formatBytes(1.5 * 1024, 'de'), '1,5 KB');
	assert.equal(MAX_FIRMWARE_TEXT, '1,000 MB (1,048,576,000 bytes)');
});

void test('counts, byte pairs and rates', () => {
	assert.equal(formatCount(1048576), '1,048,576');
	assert.equal(formatCount(999), '999');
	assert.equal(formatCount(1048576, 'de'), '1.048.576');
	assert.equal(formatBytesOf(12.3 * MB, 29.1 * MB), '12.3 / 29.1 MB');
	assert.equal(formatBytesOf(512, 2 * MB), '0.0 / 2.0 MB');
	assert.equal(formatRate(3.1 * MB), '3.1 MB/s');
	assert.equal(formatRate(-5), '0 B/s');
});

void test('durations take milliseconds whatever the caller measures', () => {
	assert.equal(formatDuration(850), '850 ms');
	assert.equal(formatDuration(1500), '1.5 s');
	assert.equal(formatDuration(6000), '6 s');
	assert.equal(formatDuration(15_000), '15 s');
	assert.equal(formatDuration(42_400), '42 s');
	assert.equal(formatDuration(120_000), '2 min');
	assert.equal(formatDuration(125_000), '2 min 5 s');
	assert.equal(formatDuration(3_725_000), '1 h 2 min');
	assert.equal(formatDuration(7_200_000), '2 h');
	assert.equal(formatDuration(-3), '0 ms');
});

void test('a stated span is worded exactly, in its largest whole unit, with the unit spelled out', () => {
	const MIN = 60_000;
	const DAY = 24 * 60 * MIN;
	assert.deepEqual(
		[spanOf(5 * MIN), spanOf(60 * MIN), spanOf(7 * DAY), spanOf(90 * MIN), spanOf(15_000), spanOf(200)],
		[
			{ count: 5, unit: 'minute' },
			{ count: 1, unit: 'hour' },
			{ count: 7, unit: 'day' },
			{ count: 90, unit: 'minute' },
			{ count: 15, unit: 'second' },
			{ count: 200, unit: 'millisecond' },
		],
	);
	assert.equal(formatSpan(30 * MIN), '30 minutes');
	assert.equal(formatSpan(MIN), '1 minute');
	assert.equal(formatSpan(60 * MIN), '1 hour');
	assert.equal(formatSpan(36 * 60 * MIN), '36 hours');
	assert.equal(formatSpan(30 * DAY), '30 days');
	assert.equal(formatSpan(DAY), '1 day');
	assert.equal(formatSpan(1000), '1 second');
	assert.equal(formatSpan(1500), '1500 milliseconds');
	assert.equal(formatSpan(1), '1 millisecond');
	assert.equal(formatSpan(0), '0 milliseconds');
	assert.equal(formatSpan(60 * MIN, 'minute'), '60 minutes', 'in the unit asked for');
	assert.equal(formatSpan(90 * 1000, 'minute'), '90 seconds', 'not a whole number of it: the largest whole unit');
});

void test('the registration window is stated in minutes, as the platform documents it: "60 minutes", never "1 hour"', () => {
	assert.deepEqual(REGISTER_WINDOW_SPAN, { count: 60, unit: 'minute' });
	assert.equal(REGISTER_WINDOW_TEXT, '60 minutes');
});

void test('percent and ETA of a transfer', () => {
	assert.equal(percentOf(42, 100), 42);
	assert.equal(percentOf(5, 0), 0);
	assert.equal(percentOf(200, 100), 100);
	assert.equal(etaSeconds(0, 100, 0), undefined);
	assert.equal(etaSeconds(100, 100, 10), undefined);
	assert.equal(etaSeconds(40, 100, 10), 6);
});

void test('AccessKey IDs are shown masked in one style; Markdown is escaped including icon syntax', () => {
	assert.equal(maskAccessKeyId('LTAI5tAbcdefghWxyz'), 'LTAI****Wxyz');
	assert.equal(maskAccessKeyId('short'), '****');
	assert.equal(escapeMarkdown('a_b*c $(zap) [x](y) ~z'), 'a\\_b\\*c \\$\\(zap\\) \\[x\\]\\(y\\) \\~z');
	// A character reference would render the character the sanitiser removed; "===" under a line would make it a heading.
	assert.equal(escapeMarkdown('rtl&#x202E;x&amp;\n==='), 'rtl\\&\\#x202E;x\\&amp;\n\\=\\=\\=');
	// Read as source: versions stay readable, no emphasis, code, link or HTML can form, and no line break.
	assert.equal(escapeMarkdownSource('v1.0.0 *a* `b` [c](d) <i>\r\nnext'), 'v1.0.0 \\*a\\* \\`b\\` \\[c\\](d) \\<i\\> next');
	assert.equal(escapeMarkdownSource('v&#x202E;1 &amp; R&D'), 'v\\&#x202E;1 \\&amp; R&D', 'a reference escaped, a mere & as it reads');
});
