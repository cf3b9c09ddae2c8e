// Nothing from outside reaches a terminal raw (issue #11 §2): error codes and messages, names and descriptions the
// server sends go through the one sanitiser (src/core/printable.ts) at the CLI's output boundary. Human output shows
// them as "?" on one line; --json stays one valid object per line whose strings carry them escaped, exactly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, beforeEach, describe, test } from 'node:test';
import { inertMessage, printable, printableLines, terminalSafeJson } from '../../../src/core/printable';
import type { Sandbox } from '../../../src/sandbox';
import { runCli, type CliRun } from '../cli/cliHarness';
import { installTripwire, sandboxClient } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();

/** Everything a terminal or viewer acts on: CSI, OSC title + BEL, CR, C1 CSI, NEL, bidi override, zero-width, LS, tags. */
const HOSTILE =
	'clear\u001b[2J title\u001b]0;pwned\u0007 cr\rover c1\u009b31m nel\u0085 rtl\u202egnp.exe zw\u200bsp ls\u2028 tag\u{E0041}\u{E0042} ' +
	'\n[info] Uploaded and registered, all fine [Open](command:workbench.action.terminal.new)';
const HOSTILE_CODE = 'Evil\u001b[31m.Code\u202e';
const PRINTED =
	'clear?[2J title?]0;pwned? cr over c1?31m nel? rtl?gnp.exe zw?sp ls? tag??  ' +
	'[info] Uploaded and registered, all fine [Open](command:workbench.action.terminal.new)';
/** What the boundary must never let through: every control, format and separator character except LF at a line end. */
const UNSAFE_OUTPUT = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

void describe('reliability: server text reaches the terminal neutralised, --json stays valid and exact', () => {
	const suite = useSandboxSuite('iot-ota-rel-text-', { sandbox: { qps: 1000 }, cli: true, caseDir: true });
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	beforeEach(() => {
		writeFileSync(path.join(suite.caseDir, 'fw.bin'), randomBytes(64 * 1024));
	});

	afterEach(() => tripwire.assertClean());

	const run = (...args: string[]): Promise<CliRun> =>
		runCli(suite.cli.cliPath, [...args, '--endpoint', sandbox.endpoint], { env: suite.cliEnv(), cwd: suite.caseDir });

	function assertClean(stream: string, text: string): void {
		const found = UNSAFE_OUTPUT.exec(text);
		assert.equal(found, null, `U+${found?.[0].codePointAt(0)?.toString(16)} reached ${stream}:\n${JSON.stringify(text)}`);
	}

	/** One JSON object per line, each valid; returns them. */
	function jsonLines(result: CliRun): Array<Record<string, unknown>> {
		const lines = result.stdout.split('\n');
		assert.equal(lines.pop(), '', 'stdout ends with a line break');
		assert.ok(lines.length > 0, `no JSON on stdout: ${result.stderr}`);
		return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
	}

	void test('upload --json: a gateway error with hostile Code and Message → one valid JSON object, exact values, no raw control', async () => {
		sandbox.faults.add({
			target: 'api',
			action: 'GenerateOTAUploadURL',
			kind: 'status',
			status: 400,
			code: HOSTILE_CODE,
			message: HOSTILE,
		});
		const result = await run('upload', 'fw.bin', '--json');
		assert.equal(result.code, 4, result.stderr);
		assertClean('stdout', result.stdout);
		assertClean('stderr', result.stderr);
		const [body, ...more] = jsonLines(result);
		assert.deepEqual(more, []);
		const error = body.error as { code: string; message: string };
		assert.equal(error.code, HOSTILE_CODE, 'the code reads back exactly');
		assert.ok(error.message.includes(HOSTILE.replace(/[\s.]+$/, '')), `the message reads back exactly: ${error.message}`);
	});

	void test('upload (human, --verbose): the same error is one printable "Error:" line; no forged line, no raw control', async () => {
		sandbox.faults.add({
			target: 'api',
			action: 'GenerateOTAUploadURL',
			kind: 'status',
			status: 400,
			code: HOSTILE_CODE,
			message: HOSTILE,
		});
		const result = await run('upload', 'fw.bin', '--verbose');
		assert.equal(result.code, 4);
		assert.equal(result.stdout, '');
		assertClean('stderr', result.stderr);
		const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('Error: '));
		assert.equal(errorLines.length, 1, result.stderr);
		assert.ok(errorLines[0].includes(PRINTED));
		assert.ok(!result.stderr.split('\n').some((line) => line.startsWith('[info] Uploaded and registered')), 'a forged log line');
	});

	void test('lifecycle commands: firmware show prints a hostile description neutralised, and --json exactly', async () => {
		const client = sandboxClient(sandbox);
		const ticket = await client.generateOtaUploadUrl('bin');
		const form = new FormData();
		for (const [name, value] of [
			['key', ticket.key],
			['OSSAccessKeyId', ticket.ossAccessKeyId],
			['policy', ticket.policy],
			['Signature', ticket.signature],
		]) {
			form.append(name, value);
		}
		form.append('file', new Blob([randomBytes(1024)]), 'fw.bin');
		assert.equal((await fetch(ticket.host, { method: 'POST', body: form })).status, 204);
		const desc = 'desc\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\r\u009b2J';
		const { firmwareId } = await client.createOtaFirmware({
			firmwareUrl: ticket.firmwareUrl,
			firmwareName: `text-${path.basename(suite.caseDir)}`,
			destVersion: '1.0.0',
			productKey: sandbox.productKey,
			firmwareDesc: desc,
		});
		const human = await run('firmware', 'show', firmwareId);
		assert.equal(human.code, 0, human.stderr);
		assertClean('stdout', human.stdout);
		assert.ok(human.stdout.includes('desc?]8;;https://evil.example?link?]8;;? ?2J'), human.stdout);
		const json = await run('firmware', 'show', firmwareId, '--json');
		assert.equal(json.code, 0, json.stderr);
		assertClean('stdout', json.stdout);
		const [body] = jsonLines(json);
		assert.ok(JSON.stringify(body).includes(JSON.stringify(desc).slice(1, -1)), 'the description reads back exactly');
	});

	void test('watch --json: a hostile error is one valid JSON line too', async () => {
		sandbox.faults.add({
			target: 'api',
			action: 'QueryOTAJob',
			kind: 'status',
			status: 400,
			code: HOSTILE_CODE,
			message: HOSTILE,
			times: 10,
		});
		const result = await run('watch', 'job-1', '--json');
		assert.notEqual(result.code, 0);
		assertClean('stdout', result.stdout);
		assertClean('stderr', result.stderr);
		const lines = jsonLines(result);
		assert.equal((lines.at(-1)?.error as { code: string }).code, HOSTILE_CODE);
	});
});

void describe('printable.ts: the one sanitiser', () => {
	void test('one line: tabs and line breaks become a space, every other control, format or separator character "?"', () => {
		assert.equal(printable(HOSTILE), PRINTED);
		assert.equal(printable('a\u200db\u200cc'), 'a\u200db\u200cc', 'ZWJ and ZWNJ stay (scripts and emoji need them)');
		assert.equal(printable('tags\u{E0001}\u{E0041}'), 'tags??');
		assert.equal(printable('\ufeffbom\u2066iso\u2069\u061c'), '?bom?iso??');
	});

	void test('lines: LF and tabs kept, CRLF becomes LF, a lone CR and the rest "?"', () => {
		assert.equal(printableLines('a\r\nb\rc\td\u001b[0m\n'), 'a\nb?c\td?[0m\n');
	});

	void test('notifications: nothing becomes a link', () => {
		assert.equal(
			inertMessage('see [here](command:evil?%5B%5D) or [x](https://e.example)'),
			'see [here] (command:evil?%5B%5D) or [x] (https://e.example)',
		);
	});

	void test('JSON: every unsafe character escaped, so the value reads back exactly and the text is printable', () => {
		const value = { text: HOSTILE, code: HOSTILE_CODE, zwj: 'a\u200db' };
		const json = terminalSafeJson(value);
		assert.equal(UNSAFE_OUTPUT.exec(json), null);
		assert.deepEqual(JSON.parse(json), value);
		assert.ok(json.includes('\\u001b[2J') && json.includes('\\u009b') && json.includes('\\u202e') && json.includes('\\udb40\\udc41'));
	});
});
