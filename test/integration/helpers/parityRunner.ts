// Runs one parity scenario through one shell against the suite's sandbox: the CLI (node dist/cli.js, SIGINT to
// cancel) or the extension's commands (upload, Create OTA Firmware, Insert FirmwareUrl; Cancel Upload to cancel),
// each on a config file of its own, and reports what the shell sent and how the run ended (registered, inserted).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { CANCEL_DURING_CREATE } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import { uploadFirmware } from '../../../src/core/uploader';
import type { FaultRule } from '../../../src/sandbox';
import { Commands } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';
import { espImage } from '../../support/firmware';
import { requestLines, startCli, stderrShows } from './parity';
import { fileUri, setSetting, type SuiteContext } from './ota';

type WhileHeld = 'cancel' | 'registerEarlier' | 'breakConfig';

export interface Scenario {
	name: string;
	fault?: FaultRule;
	hold?: FaultRule & { kind: 'hold' };
	whileHeld?: WhileHeld;
	/** A package of the same image, product and version is registered before the run. */
	existing?: true;
	/** The actions both shells must send, in order. */
	actions: string[];
	registered: boolean;
	inserted: boolean;
	cliExit: number;
}

const NAME = 'parity-1_0_0';
const VERSION = '1.0.0';
const CONFIG = '{\n  "ota": { "url": "" }\n}\n';
const BROKEN = '{ "ota": ';

export interface ShellOutcome {
	/** The requests the shell sent, as compared between the shells. */
	lines: string[];
	registered: boolean;
	/** The firmware the run uploaded was registered more than once. */
	multiple: boolean;
	inserted: boolean;
	/** The packages of the parity version after the run. */
	packages: number;
}

export interface ParityRunner {
	/** Arms the scenario, runs one shell, and returns what it sent and how it ended. */
	run(scenario: Scenario, shell: (whileHeld: () => Promise<void>) => Promise<void>): Promise<ShellOutcome>;
	/** The CLI's run of the scenario; resolves with its exit code. */
	viaCli(scenario: Scenario, whileHeld: () => Promise<void>): Promise<number | null>;
	/** The extension's run of the scenario, command by command as a user runs them. */
	viaExtension(scenario: Scenario, whileHeld: () => Promise<void>): Promise<void>;
}

/** Registers the runner's hook (call it inside `describe`, after useSuite): the parity firmware and a client of its own. */
export function useParityRunner(ctx: SuiteContext): ParityRunner {
	let earlier: IotClient;

	let runNo = 0;
	let configName = '';
	const firmware = (): vscode.Uri => fileUri('parity', 'firmware.bin');

	before(() => {
		earlier = new IotClient({ region: 'cn-shanghai', endpoint: ctx.sandbox.endpoint, credentials: ctx.sandbox.sts });
		mkdirSync(fileUri('parity').fsPath, { recursive: true });
		writeFileSync(firmware().fsPath, espImage({ app: { version: VERSION, projectName: 'parity' } }));
	});

	/** Registers the parity firmware (uploaded by the test's own key, so none of it is in the shells' lines). */
	async function registerExisting(): Promise<string> {
		const upload = await uploadFirmware(earlier, firmware().fsPath, { hash: true });
		await earlier.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName: 'existing-package',
			destVersion: VERSION,
			productKey: ctx.sandbox.productKey,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			firmwareSize: upload.size,
		});
		return upload.firmwareUrl;
	}

	/** This run's config file: a new one each run, so no editor holds an older state of it. */
	const config = (): string => fileUri('parity', configName).fsPath;

	/** The config as the shell left it: the extension edits the open document (unsaved), the CLI the file. */
	function configText(): string {
		const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === config());
		return open?.getText() ?? readFileSync(config(), 'utf8');
	}

	/** Resolves once `target` holds a request; a hold that never comes fails the test instead of hanging it. */
	async function held(target: FaultRule): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				ctx.sandbox.faults.whenHeld(target.target, target.action),
				new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${target.action} was never held`)), 20_000))),
			]);
		} finally {
			clearTimeout(timer);
		}
	}

	async function run(scenario: Scenario, shell: (whileHeld: () => Promise<void>) => Promise<void>): Promise<ShellOutcome> {
		const { sandbox } = ctx;
		sandbox.faults.clear();
		const existingUrl = scenario.existing ? await registerExisting() : undefined;
		sandbox.requests.clear();
		ctx.api.testSeam.reset();
		configName = `device-${++runNo}.json`;
		writeFileSync(config(), CONFIG);
		await setSetting('insertTargets', [{ file: `parity/${configName}`, path: 'ota.url' }], vscode.ConfigurationTarget.WorkspaceFolder);
		let uploadedUrl: string | undefined;
		const onStored = ({ key }: { key: string }): void => void (uploadedUrl = `${sandbox.ossHost}/${key}`);
		sandbox.events.on('objectStored', onStored);
		if (scenario.fault) {
			sandbox.faults.add(scenario.fault);
		}
		if (scenario.hold) {
			sandbox.faults.add(scenario.hold);
		}
		const duringHold = async (): Promise<void> => {
			if (scenario.whileHeld === 'breakConfig') {
				writeFileSync(config(), BROKEN);
			} else if (scenario.whileHeld === 'registerEarlier') {
				const url = uploadedUrl ?? assert.fail('nothing was uploaded before the duplicate check');
				await earlier.createOtaFirmware({
					firmwareUrl: url,
					firmwareName: 'earlier-attempt',
					destVersion: VERSION,
					productKey: sandbox.productKey,
				});
			}
		};
		try {
			await shell(duringHold);
		} finally {
			sandbox.events.off('objectStored', onStored);
			sandbox.faults.release();
		}
		const lines = requestLines(sandbox.requests.entries, sandbox, uploadedUrl);
		const mine = (await earlier.listOtaFirmware({ pageSize: 100, productKey: sandbox.productKey, destVersion: VERSION })).items;
		const registered = mine.filter((f) => uploadedUrl !== undefined && f.firmwareUrl?.split('?')[0] === uploadedUrl);
		const text = configText();
		await vscode.commands.executeCommand('workbench.action.files.saveAll');
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const f of mine) {
			await earlier.deleteOtaFirmware(f.firmwareId); // the next run may reuse the name
		}
		const insertedUrl = uploadedUrl ?? existingUrl;
		return {
			lines,
			registered: registered.length === 1,
			multiple: registered.length > 1,
			inserted: insertedUrl !== undefined && text.includes(insertedUrl),
			packages: mine.length,
		};
	}

	async function viaCli(scenario: Scenario, whileHeld: () => Promise<void>): Promise<number | null> {
		const args = ['upload', firmware().fsPath, '--endpoint', ctx.sandbox.endpoint, '--json', '--verbose'];
		args.push(
			'--create',
			'--product-key',
			ctx.sandbox.productKey,
			'--dest-version',
			VERSION,
			'--name',
			NAME,
			'--insert',
			`${config()}#ota.url`,
		);
		const cli = startCli(args, ctx.sandbox);
		if (scenario.hold) {
			await held(scenario.hold);
			if (scenario.whileHeld === 'cancel') {
				cli.interrupt();
				// A request the CLI aborts ends the run; CreateOTAFirmware is awaited, and the CLI says so.
				await (scenario.hold.action === 'CreateOTAFirmware' ? stderrShows(cli, CANCEL_DURING_CREATE) : cli.exited);
			}
			await whileHeld();
			ctx.sandbox.faults.release();
		}
		const done = await cli.exited;
		assert.doesNotMatch(done.stderr, /Unhandled|TypeError/, done.stderr);
		return done.code;
	}

	async function viaExtension(scenario: Scenario, whileHeld: () => Promise<void>): Promise<void> {
		const { api, sandbox } = ctx;
		const heldDuring = (step: 'upload' | 'create') =>
			scenario.hold !== undefined &&
			(step === 'upload') === ['GenerateOTAUploadURL', 'PostObject'].includes(scenario.hold.action ?? '');
		const atHold = async (cancel: () => Thenable<unknown>): Promise<void> => {
			await held(scenario.hold as FaultRule);
			if (scenario.whileHeld === 'cancel') {
				await cancel();
			}
			await whileHeld();
			sandbox.faults.release();
		};
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		if (scenario.existing) {
			api.testSeam.queue({ id: 'upload.duplicate', button: 'Use Existing Package' });
		}
		const uploading = vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, firmware());
		if (heldDuring('upload')) {
			await atHold(() => vscode.commands.executeCommand(Commands.cancelUpload));
		}
		const entry = await uploading;
		if (entry?.reused) {
			await vscode.commands.executeCommand(Commands.insertFirmwareUrl, entry);
			return;
		}
		if (entry?.status !== 'uploaded') {
			return;
		}
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: VERSION },
			{ id: 'create.firmwareName', input: NAME },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const creating = vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.createOtaFirmware, entry);
		if (heldDuring('create')) {
			await atHold(() => vscode.commands.executeCommand(Commands.cancelUpload, entry));
		}
		const registered = await creating;
		if (registered?.status === 'registered') {
			await vscode.commands.executeCommand(Commands.insertFirmwareUrl, registered);
		}
	}

	return { run, viaCli, viaExtension };
}
