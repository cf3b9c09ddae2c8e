// The note the Uploads rows of a package that may be registered all the same keep is the error notification's line:
// one language, the window's (not the core's English with the extension's hint in Chinese after it), secrets masked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notRegistered, type UploadedPackageFile } from '../../../src/core/flow/multiFileRun';
import { fromErrorBody, mapPopError, type CallContext } from '../../../src/core/iot/popErrors';
import type { CreateFirmwareRequest } from '../../../src/core/types';
import { stoppedPackageNote } from '../../../src/vscode/create/stoppedPackageNote';
import { errorReport } from '../../../src/vscode/errorText';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { zhL10n } from './wordingHelpers';

const ctx: CallContext = { action: 'CreateOTAFirmware', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };
const request: CreateFirmwareRequest = { productKey: 'pk1', firmwareName: 'fw-5', destVersion: '5.0.0', firmwareUrl: 'https://x' };
const uploaded = [{ name: 'spiffs.bin' }, { name: 'modem.bin' }] as UploadedPackageFile[];
const mask = { list: () => ['S3CR3T'], apply: (text: string) => text.replaceAll('S3CR3T', '***') };
const CJK = /[\u4e00-\u9fff]/;

void test('in a zh-cn window the note is the notification’s Chinese line, with none of the core’s English', () => {
	const doubt = notRegistered(mapPopError({ name: 'RequestTimeoutError' }, ctx), uploaded, 'the registration', request);
	const note = stoppedPackageNote(doubt, zhL10n, mask) ?? assert.fail('no note');
	assert.equal(note, errorReport(doubt, zhL10n).shown);
	assert.match(note, CJK);
	assert.ok(!note.includes(doubt.message), `the core's English message is not in the note: ${note}`);
	assert.ok(doubt.hint && !note.includes(doubt.hint), `the core's English hint is not in the note: ${note}`);
	assert.doesNotMatch(note, /may be registered all the same|Look for it in the OTA Packages view/);
	assert.ok(note.includes(zhL10n.t('Look for it in the OTA Packages view (product {0}) before registering again.', 'pk1')), note);
});

void test('in an English window the note is what the CLI prints, with the extension’s way out', () => {
	const doubt = notRegistered(mapPopError({ name: 'RequestTimeoutError' }, ctx), uploaded, 'the registration', request);
	const note = stoppedPackageNote(doubt, plainL10n, mask) ?? assert.fail('no note');
	assert.equal(note, errorReport(doubt, plainL10n).logged);
	assert.match(note, /Look for it in the OTA Packages view \(product pk1\) before registering again\./);
});

void test('secrets in the server’s words are masked after the wording', () => {
	const lost = fromErrorBody({ Code: 'InternalError', Message: 'Unknown error for S3CR3T.' }, 500, ctx);
	const note = stoppedPackageNote(notRegistered(lost, uploaded, 'the registration', request), zhL10n, mask) ?? '';
	assert.match(note, CJK);
	assert.ok(!note.includes('S3CR3T'), note);
	assert.match(note, /Unknown error for \*\*\*/);
});

void test('a package surely not registered leaves its rows without a note', () => {
	const refused = fromErrorBody({ Code: 'InvalidParameter', Message: 'Bad name.' }, 400, ctx);
	assert.equal(stoppedPackageNote(notRegistered(refused, uploaded, 'the registration', request), zhL10n, mask), undefined);
});
