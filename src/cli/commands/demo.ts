import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FlowResult, FlowStep } from '../../core/flow';
import { startSandbox, type Sandbox } from '../../sandbox';
import { booleanFlag, type CommandSpec, type ParsedArgs } from '../args';
import { createClient } from '../connection';
import { formatBytes, formatDuration } from '../../core/format';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { DEMO_FLEET, runLifecycleDemo } from './demoLifecycle';
import { executeUpload, type UploadCommandOptions } from './upload';

export const DEMO_SPEC: CommandSpec = {
	name: 'demo',
	summary: 'Run the whole flow offline against the built-in sandbox and explain each step (npm start).',
	synopsis: '',
	positionals: { min: 0, max: 0 },
	flags: [],
	notes: ['Leaves the demo firmware, config file and sandbox data in a temporary folder whose path it prints.'],
};

const FIRMWARE_BYTES = 4 * 1024 * 1024;
const DEST_VERSION = '1.0.1';
const CONFIG_NAME = 'device-config.jsonc';
const CONFIG_KEY = 'ota.firmwareUrl';

const DEMO_CONFIG = `// Device configuration of the demo board (JSON with comments).
{
  // Wi-Fi the board joins at boot.
  "wifi": { "ssid": "demo-net" },
  "ota": {
    /* iot-ota writes the FirmwareUrl of the newest package here. */
    "firmwareUrl": "",
    "checkIntervalMinutes": 60 // how often the device asks for updates
  }
}
`;

const STEP_TEXT: Record<FlowStep, string> = {
	upload: 'ListOTAFirmware (a package of the same product, version and content would be reused instead) → GenerateOTAUploadURL (upload ticket) → OSS PostObject (streamed, MD5 + SHA-256 on the way)',
	create: 'ListOTAFirmware (an earlier registration of this URL is adopted) → CreateOTAFirmware (with the MD5 and size measured during the upload)',
	insert: `Writing the FirmwareUrl into ${CONFIG_NAME} at ${CONFIG_KEY}`,
};

function stepDone(step: FlowStep, soFar: Readonly<Partial<FlowResult>>): string {
	const { upload, created } = soFar;
	switch (step) {
		case 'upload':
			return upload
				? `   ✓ ${formatBytes(upload.size)} stored in ${formatDuration(upload.durationMs)} (attempts: ${upload.attempts})\n   FirmwareUrl: ${upload.firmwareUrl}\n   MD5:         ${upload.md5}\n`
				: '';
		case 'create':
			return created ? `   ✓ FirmwareId ${created.firmwareId}, name "${created.firmwareName}", version ${DEST_VERSION}\n` : '';
		case 'insert':
			return '   ✓ written';
	}
}

/** Credential variables the user may have set for real accounts; the demo must only use the sandbox's keys. */
function demoEnv(env: NodeJS.ProcessEnv, sandbox: Sandbox): NodeJS.ProcessEnv {
	const clean = Object.fromEntries(Object.entries(env).filter(([name]) => !/^(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD)_/.test(name)));
	return { ...clean, ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret };
}

export async function runDemoCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const json = booleanFlag(args.values, 'json');
	const say = (text: string): void => {
		if (!json) {
			out.out(text);
		}
	};
	const started = Date.now();
	const workDir = await fs.mkdtemp(path.join(tmpdir(), 'iot-ota-demo-'));
	say(`iot-ota demo: the whole OTA flow against the built-in local sandbox (offline).\nWorking folder: ${workDir}\n\n`);

	const sandbox = await startSandbox({ apiPort: 0, ossPort: 0, dataDir: path.join(workDir, 'sandbox-data'), ...DEMO_FLEET });
	try {
		say(
			`1. Started the sandbox (local IoT Platform + OSS emulator)\n   IoT API: ${sandbox.endpoint}\n   OSS:     ${sandbox.ossHost}\n   Product: ${sandbox.productKey} (seeded)\n\n`,
		);

		const firmware = path.join(workDir, 'demo-firmware.bin');
		const config = path.join(workDir, CONFIG_NAME);
		await fs.writeFile(firmware, randomBytes(FIRMWARE_BYTES));
		await fs.writeFile(config, DEMO_CONFIG, 'utf8');
		say(`2. Wrote demo-firmware.bin (${formatBytes(FIRMWARE_BYTES)} of random bytes) and ${CONFIG_NAME}\n\n`);

		const opts: UploadCommandOptions = {
			file: firmware,
			connection: { endpoint: sandbox.endpoint },
			create: { productKey: sandbox.productKey, destVersion: DEST_VERSION },
			insert: { file: config, keyPath: CONFIG_KEY },
			json,
			verbose: false,
		};
		const stepNumber: Record<FlowStep, number> = { upload: 3, create: 4, insert: 5 };
		const demoCtx: CliContext = { ...ctx, env: demoEnv(ctx.env, sandbox) };
		const outcome = await executeUpload(opts, demoCtx, out, {
			onStep: (step, state, soFar) =>
				say(state === 'start' ? `${stepNumber[step]}. ${STEP_TEXT[step]}\n` : `${stepDone(step, soFar)}\n`),
		});
		const { record, created } = outcome.result;
		const registered = created
			? await createClient(outcome.connection, out.logger(false), demoCtx.env).queryOtaFirmware(created.firmwareId, ctx.signal)
			: undefined;
		const configAfter = await fs.readFile(config, 'utf8');
		if (!json) {
			say(
				`   ${CONFIG_NAME} now reads (comments and layout kept):\n${configAfter
					.trimEnd()
					.split('\n')
					.map((line) => `   │ ${line}`)
					.join('\n')}\n\n`,
			);
		}
		const lifecycle = created ? await runLifecycleDemo(sandbox, created.firmwareId, say, ctx.signal) : undefined;
		if (json) {
			out.json({
				workDir,
				firmwareUrl: record.firmwareUrl,
				firmwareId: created?.firmwareId,
				md5: record.md5,
				size: record.size,
				config,
				configAfter,
				...lifecycle,
			});
			return EXIT_OK;
		}
		say(
			[
				'Result',
				`   FirmwareUrl: ${record.firmwareUrl}`,
				`   FirmwareId:  ${created?.firmwareId ?? '(not created)'}`,
				registered
					? `   QueryOTAFirmware confirms "${registered.firmwareName}" v${registered.destVersion}, ${registered.firmwareSize ?? '?'} bytes, ${registered.signMethod ?? 'MD5'} ${registered.firmwareSign ?? ''}`
					: '',
				'',
				'',
			].join('\n'),
		);
	} finally {
		await sandbox.stop();
	}
	say(
		`10. Stopped the sandbox. Done in ${formatDuration(Date.now() - started)}.\n\n` +
			'Next: `node dist/cli.js sandbox` keeps a sandbox running; `node dist/cli.js upload --help` shows how to upload to it or to Alibaba Cloud.\n',
	);
	return EXIT_OK;
}
