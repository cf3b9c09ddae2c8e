// `iot-ota firmware create <FirmwareUrl> --file F …`: registers a FirmwareUrl uploaded earlier (an upload without
// --create, or one whose registration failed) as the local file uploaded to it; nothing is uploaded. The core's
// prepareUploadedRegistration → registerUploaded (docs/protocols.md §13.9); the shell reads the flags and prints.
import path from 'node:path';
import { FIRMWARE_SIGN_MISMATCH, FIRMWARE_SIZE_MISMATCH, FIRMWARE_URL_INVALID } from '../../core/apiErrorCodes';
import { toOtaError } from '../../core/errors';
import {
	prepareUploadedPackage,
	prepareUploadedRegistration,
	registerUploaded,
	registerUploadedPackage,
	type PendingRegistration,
	type PreparedUploadedPackage,
	type PreparedUploadedRegistration,
	type Registration,
} from '../../core/flow';
import type { CreateFirmwareRequest } from '../../core/types';
import { REGISTER_WINDOW_TEXT } from '../../core/format';
import { printable } from '../../core/printable';
import { booleanFlag, stringFlag, stringListFlag, usageError, VERSION_MARKER_FLAG, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { VERBOSE_FLAG } from '../lifecycleArgs';
import { uploadCreateCommand } from '../registerLine';
import { connectForUpload, namingDetectedVersion, registrationOptionsFrom, REGISTRATION_FLAGS } from './uploadArgs';
import { registrationLine, uploadJson } from './uploadOutput';
import { registeredPackageJson } from './uploadPackage';

export const FIRMWARE_CREATE_SPEC: CommandSpec = {
	name: 'firmware create',
	summary: 'Register a FirmwareUrl uploaded earlier (CreateOTAFirmware) as the local file uploaded to it; nothing is uploaded.',
	synopsis: '<FirmwareUrl>… --file F… --product-key PK [flags]',
	positionals: { min: 1, max: Number.POSITIVE_INFINITY },
	flags: [
		{
			name: 'file',
			type: 'string',
			value: 'F',
			multiple: true,
			description:
				'The file that was uploaded to the FirmwareUrl: its image is checked and its digest and size registered (one per FirmwareUrl, in order).',
		},
		...REGISTRATION_FLAGS,
		VERSION_MARKER_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
	notes: [
		'The FirmwareUrl is what iot-ota upload printed (without --create, or when its registration failed): a failed upload --create prints this very command line.',
		`It must be registered within ${REGISTER_WINDOW_TEXT} of its upload: OSS deletes an upload that is not registered by then, and CreateOTAFirmware refuses its FirmwareUrl (upload the file again, with --create).`,
		'The file is checked as upload --create checks it (its image, the version it declares against --dest-version) and read whole: its digest (--sign-method) and size are registered, for the platform to refuse a file other than the one uploaded to the FirmwareUrl (an assumption: the API reference does not say it compares them, docs/protocols.md §13.9). The FirmwareUrl names the suffix it was uploaded with; contents that are not what it says are refused.',
		'A FirmwareUrl already registered is reported, not registered twice; a package of the same product, version and content is taken instead unless --force-new.',
		'Several FirmwareUrls (each with its --file, in the same order) register one multi-file package, each file named by its file name, as iot-ota upload of several files with --create does; a failed one prints this command line for its files.',
	],
};

export async function runFirmwareCreateCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values, positionals: urls } = args;
	// As given, as upload takes its files (untrimmed): the line a failed upload prints names them so.
	const files = stringListFlag(values, 'file');
	if (files.length !== urls.length || files.some((file) => !file.trim())) {
		throw usageError(
			`iot-ota firmware create needs one --file per FirmwareUrl, in the same order: the file uploaded to it (${urls.length} FirmwareUrl${urls.length === 1 ? '' : 's'}, ${files.length} --file).`,
			'Example: iot-ota firmware create https://…/ota/…/firmware.bin --file build/app.bin --product-key a1BcDeFgHiJ',
		);
	}
	const create = registrationOptionsFrom(values, 'iot-ota firmware create');
	if (urls.length > 1 && create.forceNew) {
		throw usageError('--force-new applies to one FirmwareUrl: a multi-file package is always registered anew.', 'Drop --force-new.');
	}
	const versionMarker = stringFlag(values, 'version-marker');
	const paired = urls.map((firmwareUrl, index) => ({ firmwareUrl, filePath: path.resolve(ctx.cwd, files[index]) }));
	// A DestVersionRequired names the version the project states, as upload's does.
	const prepared = await namingDetectedVersion<PreparedUploadedRegistration | PreparedUploadedPackage>(paired[0].filePath, ctx.cwd, () =>
		urls.length === 1
			? prepareUploadedRegistration({ ...paired[0], create, versionMarker }, { signal: ctx.signal })
			: prepareUploadedPackage({ files: paired, create, versionMarker }, { signal: ctx.signal }),
	);
	for (const warning of prepared.warnings) {
		out.err(`warning: ${printable(warning)}\n`);
	}
	const { logger, client } = await connectForUpload(values, booleanFlag(values, 'verbose'), ctx, out);
	const hooks = { signal: ctx.signal, logger, onPending: (pending?: PendingRegistration) => out.setPendingRegistration(pending) };
	const json = booleanFlag(values, 'json');
	try {
		if ('urls' in prepared) {
			const { created, request } = await registerUploadedPackage(client, prepared, hooks);
			const registered = { created, request, files: prepared.files, urls: prepared.urls };
			return printed(out, json, packageCreatedJson(registered), packageCreatedText(registered));
		}
		const result = await registerUploaded(client, prepared, hooks);
		const text = `${registrationLine(result)}\n  FirmwareUrl: ${result.record.firmwareUrl ?? ''}`;
		return printed(out, json, uploadJson(result), text);
	} catch (error) {
		throw refusalWithWayOut(error, uploadCreateCommand(files, values));
	}
}

function printed(out: SafeOutput, json: boolean, body: Record<string, unknown>, text: string): number {
	if (json) {
		out.json(body);
	} else {
		// One printable line each: a line break in a file name or a FirmwareName cannot forge a line of the output.
		out.out(`${text.split('\n').map(printable).join('\n')}\n`);
	}
	return EXIT_OK;
}

interface PackageRegistered {
	created: Registration;
	request: CreateFirmwareRequest;
	files: PreparedUploadedPackage['files'];
	urls: string[];
}

function packageCreatedJson({ created, request, files, urls }: PackageRegistered): Record<string, unknown> {
	const filesJson = files.map((file, index) => ({ name: file.name, file: file.filePath, firmwareUrl: urls[index], ...file.digests }));
	return registeredPackageJson({ created, request }, filesJson);
}

function packageCreatedText({ created, request, files, urls }: PackageRegistered): string {
	return [
		`Registered "${created.firmwareName}" (FirmwareId ${created.firmwareId}), version ${request.destVersion}, one package of ${files.length} files`,
		...files.map((file, index) => `  ${file.name}: FirmwareUrl ${urls[index]}`),
	].join('\n');
}

/** The platform's refusal of the FirmwareUrl or of the file, with what to do instead: upload this file again. */
function refusalWithWayOut(error: unknown, uploadAgain: string): unknown {
	const ota = toOtaError(error);
	if (ota.code === FIRMWARE_URL_INVALID) {
		return ota.withHint(
			`No upload is stored at this FirmwareUrl any more (OSS deletes an upload that is not registered within ${REGISTER_WINDOW_TEXT}), or it is not a FirmwareUrl of this account, region and instance. Upload the file again and register it in one run: ${uploadAgain}`,
		);
	}
	if (ota.code === FIRMWARE_SIGN_MISMATCH || ota.code === FIRMWARE_SIZE_MISMATCH) {
		return ota.withHint(
			`--file is not the file that was uploaded to this FirmwareUrl: give the very file that was uploaded, or upload this one: ${uploadAgain}`,
		);
	}
	return error;
}
