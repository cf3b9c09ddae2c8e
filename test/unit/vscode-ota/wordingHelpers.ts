// What the wording tests share: the error a check throws, the zh-cn bundle as a translator, the English the CLI prints
// and the checks every worded reason passes (in English as the core says it; in zh-cn with its values kept).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OtaError } from '../../../src/core/errors';
import { errorText } from '../../../src/vscode/errorText';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';
import { validationText } from '../../../src/vscode/validationText';

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

/** In English, the extension words `error` (of reason `reason`) exactly as the core says it to the CLI, notification line included. */
export function assertEnglishAsCore(error: OtaError, reason: string): void {
	assert.equal(error.reason?.code, reason, error.message);
	assert.equal(validationText(error, plainL10n), english(error), reason);
	assert.equal(errorText(error, plainL10n), error.describe(), `${reason}: the notification line`);
}

/**
 * In a zh-cn window, `error` reads in Chinese, keeps every value of its reason as the core gave it (but the `selectors`,
 * the values that pick a wording or are worded themselves) and leaves no English sentence of ours around them.
 */
export function assertZhKeepsValues(error: OtaError, selectors: readonly string[]): string {
	const reason = error.reason?.code ?? '(none)';
	const zh = validationText(error, zhL10n);
	assert.match(zh, /[\u4e00-\u9fff]/, `${reason}: ${zh}`);
	const kept = Object.entries(error.reason?.values ?? {}).filter(([key, value]) => !selectors.includes(key) && String(value) !== '');
	for (const [key, value] of kept) {
		assert.ok(zh.includes(String(value)), `${reason}: keeps its ${key} ${value} in ${zh}`);
	}
	const ours = kept
		.map(([, value]) => String(value))
		.filter((value) => value.length > 2)
		.sort((a, b) => b.length - a.length)
		.reduce((rest, value) => rest.split(value).join(' '), zh);
	assert.doesNotMatch(
		ours,
		/\b(?:the|is|an|not|was|and|of|to|it|file|object|array|string|number|boolean|date|binary|data|alias)\b/i,
		`${reason}: no English of ours left in ${zh}`,
	);
	return zh;
}
