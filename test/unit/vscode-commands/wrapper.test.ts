// The command wrapper owns errors, cancellation and logging, for the first run and for every "Retry" of it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cancelledButRegistered, OtaError, PACKAGE_MAY_BE_REGISTERED } from '../../../src/core/errors';
import { transportError } from '../../../src/core/upload/postObject';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

interface Shown {
	id: string;
	text: string;
	actions: string[];
}

/** A log channel and a prompter that record; `answer` picks the button of each message in turn. */
function harness(answers: Array<string | undefined>) {
	const lines: string[] = [];
	const shown: Shown[] = [];
	const record = (level: string) => (text: string) => void lines.push(`${level} ${text}`);
	const log = { debug: record('debug'), info: record('info'), error: record('error'), show: () => undefined };
	let nextMessage: () => void = () => undefined;
	const prompter = {
		message: (id: string, _severity: string, text: string, _options: object, ...actions: string[]) => {
			shown.push({ id, text, actions });
			nextMessage();
			return Promise.resolve(answers.shift());
		},
	};
	/** Resolves once `count` messages were shown in total. */
	const messages = (count: number): Promise<void> =>
		new Promise((resolve) => {
			const check = (): void => (shown.length >= count ? resolve() : undefined);
			nextMessage = check;
			check();
		});
	return { lines, shown, log, prompter, messages, mask: { list: () => [], apply: (text: string) => text } };
}

void describe('wrapCommand', () => {
	void test('a retried action that fails again gets the same handling: a second message and a second error line', async () => {
		const { withRetry, wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const h = harness(['Retry', undefined]);
		let runs = 0;
		const fail = (): never => {
			runs++;
			throw withRetry(new OtaError({ code: 'Boom', source: 'network', message: `attempt ${runs} failed` }), fail);
		};
		const command = wrapCommand('iotOta.test', fail, { log: h.log, mask: h.mask, prompter: h.prompter } as never);
		assert.equal(await command(), undefined);
		await h.messages(2);
		assert.equal(runs, 2);
		assert.deepEqual(
			h.shown.map((m) => [m.id, m.text, m.actions]),
			[
				['error', 'attempt 1 failed (Boom)', ['Retry', 'Show Log']],
				['error', 'attempt 2 failed (Boom)', ['Retry', 'Show Log']],
			],
		);
		assert.deepEqual(
			h.lines.filter((line) => line.startsWith('error')),
			['error [iotOta.test] network error: attempt 1 failed (Boom)', 'error [iotOta.test] network error: attempt 2 failed (Boom)'],
		);
		assert.equal(h.lines.filter((line) => line === 'debug [iotOta.test] start').length, 2, 'the retry is logged as a run of its own');
	});

	void test('a retry that is cancelled stays silent; one that succeeds logs done', async () => {
		const { withRetry, wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		for (const [outcome, expected] of [
			['cancel', 'info [iotOta.test] cancelled: Cancelled.'],
			['succeed', /^debug \[iotOta\.test\] done in \d+ ms$/],
		] as const) {
			const h = harness(['Retry']);
			let settle: () => void = () => undefined;
			const retried = new Promise<void>((resolve) => (settle = resolve));
			const retry = (): void => {
				settle();
				if (outcome === 'cancel') {
					throw new OtaError({ code: 'Cancelled', source: 'cancelled', message: 'Cancelled.' });
				}
			};
			const first = (): never => {
				throw withRetry(new OtaError({ code: 'Boom', source: 'network', message: 'first failed' }), retry);
			};
			await wrapCommand('iotOta.test', first, { log: h.log, mask: h.mask, prompter: h.prompter } as never)();
			await retried;
			await new Promise((resolve) => setImmediate(resolve));
			assert.equal(h.shown.length, 1, `${outcome}: no second message`);
			assert.ok(
				h.lines.some((line) => (typeof expected === 'string' ? line === expected : expected.test(line))),
				`${outcome}: ${h.lines.join(' | ')}`,
			);
		}
	});

	void test('a cancel is silent but logs what it says', async () => {
		const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const h = harness([undefined]);
		const stopped =
			'Cancelled during the upload of b.bin (file 2 of 2). Nothing was registered. Uploaded and left unregistered: a.bin.';
		const cancel = (): never => {
			throw new OtaError({ code: 'Cancelled', source: 'cancelled', message: stopped });
		};
		assert.equal(await wrapCommand('iotOta.test', cancel, { log: h.log, mask: h.mask, prompter: h.prompter } as never)(), undefined);
		assert.equal(h.shown.length, 0, 'a cancel is no error');
		assert.ok(h.lines.includes(`info [iotOta.test] cancelled: ${stopped}`), h.lines.join(' | '));
	});

	void test('a cancel that left a package registered names the extension’s way to delete it, and Delete Package deletes that one', async () => {
		const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const stub = installVscodeStub();
		const h = harness(['Delete Package']);
		const kept = (): never => {
			throw cancelledButRegistered('fw-1', 'Throttled');
		};
		await wrapCommand('iotOta.test', kept, { log: h.log, mask: h.mask, prompter: h.prompter } as never)();
		await h.messages(1);
		assert.equal(h.shown.length, 1);
		assert.equal(
			h.shown[0].text,
			'Cancelled, but the OTA firmware fw-1 registered just before could not be deleted (Throttled). Delete it in the OTA Packages view (Delete Package…). (CancelledButRegistered)',
		);
		assert.deepEqual(h.shown[0].actions, ['Delete Package', 'Show Log']);
		assert.ok(h.lines.some((line) => line.startsWith('error [iotOta.test] cancelled error: Cancelled, but the OTA firmware fw-1')));
		await new Promise((resolve) => setImmediate(resolve));
		assert.deepEqual(stub.commands.executed.at(-1), { command: 'iotOta.deletePackage', args: [{ firmwareId: 'fw-1' }] });
	});

	void test('server text in an error: the notification has no link and no control character, the log line is one line', async () => {
		const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const h = harness([undefined]);
		const message = 'Refused\u001b[2J [Open](command:workbench.action.terminal.new)\n2024-01-01 [info] forged\u202e';
		const fail = (): never => {
			throw new OtaError({ code: 'Evil\u0007', source: 'api', message });
		};
		await wrapCommand('iotOta.test', fail, { log: h.log, mask: h.mask, prompter: h.prompter } as never)();
		await h.messages(1);
		assert.equal(h.shown[0].text, 'Refused?[2J [Open] (command:workbench.action.terminal.new) 2024-01-01 [info] forged? (Evil?)');
		assert.deepEqual(
			h.lines.filter((line) => line.startsWith('error')),
			['error [iotOta.test] api error: Refused?[2J [Open](command:workbench.action.terminal.new) 2024-01-01 [info] forged? (Evil?)'],
		);
	});

	void test('in a zh-cn window the notification is the error worded by its reason and masked, values too; the log keeps the English line', async () => {
		const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const stub = installVscodeStub();
		const bundle = path.resolve(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json');
		const zh = JSON.parse(readFileSync(bundle, 'utf8')) as Record<string, string>;
		const plain = stub.l10n.t;
		stub.l10n.t = (message, ...args) => plain(zh[message] ?? message, ...args);
		try {
			const h = harness([undefined]);
			// The core redacts what it knows; the extension's mask is the last guard, on the worded text as on the English.
			const mask = { list: () => ['sEcReT'], apply: (text: string) => text.replaceAll('sEcReT', '****') };
			const fail = (): never => {
				throw transportError({ name: 'Error', code: 'ECONNRESET', message: 'socket hang up near sEcReT' }, 'b.oss', []);
			};
			await wrapCommand('iotOta.test', fail, { log: h.log, mask, prompter: h.prompter } as never)();
			await h.messages(1);
			assert.equal(h.shown[0].text, '上传到 b.oss 失败：socket hang up near ****（ECONNRESET）');
			assert.deepEqual(
				h.lines.filter((line) => line.startsWith('error')),
				['error [iotOta.test] network error: Upload to b.oss failed: socket hang up near **** (ECONNRESET)'],
			);
		} finally {
			stub.l10n.t = plain;
		}
	});

	void test('the log channel makes every line one printable line, whoever writes it', async () => {
		const { printableLog } = await import('../../../src/vscode/log.js');
		const written: unknown[] = [];
		const channel = {
			name: 'IoT OTA',
			info: (m: unknown) => written.push(m),
			error: (m: unknown) => written.push(m),
			show: () => 'shown',
		};
		const log = printableLog(channel as never);
		log.info('line one\n2024-01-01 [error] forged\u001b]0;title\u0007');
		log.error(new Error('kept as an Error') as never);
		assert.equal(log.name, 'IoT OTA');
		assert.equal((log.show as unknown as () => string)(), 'shown');
		assert.equal(written[0], 'line one 2024-01-01 [error] forged?]0;title?');
		assert.ok(written[1] instanceof Error);
	});

	void test('in a window of another language the notification is translated but the log line stays English, way out included', async () => {
		const stub = installVscodeStub();
		const { wrapCommand } = await import('../../../src/vscode/commands/wrapper.js');
		const english = stub.l10n.t;
		// Every template marked: a translated sentence that reached the log would show «…» there.
		stub.l10n.t = (message, ...args) => `«${english(message, ...args)}»`;
		try {
			const h = harness([undefined]);
			const fail = (): never => {
				throw cancelledButRegistered('F-7', 'DeleteOTAFirmware failed: Not now.');
			};
			await wrapCommand('iotOta.test', fail, { log: h.log, mask: h.mask, prompter: h.prompter } as never)();
			await h.messages(1);
			assert.match(h.shown[0].text, /«Delete it in the OTA Packages view \(Delete Package…\)\.»/);
			assert.deepEqual(
				h.lines.filter((line) => line.startsWith('error')),
				[
					'error [iotOta.test] cancelled error: Cancelled, but the OTA firmware F-7 registered just before could not be deleted (DeleteOTAFirmware failed: Not now.). Delete it in the OTA Packages view (Delete Package…). (CancelledButRegistered)',
				],
			);
		} finally {
			stub.l10n.t = english;
		}
	});

	void test('what the window shows of an error is worded by its reason, with the extension’s way out, and masked after the wording', async () => {
		const stub = installVscodeStub();
		const { shownError } = await import('../../../src/vscode/commands/wrapper.js');
		const english = stub.l10n.t;
		// A window in another language: every template marked, so a sentence that bypassed the wording shows unmarked.
		stub.l10n.t = (message, ...args) => `«${english(message, ...args)}»`;
		try {
			const mask = { apply: (text: string) => text.replaceAll('S3CR3T', '***') };
			const refused = new OtaError({
				code: 'Forbidden.RAM',
				source: 'api',
				requestId: 'R-1',
				message: 'ListOTAModuleByProduct failed: denied for S3CR3T.',
				hint: 'Grant this RAM user IoT Platform permissions (e.g. the AliyunIOTFullAccess policy).',
				reason: {
					code: 'api-failed',
					values: { action: 'ListOTAModuleByProduct', text: 'denied for S3CR3T', code: 'Forbidden.RAM', hint: 'permission' },
				},
			});
			const shown = shownError(refused, mask);
			assert.ok(!shown.includes('S3CR3T'), shown);
			assert.match(shown, /«ListOTAModuleByProduct failed: denied for \*\*\*\.»/);
			assert.match(shown, /«Grant this RAM user IoT Platform permissions/);
			assert.match(shown, /«RequestId: R-1»/);
			const inDoubt = new OtaError({
				code: 'RequestTimeout',
				source: 'network',
				message: 'lost',
				reason: {
					code: PACKAGE_MAY_BE_REGISTERED,
					values: { firmwareName: 'fw', productKey: 'pk1', destVersion: '1.0', files: 'a.bin' },
				},
			});
			assert.match(shownError(inDoubt, mask), /«Look for it in the OTA Packages view \(product pk1\) before registering again\.»/);
		} finally {
			stub.l10n.t = english;
		}
	});
});
