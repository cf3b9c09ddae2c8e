// The upload summaries print a file name and a FirmwareName from outside: each is one printable line, so a line
// break in either cannot forge a line ("FirmwareUrl: …") and no bidi or C1 control reaches the terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UploadOutcome } from '../../../src/cli/commands/upload';
import { uploadSummary } from '../../../src/cli/commands/uploadOutput';
import { packageSummary } from '../../../src/cli/commands/uploadPackage';
import type { MultiFileResult } from '../../../src/core/flow';

const NAME = 'fw\u202Egnp\u2066x\u2069\n  FirmwareUrl: https://evil.example/fw.bin\u0085.bin';
const SHOWN = 'fw?gnp?x?   FirmwareUrl: https://evil.example/fw.bin?.bin';
const URL = 'https://bucket.oss.example/ota/abc.bin';

void test('upload summary: the file name and the FirmwareName one printable line each; the FirmwareUrl exact', () => {
	const record = { fileName: NAME, size: 1024, firmwareUrl: URL, md5: 'm', sha256: 's', firmwareName: NAME, firmwareId: 'id1' };
	const outcome = {
		result: { upload: { durationMs: 1000, attempts: 1 }, created: { firmwareId: 'id1' }, record },
	} as unknown as UploadOutcome;
	const lines = uploadSummary(outcome).split('\n');
	assert.equal(lines[0], `Uploaded ${SHOWN} (1.0 KB) in 1 s`);
	assert.equal(lines[1], `  FirmwareUrl: ${URL}`);
	assert.equal(lines[4], `Registered "${SHOWN}" (FirmwareId id1)`);
	assert.equal(lines.filter((line) => line.startsWith('  FirmwareUrl:')).length, 1, 'no forged line');
});

void test('package summary: every file name and the FirmwareName one printable line each', () => {
	const upload = { size: 1024, durationMs: 1000, firmwareUrl: URL, md5: 'm', sha256: 's' };
	const result = {
		created: { firmwareName: NAME, firmwareId: 'id2' },
		request: { destVersion: '1.0.0' },
		files: [{ name: NAME, upload }],
	} as unknown as MultiFileResult;
	const lines = packageSummary(result).split('\n');
	assert.equal(lines[1], `  ${SHOWN} (1.0 KB)`);
	assert.equal(lines[2], `    FirmwareUrl: ${URL}`);
	assert.equal(lines[5], `Registered "${SHOWN}" (FirmwareId id2), version 1.0.0, one package of 1 files`);
});
