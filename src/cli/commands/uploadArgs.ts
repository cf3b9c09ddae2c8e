// The flags `iot-ota upload` shares between one file and a multi-file package: the create options and the connection.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FlowCreateOptions } from '../../core/flow';
import { withDetectedVersion } from '../../core/flow/versionDetect';
import type { SignMethod } from '../../core/types';
import { booleanFlag, stringFlag, usageError, type FlagSpec, type FlagValues } from '../args';
import { createClient, resolveConnection } from '../connection';
import type { CliContext, SafeOutput } from '../io';

/**
 * The flags of a registration (CreateOTAFirmware), the same for `upload --create` and `firmware create`: one list, one
 * reading (registrationOptionsFrom), so their names, checks and defaults cannot drift apart.
 */
export const REGISTRATION_FLAGS: readonly FlagSpec[] = [
	{ name: 'product-key', type: 'string', value: 'PK', description: 'Product the package belongs to.' },
	{
		name: 'dest-version',
		type: 'string',
		value: 'V',
		description: 'Version the device reports after the upgrade (default: the version the image declares).',
	},
	{
		name: 'allow-version-mismatch',
		type: 'boolean',
		description: 'Register under --dest-version even though the image declares another version.',
	},
	{
		name: 'force-new',
		type: 'boolean',
		description:
			'Register a new package even when one of the same product, version and content exists (upload: the file is uploaded too).',
	},
	{
		name: 'name',
		type: 'string',
		value: 'N',
		description: "Firmware name (default: file name, version and content hash, e.g. app-1_2_0-3f2a9c1d; a package: its first file's).",
	},
	{
		name: 'sign-method',
		type: 'string',
		value: 'MD5|SHA256',
		description: "Digest registered as FirmwareSign, in a package as each file's SignValue (default MD5; computed from the file).",
	},
	{ name: 'src-version', type: 'string', value: 'V', description: 'Version the package upgrades from.' },
	{ name: 'differential', type: 'boolean', description: 'A delta package (Type 1) from --src-version to --dest-version.' },
	{ name: 'module', type: 'string', value: 'M', description: 'OTA module name (default: the "default" module).' },
	{ name: 'desc', type: 'string', value: 'TEXT', description: 'Firmware description (≤ 100 characters).' },
];

/** `upload`'s registration options: only with --create (the registration flags without it are refused). */
export function createOptionsFrom(values: FlagValues): FlowCreateOptions | undefined {
	if (!booleanFlag(values, 'create')) {
		const stray = REGISTRATION_FLAGS.map(({ name }) => name).filter((name) => values[name] !== undefined);
		if (stray.length > 0) {
			throw usageError(
				`${stray.map((n) => `--${n}`).join(', ')} only apply together with --create.`,
				'Add --create to register the package, or drop those flags.',
			);
		}
		return undefined;
	}
	return registrationOptionsFrom(values, '--create');
}

/** The registration flags read (REGISTRATION_FLAGS); `needer` names what needs --product-key in the message. */
export function registrationOptionsFrom(values: FlagValues, needer: string): FlowCreateOptions {
	const productKey = stringFlag(values, 'product-key')?.trim();
	if (!productKey) {
		throw usageError(`${needer} needs --product-key.`, 'Example: --product-key a1BcDeFgHiJ --dest-version 1.2.0');
	}
	const differential = booleanFlag(values, 'differential');
	return {
		productKey,
		destVersion: stringFlag(values, 'dest-version'),
		allowVersionMismatch: booleanFlag(values, 'allow-version-mismatch'),
		forceNew: booleanFlag(values, 'force-new'),
		firmwareName: stringFlag(values, 'name'),
		signMethod: signMethodFrom(stringFlag(values, 'sign-method')),
		srcVersion: stringFlag(values, 'src-version'),
		...(differential ? { type: 1 as const } : {}),
		moduleName: stringFlag(values, 'module'),
		firmwareDesc: stringFlag(values, 'desc'),
	};
}

function signMethodFrom(raw: string | undefined): SignMethod | undefined {
	if (raw === undefined) {
		return undefined;
	}
	const upper = raw.trim().toUpperCase();
	if (upper === 'MD5' || upper === 'SHA256') {
		return upper;
	}
	throw usageError(`--sign-method must be MD5 or SHA256 (got "${raw}").`);
}

/**
 * A folder is refused before anything is read or sent: the CLI uploads the files it is given, and the shell expands a
 * glob into them (the extension's "Upload Firmware in Folder…" is where a folder is searched). This is the reading of
 * the command line, not the file rule: the core's pre-flight still refuses a folder (FileIsDirectory, on the opened
 * descriptor), but only when it reaches that file (after the files before it were read whole for their digests, and
 * after the checks of several files and their flags), and it knows neither the path as typed nor the glob to suggest.
 */
export async function refuseFolders(positionals: readonly string[], cwd: string): Promise<void> {
	for (const given of positionals) {
		const stats = await stat(path.resolve(cwd, given)).catch(() => undefined);
		if (stats?.isDirectory()) {
			const glob = path.join(given, '*.bin');
			throw usageError(
				`${given} is a folder: iot-ota upload takes firmware files.`,
				`Name the files in it, e.g. iot-ota upload ${glob} (several files go up as one package with --create --product-key PK).`,
			);
		}
	}
}

/** Credentials (their secrets masked in every output), the logger and the IoT client of an upload. */
export async function connectForUpload(connectionFlags: FlagValues, verbose: boolean, ctx: CliContext, out: SafeOutput) {
	const connection = await resolveConnection(connectionFlags, ctx.env);
	out.addSecrets(connection.credentials.accessKeySecret, connection.credentials.securityToken);
	const logger = out.logger(verbose);
	return { connection, logger, client: createClient(connection, logger, ctx.env) };
}

/**
 * The local checks `prepare` makes, a DestVersionRequired naming the version the project of `filePath` states (core
 * withDetectedVersion), looked for from the file's folder up to the working directory, or in its own folder only
 * when it lies outside (core foldersUpTo). Named, never used: the command line stays explicit.
 */
export async function namingDetectedVersion<T>(filePath: string, cwd: string, prepare: () => Promise<T>): Promise<T> {
	try {
		return await prepare();
	} catch (error) {
		throw await withDetectedVersion(error, filePath, cwd);
	}
}
