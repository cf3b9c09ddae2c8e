// Configure Credentials offers a source it cannot read (an environment with only half of an AccessKey) with the core's
// reason as its description; choosing it is refused with the core's error: in the window's language in a zh-cn window,
// in the English the CLI would print in the log.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { errorReport } from '../../../src/vscode/errorText';
import { installVscodeStub } from '../../support/vscodeStub';
import { zhL10n } from '../vscode-ota/wordingHelpers';

const stub = installVscodeStub();

const saved = { ...process.env };
const english = stub.l10n.t;

beforeEach(() => {
	for (const key of Object.keys(process.env).filter((name) => /^ALI(BABA_?)?CLOUD_/.test(name))) {
		delete process.env[key];
	}
	Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tExampleId', ALIBABA_CLOUD_IGNORE_PROFILE: 'TRUE' });
	stub.l10n.t = (message, ...args) => zhL10n.t(message, ...(args as string[]));
});

afterEach(() => {
	process.env = { ...saved };
	stub.l10n.t = english;
});

void test('the unreadable source is described and refused in Chinese, and logged in English with its own code and the core hint', async () => {
	const { configureCredentials } = await import('../../../src/vscode/credentials/configure.js');
	let described: string | undefined;
	const prompter = {
		pick: async (_id: string, items: Array<{ description?: string; problem?: unknown }>) => {
			const unreadable = items.find((item) => item.problem !== undefined);
			described = unreadable?.description;
			return unreadable;
		},
	};
	const error = await configureCredentials({ prompter } as never).then(
		() => assert.fail('a source that cannot be read was accepted'),
		(failure: unknown) => failure,
	);
	assert.ok(error instanceof OtaError, String(error));
	const { shown, logged } = errorReport(error, zhL10n);
	assert.equal(
		logged,
		'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not. Set both variables, or unset both to use another credential source. (CredentialsSourceUnavailable)',
		'the log line is the English the CLI would print',
	);
	for (const text of [shown, described ?? '']) {
		assert.match(text, /[\u4e00-\u9fff]/, text);
		assert.ok(text.includes('ALIBABA_CLOUD_ACCESS_KEY_ID') && text.includes('ALIBABA_CLOUD_ACCESS_KEY_SECRET'), text);
		assert.doesNotMatch(text, /is set but/, text);
	}
	assert.ok(shown.endsWith('（CredentialsSourceUnavailable）'), shown);
	// The core's way out (its hint) stays, worded in the window too.
	assert.ok(shown.includes(zhL10n.t('Set both variables, or unset both to use another credential source.')), shown);
	assert.doesNotMatch(shown, /Set both variables/, shown);
});
