// `iot-ota upload FILE FILE… --create`: several files registered as one multi-file package (the core's
// prepareMultiFile → runMultiFile; docs/protocols.md §11.4). The shell only reads the flags, shows which file is
// uploading and prints the result.
import path from 'node:path';
import {
	packageMayBeRegistered,
	prepareMultiFile,
	runMultiFile,
	uploadedBeforeStop,
	uploadedBeforeStopText,
	type FlowCreateOptions,
	type MultiFileResult,
	type PreparedMultiFile,
	type UploadedPackageFile,
} from '../../core/flow';
import { isCancelled } from '../../core/errors';
import { formatBytes, formatDuration } from '../../core/format';
import { printable } from '../../core/printable';
import { booleanFlag, stringFlag, usageError, type ParsedArgs } from '../args';
import { appendStepSummary, uploadStepSummary } from '../githubActions';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { createProgressReporter, type ProgressReporter } from '../progress';
import { firmwareCreateCommand } from '../registerLine';
import { connectForUpload, createOptionsFrom, namingDetectedVersion } from './uploadArgs';

/** The create options of a package; the flags that make no sense for several files are refused before anything is read. */
function packageCreateOptions(args: ParsedArgs): FlowCreateOptions {
	const { values } = args;
	const create = booleanFlag(values, 'create') ? createOptionsFrom(values) : undefined;
	if (!create) {
		throw usageError(
			`${args.positionals.length} files were given without --create: several files are uploaded together only as one multi-file package.`,
			'Add --create --product-key PK to register them as one package, or upload them one by one (one iot-ota upload per file).',
		);
	}
	if (values.insert !== undefined) {
		throw usageError(
			'--insert writes one FirmwareUrl, and a multi-file package has one URL per file.',
			'Drop --insert and take the URLs from the output (--json lists each file), or upload and insert each file on its own.',
		);
	}
	if (values['force-new'] !== undefined) {
		throw usageError(
			'--force-new applies to one file: a multi-file package is always uploaded and registered anew.',
			'Drop --force-new.',
		);
	}
	return create;
}

/** One uploaded file in --json: of a registered package, or of one that stopped before its registration. */
function fileJson({ name, filePath, upload }: UploadedPackageFile): Record<string, unknown> {
	return {
		name,
		file: filePath,
		firmwareUrl: upload.firmwareUrl,
		key: upload.key,
		host: upload.host,
		suffix: upload.suffix,
		size: upload.size,
		md5: upload.md5,
		sha256: upload.sha256,
		utcCreate: upload.utcCreate ?? null,
	};
}

export function packageJson(result: MultiFileResult): Record<string, unknown> {
	return registeredPackageJson(result, result.files.map(fileJson));
}

/** The JSON of a registered multi-file package (`upload` of several files, `firmware create` of several FirmwareUrls). */
export function registeredPackageJson(
	{ created, request }: Pick<MultiFileResult, 'created' | 'request'>,
	files: Array<Record<string, unknown>>,
): Record<string, unknown> {
	return {
		firmwareId: created.firmwareId,
		firmwareName: created.firmwareName,
		destVersion: request.destVersion,
		productKey: request.productKey,
		signMethod: request.signMethod,
		files,
	};
}

export function packageSummary(result: MultiFileResult): string {
	const { created, request, files } = result;
	const took = files.reduce((sum, file) => sum + file.upload.durationMs, 0);
	const lines = [`Uploaded ${files.length} files in ${formatDuration(took)}`];
	for (const { name, upload } of files) {
		lines.push(
			`  ${name} (${formatBytes(upload.size)})`,
			`    FirmwareUrl: ${upload.firmwareUrl}`,
			`    MD5:         ${upload.md5}`,
			`    SHA-256:     ${upload.sha256}`,
		);
	}
	lines.push(
		`Registered "${created.firmwareName}" (FirmwareId ${created.firmwareId}), version ${request.destVersion}, one package of ${files.length} files`,
	);
	// One printable line each: a line break in a file name or a FirmwareName cannot forge a line of the summary.
	return `${lines.map(printable).join('\n')}\n`;
}

/** Every local check of a package (prepareMultiFile), its warnings shown on stderr: what a real run and a dry run share. */
export async function preparePackageCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<PreparedMultiFile> {
	const create = packageCreateOptions(args);
	const { values } = args;
	const suffix = stringFlag(values, 'suffix');
	const files = args.positionals.map((file) => ({ filePath: path.resolve(ctx.cwd, file), suffix }));
	const prepared = await namingDetectedVersion(files[0].filePath, ctx.cwd, () =>
		prepareMultiFile({ files, versionMarker: stringFlag(values, 'version-marker'), create }, { signal: ctx.signal }),
	);
	for (const warning of prepared.warnings) {
		out.err(`warning: ${printable(warning)}\n`);
	}
	return prepared;
}

export async function runPackageUpload(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const json = booleanFlag(values, 'json');
	const prepared = await preparePackageCommand(args, ctx, out);
	const { logger, client } = await connectForUpload(values, booleanFlag(values, 'verbose'), ctx, out);
	let reporter: ProgressReporter | undefined;
	try {
		const result = await runMultiFile(client, prepared, {
			signal: ctx.signal,
			logger,
			env: ctx.env,
			onFile: (file) => {
				reporter?.finish();
				if (!json) {
					out.err(`Uploading file ${file.index} of ${file.count}: ${printable(file.name)}\n`);
					reporter = createProgressReporter(ctx.stderr);
				}
			},
			onProgress: (progress) => reporter?.update(progress),
			onRegistering: () => reporter?.finish(),
			onPending: (pending) => out.setPendingRegistration(pending),
		});
		if (json) {
			out.json(packageJson(result));
		} else {
			out.out(packageSummary(result));
		}
		const { firmwareId } = result.created;
		const summary = result.files.map(({ name, upload }) =>
			uploadStepSummary({ fileName: name, size: upload.size, md5: upload.md5, firmwareUrl: upload.firmwareUrl, firmwareId }),
		);
		await appendStepSummary(ctx.env, summary.join('\n'), (message) => out.err(`warning: ${message}\n`));
		return EXIT_OK;
	} catch (error) {
		reporter?.finish();
		const uploaded = uploadedBeforeStop(error);
		if (uploaded.length === 0) {
			throw error;
		}
		const mayBeRegistered = packageMayBeRegistered(error);
		const note = uploadedBeforeStopText(uploaded, { mayBeRegistered });
		// Every file went up and the registration failed (not a cancel): `firmware create` of their FirmwareUrls finishes
		// the package; when its CreateOTAFirmware got no answer, only once the package list shows it is not there.
		const registerCommand =
			uploaded.length === args.positionals.length && !isCancelled(error)
				? firmwareCreateCommand(
						uploaded.map(({ upload }, index) => ({ firmwareUrl: upload.firmwareUrl, file: args.positionals[index] })),
						values,
					)
				: undefined;
		const lead = mayBeRegistered ? 'Only if the package is not in that list, register it with:' : 'Register the package with:';
		// One line: a line break in a file name cannot forge a line (--json keeps the exact line).
		const finish = registerCommand ? `\n${lead}\n  ${printable(registerCommand)}` : '';
		return out.fail(error, json, { files: uploaded.map(fileJson), note: `${note}${finish}`, registerCommand });
	}
}
