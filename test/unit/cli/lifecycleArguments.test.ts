// The lifecycle commands as users run them (`node cli.js …`) against a scripted local IoT responder: arguments are
// checked against the documented limits, and --page against the core's paging depth, before any call (exit 2).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_CURRENT_PAGE, type ListAction } from '../../../src/core/iot/actions';
import { listPage } from '../../../src/core/iot/paging';
import { okBody } from '../core-api/stubServer';
import { cleanEnv, parseJsonOutput, runCli } from './cliHarness';
import { useLifecycleStub } from './lifecycleStub';

const t = useLifecycleStub('iot-ota-lifecycle-cli-args-');
const { handlers, run } = t;

void describe('arguments are checked against the documented limits before any call (exit 2)', () => {
	const soon = new Date(Date.now() + 60_000).toISOString();
	const far = new Date(Date.now() + 8 * 86_400_000).toISOString();
	const start = new Date(Date.now() + 3_600_000).toISOString();
	const tooEarlyFinish = new Date(Date.now() + 3_600_000 + 30 * 60_000).toISOString();
	const eleven = Array.from({ length: 11 }, (_, i) => `d${i}`).join(',');
	const cases: Array<[string[], RegExp]> = [
		[['verify', 'F1'], /needs --devices/],
		[['verify', 'F1', '--devices', eleven], /--devices: .*1 to 10 are allowed \(got 11\)/],
		[['verify', 'F1', '--devices', 'a,a'], /listed twice/],
		[['verify', 'F1', '--devices', 'a', '--timeout', '0'], /--timeout: .*1 to 1440/],
		[['verify', 'F1', '--devices', 'a', '--timeout', '1441'], /--timeout/],
		[['rollout', 'F1'], /Say which devices/],
		[['rollout', 'F1', '--all', '--gray', '5'], /Choose one target, not --all and --gray/],
		[['rollout', 'F1', '--all', '--retry', '7:2'], /--retry must be MIN:COUNT/],
		[['rollout', 'F1', '--all', '--retry', '10:3'], /--retry must be MIN:COUNT/],
		[['rollout', 'F1', '--all', '--retry', '60:1', '--timeout', '60'], /--retry: .*shorter than the timeout/],
		[['rollout', 'F1', '--all', '--rate', '9'], /--rate: .*10 to 10000/],
		[['rollout', 'F1', '--gray', '1.2345'], /--gray: .*up to 3 decimals/],
		[['rollout', 'F1', '--gray', '0'], /--gray/],
		[
			['rollout', 'F1', '--all', '--schedule', soon],
			/^Error: --schedule: The start time must be between 5 minutes and 7 days from now/,
		],
		[['rollout', 'F1', '--all', '--schedule', far], /^Error: --schedule: /],
		[
			['rollout', 'F1', '--all', '--schedule', start, '--finish', tooEarlyFinish],
			/^Error: --finish: .*1 hour and 30 days after the start time/,
		],
		[
			['rollout', 'F1', '--all', '--src-version', '1.0.0', '--dynamic', '--schedule', start],
			/^Error: --dynamic: .*cannot be scheduled/,
		],
		[['rollout', 'F1', '--all', '--schedule', '2025-01-01 10:00'], /ISO 8601/],
		[['rollout', 'F1', '--devices', 'a', '--src-version', '1.0.0'], /--src-version: .*not to chosen devices/],
		[['rollout', 'F1', '--gray', '5', '--dynamic'], /--dynamic/],
		[['rollout', 'F1', '--all', '--dynamic'], /--dynamic: .*exactly one/],
		[['rollout', 'F1', '--all', '--halt-at', '0'], /--halt-at/],
		[['rollout', 'F1', '--device-file', '/nonexistent/list.txt'], /--device-file: cannot read/],
		[['rollout', 'F1', '--group', ' '], /--group: .*group id/],
		[['rollout', 'F1', '--group', '', '--dynamic'], /--group: .*group id/],
		[['watch', 'J1', '--halt-at', '5:x'], /--halt-at/],
		[['cancel', 'J1'], /^Error: Say what to cancel/],
		[['cancel', 'J1', '--devices', 'a,a'], /--devices: .*listed twice/],
		[['doctor', 'J1', '--device', 'a b'], /--device: /],
		[['retry', 'J1', '--tasks', 'a,a'], /--tasks: .*listed twice/],
		[['confirm', 'J1', '--tasks', 'a b'], /--tasks: /],
		[['list', '--page-size', '0'], /--page-size: The page size must be a whole number from 1 to 100 \(got 0\)/],
		[['firmware', 'list', '--page', '0'], /--page: The page number must be a whole number from 1 to/],
		[['list', '--page', '2x'], /--page must be a whole number \(got "2x"\)/],
		[['products', '--page-size', '201'], /--page-size: The page size must be a whole number from 1 to 200 \(got 201\)/],
		[['retry', 'J1', '--failed', '--tasks', 't1'], /not both/],
		[['devices'], /needs --product-key/],
		[['firmware'], /needs a subcommand: list, show, create, delete/],
		[['firmware', 'show'], /Missing argument/],
		[['jobs', 'F 1'], /FirmwareId must be one word/],
	];
	for (const [args, message] of cases) {
		void test(`iot-ota ${args.join(' ')}`, async () => {
			const result = await run(args);
			assert.equal(result.code, 2, result.stderr);
			assert.match(result.stderr, message);
			assert.deepEqual(result.requests, [], 'no call was made');
		});
	}

	void test('usage errors come before the credential lookup: exit 2 even without credentials', async () => {
		for (const args of [
			['retry', 'J1', '--tasks', 'a,a'],
			['confirm', 'J1', '--tasks', 'a,a'],
			['list', '--page-size', '0'],
			['products', '--page', '0'],
			['doctor', 'J1', '--device', 'a b'],
			['cancel', 'J1', '--devices', 'a,a'],
			['rollout', 'F1', '--group', ' '],
		]) {
			const result = await runCli(t.cli.cliPath, [...args, '--endpoint', t.stub.url], { env: cleanEnv(t.home) });
			assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		}
	});

	void test('--json reports the usage error as one JSON object', async () => {
		const result = await run(['rollout', 'F1', '--all', '--rate', '20000', '--json']);
		assert.equal(result.code, 2);
		assert.equal((parseJsonOutput(result).error as { code: string }).code, 'UsageError');
	});
});

void describe("--page is held to the core's paging depth (MAX_CURRENT_PAGE)", () => {
	const coreMessage = (action: ListAction, currentPage: number): string => {
		try {
			listPage(action, { currentPage });
		} catch (error) {
			return (error as Error).message;
		}
		throw new Error(`the core accepts page ${currentPage}`);
	};
	for (const [command, action] of [
		[['list'], 'ListOTAFirmware'],
		[['firmware', 'list'], 'ListOTAFirmware'],
		[['products'], 'QueryProductList'],
	] as const) {
		void test(`${command.join(' ')}: the page after the cap is refused with the core's message, the cap itself is asked for`, async () => {
			const refused = await run([...command, '--page', String(MAX_CURRENT_PAGE + 1)]);
			assert.equal(refused.code, 2, refused.stderr);
			assert.ok(refused.stderr.includes(`--page: ${coreMessage(action, MAX_CURRENT_PAGE + 1)}`), refused.stderr);
			assert.deepEqual(refused.requests, [], 'no call was made');

			handlers.ListOTAFirmware = () =>
				okBody({ CurrentPage: MAX_CURRENT_PAGE, PageSize: 20, Total: 0, FirmwareInfo: { SimpleFirmwareInfo: [] } });
			handlers.QueryProductList = () =>
				okBody({ Data: { CurrentPage: MAX_CURRENT_PAGE, PageSize: 20, Total: 0, List: { ProductInfo: [] } } });
			const accepted = await run([...command, '--page', String(MAX_CURRENT_PAGE)]);
			assert.equal(accepted.code, 0, accepted.stderr);
			assert.deepEqual(
				accepted.requests.map((r) => [r.params.Action, r.params.CurrentPage]),
				[[action, String(MAX_CURRENT_PAGE)]],
			);
		});
	}
});
