import path from 'node:path';
import {
	checkShares,
	countDevices,
	FAULTS_PATH,
	parseBehaviourShare,
	startSandbox,
	type BehaviourShare,
	type Sandbox,
} from '../../sandbox';
import { booleanFlag, portFlag, positiveIntFlag, stringFlag, stringListFlag, usageError, type CommandSpec, type ParsedArgs } from '../args';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';

export const SANDBOX_SPEC: CommandSpec = {
	name: 'sandbox',
	summary: 'Run the local Alibaba Cloud IoT + OSS emulator, with a virtual device fleet, until Ctrl+C.',
	synopsis: '[--devices N] [--behaviour NAME=PCT]... [--time-scale X] [--port N] [--oss-port N] [--data DIR]',
	positionals: { min: 0, max: 0 },
	flags: [
		{
			name: 'devices',
			type: 'string',
			value: 'N',
			description: 'Devices of the demo product, dev-00001… (default 5; up to 1,000,000).',
		},
		{
			name: 'behaviour',
			type: 'string',
			value: 'NAME=PCT',
			multiple: true,
			description:
				'Give PCT % of the devices a behaviour (repeatable): offline, slow, fail-download, fail-checksum, fail-flash, fail, wrong-version, never-reports, crash-loop.',
		},
		{
			name: 'time-scale',
			type: 'string',
			value: 'X',
			description: 'Run the OTA lifecycle X times faster (60: a minute per second; default 1, real time).',
		},
		{ name: 'port', type: 'string', value: 'N', description: 'IoT API port on 127.0.0.1 (default: a free port).' },
		{ name: 'oss-port', type: 'string', value: 'N', description: 'OSS port on 127.0.0.1 (default: a free port).' },
		{
			name: 'data',
			type: 'string',
			value: 'DIR',
			description: 'Where uploads, firmware, jobs, tasks and device versions are kept (default: a temporary folder).',
		},
		{ name: 'verbose', type: 'boolean', description: 'Log every request to stderr.' },
	],
	notes: [
		'Prints one JSON line when ready: {"endpoint","ossHost","accessKeyId","accessKeySecret","dataDir","fleet"} (fleet: devices, the versions they run, behaviours), then on stderr how to point the CLI and the extension at it.',
		'Example: iot-ota sandbox --devices 1000 --behaviour fail-flash=5% --behaviour offline=2% --time-scale 60',
		`Devices can be changed while it runs: POST {"target":"device","behaviour":"ok","match":"dev-0000*"} to <endpoint>${FAULTS_PATH}.`,
	],
};

function behaviourFlags(values: ParsedArgs['values']): BehaviourShare[] | undefined {
	const texts = stringListFlag(values, 'behaviour');
	try {
		const shares = texts.map(parseBehaviourShare);
		checkShares(shares);
		return texts.length > 0 ? shares : undefined;
	} catch (error) {
		throw usageError(`--behaviour: ${(error as Error).message}`);
	}
}

function timeScaleFlag(values: ParsedArgs['values']): number | undefined {
	const raw = stringFlag(values, 'time-scale');
	if (raw === undefined) {
		return undefined;
	}
	const scale = Number(raw);
	if (!/^\d+(\.\d+)?$/.test(raw.trim()) || scale <= 0 || scale > 1_000_000) {
		throw usageError(`--time-scale must be a number above 0, e.g. 60 for a minute per second (got "${raw}").`);
	}
	return scale;
}

export async function runSandboxCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const data = stringFlag(values, 'data');
	const sandbox = await startSandbox({
		apiPort: portFlag(values, 'port') ?? 0,
		ossPort: portFlag(values, 'oss-port') ?? 0,
		dataDir: data === undefined ? undefined : path.resolve(ctx.cwd, data),
		logger: out.logger(booleanFlag(values, 'verbose')),
		devices: positiveIntFlag(values, 'devices', 1_000_000),
		behaviours: behaviourFlags(values),
		timeScale: timeScaleFlag(values),
	});
	try {
		const fleet = fleetLine(sandbox);
		// The sandbox's own keys are printed on purpose: they only open this local emulator.
		out.json({
			endpoint: sandbox.endpoint,
			ossHost: sandbox.ossHost,
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: sandbox.accessKeySecret,
			dataDir: sandbox.dataDir,
			fleet,
		});
		out.err(howToConnect(sandbox, fleet));
		await untilAborted(ctx.signal);
	} finally {
		await sandbox.stop();
	}
	return EXIT_OK;
}

interface FleetLine {
	productKey: string;
	devices: number;
	firstDevice?: string;
	lastDevice?: string;
	/** The version most devices run: all of them on a new fleet; after a restart the saved versions count. */
	version?: string;
	versions: Record<string, number>;
	behaviours: Record<string, number>;
	timeScale: number;
}

function fleetLine(sandbox: Sandbox): FleetLine {
	const devices = sandbox.ota.fleet.devices(sandbox.productKey);
	const { behaviours, versions } = countDevices(devices);
	return {
		productKey: sandbox.productKey,
		devices: devices.length,
		firstDevice: devices[0]?.deviceName,
		lastDevice: devices[devices.length - 1]?.deviceName,
		version: byCount(versions)[0]?.[0],
		versions,
		behaviours,
		timeScale: sandbox.ota.timeScale,
	};
}

/** [name, count] pairs, the largest count first. */
function byCount(counts: Record<string, number>): Array<[string, number]> {
	return Object.entries(counts).sort((a, b) => b[1] - a[1]);
}

function howToConnect(sandbox: Sandbox, fleet: FleetLine): string {
	const versions = byCount(fleet.versions);
	const onVersions =
		versions.length === 1 ? `version ${versions[0][0]}` : `versions ${versions.map(([v, n]) => `${v} (${n})`).join(', ')}`;
	return [
		`Fleet: ${fleet.devices} devices ${String(fleet.firstDevice)}…${String(fleet.lastDevice)} of product ${sandbox.productKey}, on ${onVersions}; lifecycle time ×${fleet.timeScale}.`,
		'Point the CLI at it:',
		`  export ALIBABA_CLOUD_ACCESS_KEY_ID=${sandbox.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${sandbox.accessKeySecret}`,
		`  iot-ota list --endpoint ${sandbox.endpoint}`,
		'Point the VS Code extension at it:',
		`  set "iotOta.endpoint": "${sandbox.endpoint}" in your settings, then run "IoT OTA: Configure Credentials…" with the keys above`,
		'  (or run "IoT OTA: Start Local Sandbox" to get a sandbox inside VS Code).',
		`Change devices while it runs: POST {"target":"device","behaviour":"offline","percent":10} to ${sandbox.endpoint}${FAULTS_PATH}`,
		'Press Ctrl+C to stop.',
		'',
	].join('\n');
}

function untilAborted(signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}
		signal.addEventListener('abort', () => resolve(), { once: true });
	});
}
