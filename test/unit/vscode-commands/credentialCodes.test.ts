// Which platform codes are a credentials problem is core's rule (apiErrorCodes.ts): the CLI's exit code and the
// extension's "Configure Credentials" offer classify every code the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { exitCodeFor } from '../../../src/cli/io';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

const KEY_PAIR = [
	'SignatureDoesNotMatch',
	'IncompleteSignature',
	'InvalidAccessKeyId',
	'InvalidAccessKeyId.NotFound',
	'InvalidAccessKeyId.Inactive',
	'InvalidSecurityToken.Expired',
	'InvalidSecurityToken.MismatchWithAccessKey',
	'MissingSecurityToken',
];
const PERMISSION = ['Forbidden.RAM', 'NoPermission', 'Forbidden', 'iot.common.PermissionDeny'];
const OTHER = ['InvalidTimeStamp.Expired', 'Throttling.User', 'iot.prod.NotExistedProduct', 'InvalidAccessKeyIdFoo', 'ForbiddenX'];

/** The buttons the wrapper's notification offers for a failed call with `code`. */
async function offered(code: string): Promise<string[]> {
	const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
	let actions: string[] = [];
	const prompter = {
		message: (_id: string, _severity: string, _text: string, _options: object, ...shown: string[]) => (
			(actions = shown),
			Promise.resolve(undefined)
		),
	};
	const log = { debug: () => undefined, info: () => undefined, error: () => undefined, show: () => undefined };
	const mask = { list: () => [], apply: (text: string) => text };
	const fail = (): never => {
		throw new OtaError({ code, source: 'api', message: `${code} failed` });
	};
	await wrapCommand('iotOta.test', fail, { log, mask, prompter } as never)();
	return actions;
}

void test('a wrong key pair: the CLI exits with the credentials code and the extension offers Configure Credentials', async () => {
	for (const code of KEY_PAIR) {
		assert.equal(exitCodeFor(new OtaError({ code, source: 'api', message: 'm' })), 3, code);
		assert.ok((await offered(code)).includes('Configure Credentials'), code);
	}
});

void test('a missing permission: Configure Credentials is offered (another key may have it), the exit code is the remote one', async () => {
	for (const code of PERMISSION) {
		assert.equal(exitCodeFor(new OtaError({ code, source: 'api', message: 'm' })), 4, code);
		assert.ok((await offered(code)).includes('Configure Credentials'), code);
	}
});

void test('any other platform code: neither', async () => {
	for (const code of OTHER) {
		assert.equal(exitCodeFor(new OtaError({ code, source: 'api', message: 'm' })), 4, code);
		assert.deepEqual(await offered(code), ['Show Log'], code);
	}
});
