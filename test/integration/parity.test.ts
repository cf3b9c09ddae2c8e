// One flow, two shells: every scenario runs through the CLI (node dist/cli.js) and through the extension's commands
// against the same sandbox, and both must send the same requests (actions and their business parameters, in order)
// and end the same way (registered or not, URL inserted or not) — the outcome the table expects. The firmware declares
// the DestVersion both shells register it under, so both look for a package of the same image before uploading (the
// extension can only do that when the image declares its version: it asks for the DestVersion after the upload).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { CANCEL_DURING_CREATE } from '../../src/core/flow';
import { IotClient } from '../../src/core/iotClient';
import { uploadFirmware } from '../../src/core/uploader';
import type { FaultRule } from '../../src/sandbox';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { espImage } from '../support/firmware';
import { requestLines, startCli, stderrShows } from './helpers/parity';
import { fileUri, setSetting, useSuite } from './helpers/ota';

type WhileHeld = 'cancel' | 'registerEarlier' | 'breakConfig';

interface Scenario {
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

const GEN = 'api:GenerateOTAUploadURL';
const POST = 'oss:PostObject';
const LIST = 'api:ListOTAFirmware';
const CREATE = 'api:CreateOTAFirmware';
const DELETE = 'api:DeleteOTAFirmware';
const hold = (target: 'api' | 'oss', action: string, answer?: boolean): Scenario['hold'] => ({
	target,
	action,
	kind: 'hold',
	...(answer ? { answer } : {}),
});

const SCENARIOS: Scenario[] = [
	{ name: 'success', actions: [LIST, GEN, POST, LIST, CREATE], registered: true, inserted: true, cliExit: 0 },
	{
		name: 'cancel at the ticket',
		hold: hold('api', 'GenerateOTAUploadURL'),
		whileHeld: 'cancel',
		actions: [LIST, GEN],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'cancel during the upload',
		hold: hold('oss', 'PostObject'),
		whileHeld: 'cancel',
		actions: [LIST, GEN, POST],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'cancel during CreateOTAFirmware',
		hold: hold('api', 'CreateOTAFirmware'),
		whileHeld: 'cancel',
		actions: [LIST, GEN, POST, LIST, CREATE, DELETE],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	// The insert itself is local: the last cancel point before it is a registration the platform already accepted.
	{
		name: 'cancel before the insert (registration accepted)',
		hold: hold('api', 'CreateOTAFirmware', true),
		whileHeld: 'cancel',
		actions: [LIST, GEN, POST, LIST, CREATE, DELETE],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'CreateOTAFirmware fails',
		fault: { target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 400, code: 'iot.firmware.AlreadyExistedFirmwareName' },
		actions: [LIST, GEN, POST, LIST, CREATE],
		registered: false,
		inserted: false,
		cliExit: 4,
	},
	{
		name: 'the insert fails (config broken meanwhile)',
		hold: hold('api', 'CreateOTAFirmware'),
		whileHeld: 'breakConfig',
		actions: [LIST, GEN, POST, LIST, CREATE],
		registered: true,
		inserted: false,
		cliExit: 2,
	},
	{
		name: 'duplicate: an earlier registration of the URL is adopted',
		// The lookup before the upload passes; the one before registering is held.
		fault: { target: 'api', action: 'ListOTAFirmware', kind: 'delay', ms: 0 },
		hold: hold('api', 'ListOTAFirmware'),
		whileHeld: 'registerEarlier',
		actions: [LIST, GEN, POST, LIST],
		registered: true,
		inserted: true,
		cliExit: 0,
	},
	{
		name: 'duplicate content: the package of the same image is reused, nothing uploaded',
		existing: true,
		actions: [LIST],
		registered: false,
		inserted: true,
		cliExit: 0,
	},
];

const NAME = 'parity-1_0_0';
const VERSION = '1.0.0';
const CONFIG = '{\n  "ota": { "url": "" }\n}\n';
const BROKEN = '{ "ota": ';

describe('one flow, two shells: the CLI and the extension send the same requests', () => {
	// Both shells run back to back on one key: a QPS limit would throttle (and retry) depending on timing.
	const ctx = useSuite({ qps: 1000 });
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

	/** Arms the scenario, runs one shell, and returns what it sent and how it ended. */
	async function run(scenario: Scenario, shell: (whileHeld: () => Promise<void>) => Promise<void>) {
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

	for (const scenario of SCENARIOS) {
		it(scenario.name, async () => {
			let cliExit: number | null = null;
			const cli = await run(scenario, async (whileHeld) => {
				cliExit = await viaCli(scenario, whileHeld);
			});
			const extension = await run(scenario, (whileHeld) => viaExtension(scenario, whileHeld));
			assert.deepEqual(extension.lines, cli.lines, 'the extension sent other requests than the CLI');
			assert.deepEqual(
				cli.lines.map((line) => line.split(' ')[0]),
				scenario.actions,
				'both shells sent the same requests, but not the expected ones',
			);
			for (const [shell, outcome] of [
				['CLI', cli],
				['extension', extension],
			] as const) {
				assert.equal(outcome.registered, scenario.registered, `${shell}: registered`);
				assert.equal(outcome.multiple, false, `${shell}: registered twice`);
				assert.equal(outcome.inserted, scenario.inserted, `${shell}: FirmwareUrl inserted`);
				if (scenario.existing) {
					assert.equal(outcome.packages, 1, `${shell}: a second package of the same image was registered`);
				}
			}
			assert.equal(cliExit, scenario.cliExit, 'CLI exit code');
		});
	}
});
