// The version marker's time limit: a catastrophic pattern is stopped with one error (VersionMarkerTooSlow) instead of
// holding the process, and the readers that go on without a marker drop it once and say so once.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { compileVersionMarker, inspectFirmware, LenientVersionMarker, type VersionMarker } from '../../../src/core/image';
import { FixtureDir, gzip } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const MB = 1024 * 1024;
/** Not a timed assertion: without the limit these searches would run for minutes, so a regression fails here instead. */
const HANG_GUARD = { timeout: 120_000 };
/** `(a+)+$` backtracks exponentially on a run of "a" that does not reach the end. */
const RUN_OF_A = Buffer.concat([Buffer.alloc(MB - 1, 'a'), Buffer.from('b')]);

function tooSlow(file: string) {
	return (error: unknown): boolean => {
		assert.ok(error instanceof OtaError, String(error));
		assert.equal(error.code, 'VersionMarkerTooSlow');
		assert.equal(error.source, 'validation');
		assert.equal(error.message, `The version marker took longer than 200 milliseconds to search a MB of ${file} and was stopped.`);
		assert.equal(
			error.hint,
			'Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.',
		);
		return true;
	};
}

void describe('version marker time limit', HANG_GUARD, () => {
	void test('a catastrophic pattern over the first MB returns VersionMarkerTooSlow naming the limit and the file', async () => {
		const file = dir.write('head.bin', RUN_OF_A);
		await assert.rejects(inspectFirmware(file, { versionMarker: compileVersionMarker('(a+)+$') }), tooSlow(file));
		const xs = dir.write('xs.bin', Buffer.alloc(MB, 'x'));
		await assert.rejects(inspectFirmware(xs, { versionMarker: compileVersionMarker('(x|x)*y') }), tooSlow(xs));
	});

	void test('the last MB is bounded too, after a first MB the pattern searched quickly', async () => {
		const file = dir.write('tail.bin', Buffer.concat([Buffer.alloc(2 * MB, 'z'), RUN_OF_A]));
		await assert.rejects(inspectFirmware(file, { versionMarker: compileVersionMarker('(a+)+$') }), tooSlow(file));
	});

	void test('in the payload of a gzip file it is the same error, not damage of the gzip stream', async () => {
		const file = dir.write('payload.dat.gz', gzip(RUN_OF_A));
		await assert.rejects(inspectFirmware(file, { versionMarker: compileVersionMarker('(a+)+$') }), tooSlow(file));
	});

	void test('the same search with a linear pattern finds the version', async () => {
		const file = dir.write('linear.bin', Buffer.concat([RUN_OF_A, Buffer.from('FW_VERSION=3.2.1;')]));
		assert.equal((await inspectFirmware(file, { versionMarker: compileVersionMarker('FW_VERSION=([0-9.]+)') })).version, '3.2.1');
	});
});

void describe('LenientVersionMarker (the Firmware Files view, the Local Sandbox)', HANG_GUARD, () => {
	const slowFile = dir.write('slow.bin', RUN_OF_A);
	const readWith = (marker: VersionMarker | undefined) => inspectFirmware(slowFile, { versionMarker: marker?.regex });

	void test('a pattern too slow is reported once, then the reads go on without it while it stays the pattern given', async () => {
		const reported: OtaError[] = [];
		const markers = new LenientVersionMarker((error) => reported.push(error));
		const used: Array<string | undefined> = [];
		const read = (pattern: string) =>
			markers.read(pattern, (marker) => {
				used.push(marker?.pattern);
				return readWith(marker);
			});
		assert.equal((await read('(a+)+$')).format, 'unknown');
		assert.equal((await read('(a+)+$')).format, 'unknown');
		assert.deepEqual(used, ['(a+)+$', undefined, undefined]);
		assert.equal(reported.length, 1);
		assert.ok(tooSlow(slowFile)(reported[0]));
		assert.equal((await read('(b)')).version, 'b');
		assert.deepEqual(used.slice(3), ['(b)']);
		assert.equal(reported.length, 1);
		// Given again after another pattern: tried and reported anew (the log's "until it changes" holds).
		assert.equal((await read('(a+)+$')).format, 'unknown');
		assert.deepEqual(used.slice(4), ['(a+)+$', undefined]);
		assert.equal(reported.length, 2);
	});

	void test('an invalid pattern is not used; any other failure of the read passes through', async () => {
		const markers = new LenientVersionMarker(() => assert.fail('nothing to report'));
		assert.equal(await markers.read('(', async (marker) => marker), undefined);
		const failure = new OtaError({ code: 'FileNotReadable', source: 'validation', message: 'gone' });
		await assert.rejects(
			markers.read('x', () => Promise.reject(failure)),
			(error) => error === failure,
		);
	});
});
