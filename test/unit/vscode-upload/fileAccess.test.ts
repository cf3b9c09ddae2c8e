// A firmware file of another scheme (a virtual file system, Live Share) is checked by the extension before it is copied:
// missing, a directory or too large, it fails with the core's own error (message, hint, reason), named by its URI, so
// that it reads as the CLI's and is worded in the window's language like a local file's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { directoryError, notFoundError, tooLargeError } from '../../../src/core/limits';
import { MAX_FIRMWARE_BYTES } from '../../../src/core/types';
import { installVscodeStub } from '../../support/vscodeStub';

const DIRECTORY = 2;
const stub = installVscodeStub() as unknown as Record<string, unknown>;
const entries = new Map<string, { type: number; size: number }>([
	['vsls:/build', { type: DIRECTORY, size: 0 }],
	['vsls:/build/huge.bin', { type: 1, size: MAX_FIRMWARE_BYTES + 1 }],
]);
stub.FileType = { File: 1, Directory: DIRECTORY };
stub.workspace = {
	fs: {
		stat: async (uri: { text: string }) => {
			const entry = entries.get(uri.text);
			if (!entry) {
				throw new Error(`EntryNotFound (FileSystemError): ${uri.text}`);
			}
			return entry;
		},
	},
};

const uri = (text: string) => ({ scheme: 'vsls', path: text.slice('vsls:'.length), text, toString: () => text });

async function refusal(text: string): Promise<OtaError> {
	const { localFileFor } = await import('../../../src/vscode/upload/fileAccess.js');
	try {
		await localFileFor(uri(text) as never);
	} catch (error) {
		assert.ok(error instanceof OtaError, String(error));
		return error;
	}
	assert.fail(`${text} was accepted`);
}

const same = (actual: OtaError, expected: OtaError) =>
	assert.deepEqual(
		[actual.code, actual.describe(), actual.reason],
		[expected.code, expected.describe(), expected.reason],
		actual.describe(),
	);

void test("a missing, directory or too large resource of another scheme fails with the core's error, named by its URI", async () => {
	same(await refusal('vsls:/build/missing.bin'), notFoundError('vsls:/build/missing.bin'));
	same(await refusal('vsls:/build'), directoryError('vsls:/build'));
	same(await refusal('vsls:/build/huge.bin'), tooLargeError('vsls:/build/huge.bin', MAX_FIRMWARE_BYTES + 1));
	assert.match((await refusal('vsls:/build/missing.bin')).hint ?? '', /Build the firmware first/);
});
