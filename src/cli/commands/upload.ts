import path from 'node:path';
import {
	PACKAGE_FILES_MIN,
	prepareFlow,
	runFlow,
	type FlowCreateOptions,
	type FlowHooks,
	type FlowInsertTarget,
	type FlowResult,
	type PreparedFlow,
} from '../../core/flow';
import { isCancelled } from '../../core/errors';
import { PACKAGE_FILE_NAME_MAX, PACKAGE_FILES_MAX } from '../../core/otaFacts';
import { printable } from '../../core/printable';
import { booleanFlag, stringFlag, usageError, VERSION_MARKER_FLAG, type CommandSpec, type FlagValues, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS, type ResolvedConnection } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { createProgressReporter } from '../progress';
import { firmwareCreateCommand } from '../registerLine';
import { DRY_RUN_NOTE, runUploadDryRun } from './uploadDryRun';
import { preparePackageCommand, runPackageUpload } from './uploadPackage';
import { connectForUpload, createOptionsFrom, namingDetectedVersion, refuseFolders, REGISTRATION_FLAGS } from './uploadArgs';
import { appendUploadStepSummary, completedBeforeFailure, uploadJson, uploadSummary } from './uploadOutput';

export const UPLOAD_SPEC: CommandSpec = {
	name: 'upload',
	summary:
		'Upload a firmware file (and optionally register it and write its URL into a config file), or several files as one multi-file package.',
	synopsis: '<file> [<file>…] [flags]',
	positionals: { min: 1, max: Number.POSITIVE_INFINITY },
	flags: [
		{
			name: 'suffix',
			type: 'string',
			value: 'S',
			description:
				'File type: bin, dav, apk, tar, gz, tar.gz, zip, gzip (default: from the file name; with several files, for each).',
		},
		...CONNECTION_FLAGS,
		{
			name: 'insert',
			type: 'string',
			value: 'FILE#KEY.PATH',
			description:
				'Write the FirmwareUrl into FILE at KEY.PATH (JSON/JSONC, YAML, TOML, .env, .properties, .ini, sdkconfig, C header).',
		},
		{
			name: 'create',
			type: 'boolean',
			description: 'Also register the package with CreateOTAFirmware (needs --product-key).',
		},
		...REGISTRATION_FLAGS,
		VERSION_MARKER_FLAG,
		{
			name: 'dry-run',
			type: 'boolean',
			description:
				'Check everything and print the calls it would make (aliyun and curl command lines) and the config edit; change nothing.',
		},
		{ name: 'verbose', type: 'boolean', description: 'Log API calls and retries to stderr.' },
	],
	notes: [
		'All inputs are checked before anything is sent: a bad --dest-version or --insert target fails without a network call.',
		'A folder is refused (exit 2): name the files in it, e.g. iot-ota upload build/*.bin (the shell expands the pattern).',
		'The image is read first: a damaged ESP-IDF/MCUboot image, contents that are not what the suffix says, or a --dest-version other than the version the image declares are refused (exit 2).',
		'With --create, a package of the same product, version and content is reused instead of uploading again ("reused": true); one already registered for the same FirmwareUrl is adopted.',
		`Two or more files with --create register one multi-file package (MultiFiles): ${PACKAGE_FILES_MIN}–${PACKAGE_FILES_MAX} files, each uploaded with its own ticket and named in the package by its file name (1–${PACKAGE_FILE_NAME_MAX} characters, unique). DestVersion defaults to the version the images declare when they agree. --insert and --force-new apply to one file only.`,
		DRY_RUN_NOTE,
		'Ctrl+C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT cancel cleanly (exit 128 + the signal number: 130 for Ctrl+C): a registration the platform accepted is deleted again, nothing is inserted. A second signal exits at once and says what may be left registered.',
	],
};

export interface UploadCommandOptions {
	file: string;
	suffix?: string;
	versionMarker?: string;
	/** --region, --instance, --endpoint, --profile, --allow-insecure-endpoint. */
	connection: FlagValues;
	create?: FlowCreateOptions;
	insert?: FlowInsertTarget;
	json: boolean;
	verbose: boolean;
}

export interface UploadOutcome {
	prepared: PreparedFlow;
	connection: ResolvedConnection;
	result: FlowResult;
}

export function uploadOptionsFrom(args: ParsedArgs, cwd: string): UploadCommandOptions {
	const { values } = args;
	return {
		file: path.resolve(cwd, args.positionals[0]),
		suffix: stringFlag(values, 'suffix'),
		versionMarker: stringFlag(values, 'version-marker'),
		connection: values,
		create: createOptionsFrom(values),
		insert: insertTargetFrom(stringFlag(values, 'insert'), cwd),
		json: booleanFlag(values, 'json'),
		verbose: booleanFlag(values, 'verbose'),
	};
}

/** "FILE#KEY.PATH", split at the last # so paths containing # still work. */
export function insertTargetFrom(spec: string | undefined, cwd: string): FlowInsertTarget | undefined {
	if (spec === undefined) {
		return undefined;
	}
	const hash = spec.lastIndexOf('#');
	if (hash <= 0 || hash === spec.length - 1) {
		throw usageError(`--insert expects FILE#KEY.PATH (got "${spec}").`, 'Example: --insert config/device.jsonc#ota.firmwareUrl');
	}
	return { file: path.resolve(cwd, spec.slice(0, hash)), keyPath: spec.slice(hash + 1) };
}

/** Every local check of one file (prepareFlow), its warnings shown on stderr: what a real run and a dry run share. */
export async function prepareUploadCommand(opts: UploadCommandOptions, ctx: CliContext, out: SafeOutput): Promise<PreparedFlow> {
	const prepared = await namingDetectedVersion(opts.file, ctx.cwd, () =>
		prepareFlow(
			{ filePath: opts.file, suffix: opts.suffix, versionMarker: opts.versionMarker, create: opts.create, insert: opts.insert },
			{ signal: ctx.signal },
		),
	);
	for (const warning of prepared.warnings) {
		out.err(`warning: ${printable(warning)}\n`);
	}
	return prepared;
}

/**
 * The one upload path (the `upload` command and the demo both run it): every local check,
 * then credentials, then upload → create → insert with progress on stderr.
 */
export async function executeUpload(
	opts: UploadCommandOptions,
	ctx: CliContext,
	out: SafeOutput,
	hooks: Pick<FlowHooks, 'onStep'> = {},
): Promise<UploadOutcome> {
	const prepared = await prepareUploadCommand(opts, ctx, out);
	const { connection, logger, client } = await connectForUpload(opts.connection, opts.verbose, ctx, out);
	const reporter = opts.json ? undefined : createProgressReporter(ctx.stderr);
	try {
		const result = await runFlow(client, prepared, {
			signal: ctx.signal,
			logger,
			env: ctx.env,
			onProgress: reporter ? (p) => reporter.update(p) : undefined,
			onStep: (step, state, soFar) => {
				if (step === 'upload' && state === 'done') {
					reporter?.finish();
				}
				hooks.onStep?.(step, state, soFar);
			},
			onPending: (pending) => out.setPendingRegistration(pending),
		});
		return { prepared, connection, result };
	} catch (error) {
		reporter?.finish();
		throw error;
	}
}

export async function runUploadCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	await refuseFolders(args.positionals, ctx.cwd);
	if (booleanFlag(args.values, 'dry-run')) {
		const several = args.positionals.length > 1;
		const prepared = several
			? await preparePackageCommand(args, ctx, out)
			: await prepareUploadCommand(uploadOptionsFrom(args, ctx.cwd), ctx, out);
		return runUploadDryRun(prepared, args, ctx, out);
	}
	if (args.positionals.length > 1) {
		return runPackageUpload(args, ctx, out);
	}
	const opts = uploadOptionsFrom(args, ctx.cwd);
	let soFar: Partial<FlowResult> = {};
	let outcome: UploadOutcome;
	try {
		outcome = await executeUpload(opts, ctx, out, { onStep: (_step, _state, results) => (soFar = results) });
	} catch (error) {
		const completed = completedBeforeFailure(soFar, (firmwareUrl) =>
			firmwareCreateCommand([{ firmwareUrl, file: args.positionals[0] }], args.values),
		);
		if (!completed || isCancelled(error)) {
			throw error;
		}
		return out.fail(error, opts.json, completed);
	}
	if (opts.json) {
		out.json(uploadJson(outcome.result));
	} else {
		out.out(uploadSummary(outcome));
	}
	await appendUploadStepSummary(ctx, out, outcome);
	return EXIT_OK;
}
