import assert from 'node:assert/strict';
import { appendFileSync, truncateSync, utimesSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { openRegularFile, type OpenedFile } from '../../../src/core/limits';
import { FileChunkReader } from '../../../src/core/upload/fileChunks';
import { isTicketRejected, OssError, ossErrorFromResponse, parseOssErrorXml } from '../../../src/core/upload/ossError';
import { buildPostObjectForm } from '../../../src/core/upload/postFormBuilder';
import { RateMeter } from '../../../src/core/upload/rateMeter';
import { ossErrorXml, patternBytes, scratchDir, ticketFor } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

void describe('OSS error documents', () => {
	void test('parses Code, Message, RequestId, HostId and EC, unescaping entities', () => {
		const xml = ossErrorXml(
			'AccessDenied',
			'Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;ota/&quot;] &amp; more',
			'RID1',
			'0006-00000227',
		);
		assert.deepEqual(parseOssErrorXml(xml), {
			code: 'AccessDenied',
			message: 'Policy Condition failed: ["starts-with", "$key", "ota/"] & more',
			requestId: 'RID1',
			hostId: 'bucket.oss-cn-shanghai.aliyuncs.com',
			ec: '0006-00000227',
		});
	});

	void test('tolerates missing elements and rejects non-error bodies', () => {
		assert.deepEqual(parseOssErrorXml('<Error><Code>NoSuchBucket</Code></Error>'), {
			code: 'NoSuchBucket',
			message: undefined,
			requestId: undefined,
			hostId: undefined,
			ec: undefined,
		});
		assert.equal(parseOssErrorXml('<html>502</html>'), undefined);
		assert.equal(parseOssErrorXml(''), undefined);
	});

	void test('classifies expiry, retryable statuses and ticket rejections', () => {
		const expired = ossErrorFromResponse(
			403,
			'Forbidden',
			ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.', 'R'),
			undefined,
			[],
		);
		assert.equal(expired.code, 'PolicyExpired');
		assert.equal(expired.ossCode, 'AccessDenied');
		assert.ok(expired.retryable && isTicketRejected(expired));
		assert.match(expired.hint ?? '', /valid for only 1 minute;/);

		const denied = ossErrorFromResponse(
			403,
			'Forbidden',
			ossErrorXml('AccessDenied', 'You have no right to access this object.', 'R'),
			undefined,
			[],
		);
		assert.equal(denied.code, 'AccessDenied');
		assert.equal(denied.retryable, false);
		assert.equal(isTicketRejected(denied), true, 'a plain AccessDenied is worth one fresh ticket');

		const signature = ossErrorFromResponse(403, 'Forbidden', ossErrorXml('SignatureDoesNotMatch', 'no match', 'R'), undefined, []);
		assert.equal(isTicketRejected(signature), false);
		assert.equal(ossErrorFromResponse(500, 'Internal', '', 'HDR', []).retryable, true);
		assert.equal(ossErrorFromResponse(500, 'Internal', '', 'HDR', []).requestId, 'HDR');
		assert.equal(isTicketRejected(new OtaError({ code: 'AccessDenied', source: 'api', message: 'x' })), false);
		assert.ok(expired instanceof OssError);
	});
});

void describe('buildPostObjectForm', () => {
	void test('the preamble ends with the file part header and Content-Length covers the whole body', () => {
		const form = buildPostObjectForm(ticketFor('https://bucket.oss-cn-shanghai.aliyuncs.com', 3), 1000);
		const preamble = form.preamble.toString('latin1');
		assert.match(preamble, /name="file"; filename="ticket-3\.bin"\r\nContent-Type: application\/octet-stream\r\n\r\n$/);
		assert.ok(preamble.indexOf('name="success_action_status"') < preamble.indexOf('name="file"'));
		assert.equal(form.contentLength, form.preamble.length + 1000 + form.footer.length);
		assert.equal(form.headers['content-length'], String(form.contentLength));
		const boundary = /boundary=(.+)$/.exec(form.headers['content-type'])?.[1];
		assert.equal(form.footer.toString('latin1'), `\r\n--${boundary}--\r\n`);
	});
});

void describe('RateMeter', () => {
	void test('averages over the sliding window', () => {
		let now = 0;
		const meter = new RateMeter(3000, () => now);
		assert.equal(meter.record(0), 0);
		now = 1000;
		assert.equal(meter.record(1000), 1000);
		now = 2000;
		assert.equal(meter.record(2000), 1000);
		now = 3000;
		assert.equal(meter.record(12_000), 4000);
		// Samples older than the 3 s window drop out: (22 000 − 2 000) bytes over the last 3 s
		now = 5000;
		assert.equal(meter.record(22_000), (22_000 - 2000) / 3);
		meter.reset();
		assert.equal(meter.rate(), 0);
	});

	void test('stays bounded over many samples', () => {
		let now = 0;
		const meter = new RateMeter(3000, () => now);
		for (let i = 0; i < 50_000; i++) {
			now += 1;
			meter.record(i * 100);
		}
		assert.equal(Math.round(meter.rate()), 100_000);
	});
});

void describe('FileChunkReader', () => {
	const opened: OpenedFile[] = [];
	after(() => Promise.all(opened.map((file) => file.handle.close())));
	/** A reader over a file opened as the uploader opens it (closed after the tests). */
	const readerOf = async (filePath: string, chunkBytes: number, poolSize: number, shared = false): Promise<FileChunkReader> => {
		const file = await openRegularFile(filePath);
		opened.push(file);
		return FileChunkReader.over(file, chunkBytes, poolSize, undefined, shared);
	};

	void test('a shared pool reads into SharedArrayBuffers (what the hash worker reads in place), reused after release', async () => {
		const bytes = patternBytes(10_000, 6);
		const reader = await readerOf(scratch.file('shared.bin', bytes), 4096, 1, true);
		const first = await reader.next();
		assert.ok(first?.buffer instanceof SharedArrayBuffer);
		const firstCopy = Buffer.from(first);
		reader.release(first);
		const second = await reader.next();
		assert.equal(second?.buffer, first.buffer);
		assert.ok(Buffer.concat([firstCopy, Buffer.from(second!)]).equals(bytes.subarray(0, 8192)));
	});

	void test('reads the file in pooled chunks and reuses released buffers', async () => {
		const bytes = patternBytes(10_000, 5);
		const reader = await readerOf(scratch.file('chunks.bin', bytes), 4096, 2);
		const first = await reader.next();
		const second = await reader.next();
		assert.ok(first && second);
		assert.notEqual(first.buffer, second.buffer);
		const firstCopy = Buffer.from(first);
		reader.release(first);
		const third = await reader.next();
		assert.equal(third?.buffer, first.buffer, 'the released slot is reused');
		assert.equal(third?.length, 10_000 - 8192);
		assert.ok(Buffer.concat([firstCopy, second, third!]).equals(bytes));
		assert.equal(await reader.next(), undefined);
		await reader.verifyUnchanged();
	});

	void test('a file that grows during the read is reported', async () => {
		const file = scratch.file('grows.bin', patternBytes(5000, 1));
		const reader = await readerOf(file, 4096, 2);
		await reader.next();
		appendFileSync(file, 'more');
		await reader.next();
		await assert.rejects(
			reader.verifyUnchanged(),
			(e: unknown) => e instanceof OtaError && e.code === 'FileChanged' && /size went from 5000 to 5004 bytes/.test(e.message),
		);
	});

	void test('a file that shrinks during the read is reported', async () => {
		const file = scratch.file('shrinks.bin', patternBytes(5000, 2));
		const reader = await readerOf(file, 4096, 2);
		await reader.next();
		truncateSync(file, 4096);
		await assert.rejects(reader.next(), (e: unknown) => e instanceof OtaError && e.code === 'FileChanged' && /shrank/.test(e.message));
	});

	void test('a file rewritten in place (same size, new mtime) is reported', async () => {
		const file = scratch.file('rewritten.bin', patternBytes(100, 3));
		const reader = await readerOf(file, 4096, 2);
		await reader.next();
		utimesSync(file, new Date(), new Date(Date.now() + 5000));
		await assert.rejects(reader.verifyUnchanged(), (e: unknown) => e instanceof OtaError && /rewritten/.test(e.message));
	});

	void test('abort fails a read that waits for a free buffer', async () => {
		const reader = await readerOf(scratch.file('abort.bin', patternBytes(10_000, 4)), 1024, 1);
		await reader.next();
		const waiting = reader.next();
		reader.abort(new OtaError({ code: 'Cancelled', source: 'cancelled', message: 'Cancelled during the upload.' }));
		await assert.rejects(waiting, (e: unknown) => e instanceof OtaError && e.code === 'Cancelled');
	});
});
