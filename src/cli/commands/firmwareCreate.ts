// `iot-ota firmware create <FirmwareUrl> --file F …`: registers a FirmwareUrl uploaded earlier (an upload without
// --create, or one whose registration failed) as the local file uploaded to it; nothing is uploaded. The core's
// prepareUploadedRegistration → registerUploaded (docs/protocols.md §13.7); the shell reads the flags and prints.
import path from 'node:path';
import { FIRMWARE_SIGN_MISMATCH, FIRMWARE_SIZE_MISMATCH, FIRMWARE_URL_INVALID } from '../../core/apiErrorCodes';
import { toOtaError } from '../../core/errors';
import { prepareUploadedRegistration, registerUploaded, type FlowResult } from '../../core/flow';
import { REGISTER_WINDOW_TEXT } from '../../core/format';
import { printable } from '../../core/printable';
import { booleanFlag, stringFlag, usageError, VERSION_MARKER_FLAG, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { VERBOSE_FLAG } from '../lifecycleArgs';
import { uploadCreateCommand } from '../registerLine';
import { connectForUpload, registrationOptionsFrom, REGISTRATION_FLAGS } from './uploadArgs';
import { registrationLine, uploadJson } from './uploadOutput';

export const FIRMWARE_CREATE_SPEC: CommandSpec = {
	name: 'firmware create',
	summary: 'Register a FirmwareUrl uploaded earlier (CreateOTAFirmware) as the local file uploaded to it; nothing is uploaded.',
	synopsis: '<FirmwareUrl> --file F --product-key PK [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{
			name: 'file',
			type: 'string',
			value: 'F',
			description: 'The file that was uploaded to the FirmwareUrl: its image is checked and its digest and size registered.',
		},
		...REGISTRATION_FLAGS,
		VERSION_MARKER_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
	notes: [
		'The FirmwareUrl is what iot-ota upload printed (without --create, or when its registration failed): a failed upload --create prints this very command line.',
		`It must be registered within ${REGISTER_WINDOW_TEXT} of its upload: OSS deletes an upload that is not registered by then, and CreateOTAFirmware refuses its FirmwareUrl (upload the file again, with --create).`,
		'The file is checked as upload --create checks it (its image, the version it declares against --dest-version) and read whole: its digest (--sign-method) and size are registered, so the platform refuses a file other than the one uploaded to the FirmwareUrl. The FirmwareUrl names the suffix it was uploaded with; contents that are not what it says are refused.',
		'A FirmwareUrl already registered is reported, not registered twice; a package of the same product, version and content is taken instead unless --force-new.',
	],
};

export async function runFirmwareCreateCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const file = stringFlag(values, 'file')?.trim();
	if (!file) {
		throw usageError(
			'iot-ota firmware create needs --file: the file that was uploaded to the FirmwareUrl.',
			'Example: iot-ota firmware create https://…/ota/…/firmware.bin --file build/app.bin --product-key a1BcDeFgHiJ',
		);
	}
	const create = registrationOptionsFrom(values, 'iot-ota firmware create');
	const prepared = await prepareUploadedRegistration(
		{
			firmwareUrl: args.positionals[0],
			filePath: path.resolve(ctx.cwd, file),
			create,
			versionMarker: stringFlag(values, 'version-marker'),
		},
		{ signal: ctx.signal },
	);
	for (const warning of prepared.warnings) {
		out.err(`warning: ${printable(warning)}\n`);
	}
	const { logger, client } = await connectForUpload(values, booleanFlag(values, 'verbose'), ctx, out);
	let result: FlowResult;
	try {
		result = await registerUploaded(client, prepared, {
			signal: ctx.signal,
			logger,
			onPending: (pending) => out.setPendingRegistration(pending),
		});
	} catch (error) {
		throw refusalWithWayOut(error, uploadCreateCommand(file, values));
	}
	if (booleanFlag(values, 'json')) {
		out.json(uploadJson(result));
	} else {
		out.out(`${printable(registrationLine(result))}\n  FirmwareUrl: ${printable(result.record.firmwareUrl ?? '')}\n`);
	}
	return EXIT_OK;
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
