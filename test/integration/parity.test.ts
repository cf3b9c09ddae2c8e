// One flow, two shells: every scenario runs through the CLI (node dist/cli.js) and through the extension's commands
// against the same sandbox, and both must send the same requests (actions and their business parameters, in order)
// and end the same way (registered or not, URL inserted or not) — the outcome the table expects. The firmware declares
// the DestVersion both shells register it under, so both look for a package of the same image before uploading (the
// extension can only do that when the image declares its version: it asks for the DestVersion after the upload).
// One deliberate difference: the CLI is given its ProductKey before the upload and checks it there (QueryProduct,
// docs/protocols.md §13.8); the extension asks for the product after the upload, from the product list, so the
// extension's requests are the CLI's without that check.
import * as assert from 'node:assert/strict';
import { useSuite } from './helpers/ota';
import { useParityRunner, type Scenario } from './helpers/parityRunner';

const GEN = 'api:GenerateOTAUploadURL';
const POST = 'oss:PostObject';
const LIST = 'api:ListOTAFirmware';
const CREATE = 'api:CreateOTAFirmware';
const DELETE = 'api:DeleteOTAFirmware';
const CHECK = 'api:QueryProduct';
const hold = (target: 'api' | 'oss', action: string, answer?: boolean): Scenario['hold'] => ({
	target,
	action,
	kind: 'hold',
	...(answer ? { answer } : {}),
});

const SCENARIOS: Scenario[] = [
	{ name: 'success', actions: [LIST, CHECK, GEN, POST, LIST, CREATE], registered: true, inserted: true, cliExit: 0 },
	{
		name: 'cancel at the ticket',
		hold: hold('api', 'GenerateOTAUploadURL'),
		whileHeld: 'cancel',
		actions: [LIST, CHECK, GEN],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'cancel during the upload',
		hold: hold('oss', 'PostObject'),
		whileHeld: 'cancel',
		actions: [LIST, CHECK, GEN, POST],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'cancel during CreateOTAFirmware',
		hold: hold('api', 'CreateOTAFirmware'),
		whileHeld: 'cancel',
		actions: [LIST, CHECK, GEN, POST, LIST, CREATE, DELETE],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	// The insert itself is local: the last cancel point before it is a registration the platform already accepted.
	{
		name: 'cancel before the insert (registration accepted)',
		hold: hold('api', 'CreateOTAFirmware', true),
		whileHeld: 'cancel',
		actions: [LIST, CHECK, GEN, POST, LIST, CREATE, DELETE],
		registered: false,
		inserted: false,
		cliExit: 130,
	},
	{
		name: 'CreateOTAFirmware fails',
		fault: { target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 400, code: 'iot.firmware.AlreadyExistedFirmwareName' },
		actions: [LIST, CHECK, GEN, POST, LIST, CREATE],
		registered: false,
		inserted: false,
		cliExit: 4,
	},
	{
		name: 'the insert fails (config broken meanwhile)',
		hold: hold('api', 'CreateOTAFirmware'),
		whileHeld: 'breakConfig',
		actions: [LIST, CHECK, GEN, POST, LIST, CREATE],
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
		actions: [LIST, CHECK, GEN, POST, LIST],
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

describe('one flow, two shells: the CLI and the extension send the same requests', () => {
	// Both shells run back to back on one key: a QPS limit would throttle (and retry) depending on timing.
	const ctx = useSuite({ qps: 1000 });
	const { run, viaCli, viaExtension } = useParityRunner(ctx);

	for (const scenario of SCENARIOS) {
		it(scenario.name, async () => {
			let cliExit: number | null = null;
			const cli = await run(scenario, async (whileHeld) => {
				cliExit = await viaCli(scenario, whileHeld);
			});
			const extension = await run(scenario, (whileHeld) => viaExtension(scenario, whileHeld));
			const cliWithoutCheck = cli.lines.filter((line) => line.split(' ')[0] !== CHECK);
			assert.deepEqual(extension.lines, cliWithoutCheck, 'the extension sent other requests than the CLI');
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
