// What the wording tests share: the error a check throws, and the zh-cn bundle as a translator.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';

/** The OtaError `check` throws (or rejects with); fails when it passes. */
export async function thrown(check: () => unknown): Promise<OtaError> {
	try {
		await check();
	} catch (error) {
		assert.ok(error instanceof OtaError, String(error));
		return error;
	}
	assert.fail('the check passed');
}

const root = path.resolve(__dirname, '..', '..', '..');
const zhBundle = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The zh-cn bundle as a translator: what vscode.l10n does in a zh-cn window. */
export const zhL10n: Translator = {
	t: (message: string | { message: string }, ...args: unknown[]) => {
		const key = typeof message === 'string' ? message : message.message;
		return plainL10n.t(zhBundle[key] ?? key, ...(args as string[]));
	},
} as Translator;

/** The core's message and hint, as the CLI prints them. */
export const english = (error: OtaError) => (error.hint ? `${error.message} ${error.hint}` : error.message);
