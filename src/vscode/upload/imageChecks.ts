import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { findSameContent, offerOrder, productOfPackage, type DuplicateClient, type ExistingPackage } from '../../core/flow/duplicates';
import { checkFirmware, type CheckedFirmware, type PreparedUpload } from '../../core/flow/preflight';
import { sameContentLookup } from '../../core/flow/sameContentLookup';
import { FIRMWARE_SUFFIXES, type FirmwareSuffix } from '../../core/types';
import type { Services } from '../commands/services';
import { StateKeys } from '../constants';
import { shellRefusal } from '../errorWordingsShell';
import { coreLogger } from '../log';
import { PromptIds } from '../ui/prompter';
import { cancellable } from '../ui/slowStep';
import { noAllowedSuffixText } from '../suffixText';
import type { LocalFile } from './fileAccess';

/**
 * The core's pre-flight of the file (core/flow/preflight.ts: checked, read once, a damaged image refused), taking the
 * Firmware Files view's read when it is a read of this very file (the core compares the file's stamp). The contents
 * against the suffix are checked once the suffix is chosen.
 */
export async function checkImage(s: Services, local: LocalFile, fileName: string): Promise<CheckedFirmware> {
	const versionMarker = s.settings.versionMarker();
	const checked = await cancellable(s, PromptIds.uploadRead, vscode.l10n.t('Reading {0}…', fileName), (signal) =>
		checkFirmware(local.path, {
			digests: false,
			signal,
			versionMarker,
			known: local.copied ? undefined : s.images.lastRead(local.path),
		}),
	);
	const { identity } = checked;
	s.log.info(
		`[upload] ${fileName}: ${identity.format}, version ${identity.version ?? 'not declared'}, integrity ${identity.integrity.verdict}.`,
	);
	return checked;
}

/** The product Create OTA Firmware used last: its package of the same content is the one Upload offers (offerOrder). */
export const lastProductKey = (s: Services): string | undefined => s.context.workspaceState.get<string>(StateKeys.lastProductKey);

/** Upload asks the user about a package of the same content (sameContentLookup's `offers`); so does its plan. */
export const UPLOAD_OFFERS = { offers: true } as const;

/**
 * The same-content lookup (sameContentLookup: the packages of the version the image declares, any product) of Upload
 * and of its plan: once it takes a while, a notification naming the file and version, whose Cancel aborts it.
 */
export const cancellableLookup = <T>(
	s: Services,
	fileName: string,
	version: string,
	work: (signal: AbortSignal) => Promise<T>,
): Promise<T> =>
	cancellable(s, PromptIds.uploadLookup, vscode.l10n.t('Looking for {0} {1} among the OTA packages…', fileName, version), work);

/**
 * Before the upload: the account's packages registered under the version the image declares, with the same content
 * (core/flow/sameContentLookup.ts; the product is not chosen yet, so full packages of the default module of every
 * product are candidates: what Create OTA Firmware registers). The user takes the one of the last used product (else
 * the newest) instead of uploading, or uploads anyway; undefined: upload.
 */
export async function offerExistingPackage(
	s: Services,
	client: DuplicateClient,
	prepared: Pick<PreparedUpload, 'filePath' | 'image' | 'digests'>,
	fileName: string,
): Promise<ExistingPackage | undefined> {
	const lookup = sameContentLookup(prepared, UPLOAD_OFFERS);
	if (!lookup) {
		return undefined;
	}
	const found = await cancellableLookup(s, fileName, lookup.destVersion, (signal) =>
		findSameContent(client, lookup.destVersion, prepared.digests ?? {}, lookup.wanted, {
			signal,
			logger: coreLogger(s.log, s.mask, 'upload'),
		}),
	);
	const [existing] = offerOrder(found, lastProductKey(s));
	if (!existing) {
		return undefined;
	}
	const use = vscode.l10n.t('Use Existing Package');
	const upload = vscode.l10n.t('Upload Anyway');
	const choice = await s.prompter.message(
		PromptIds.uploadDuplicate,
		'info',
		vscode.l10n.t(
			'{0} (version {1}) is already registered as OTA package {2} (FirmwareId {3}) of product {4}. Use it instead of uploading again?',
			fileName,
			existing.destVersion,
			existing.firmwareName,
			existing.firmwareId,
			productOfPackage(existing),
		),
		{
			modal: true,
			detail:
				found.length > 1
					? vscode.l10n.t('{0} more OTA packages hold the same image.', found.length - 1)
					: vscode.l10n.t('Upload anyway to register it for another product or module.'),
		},
		use,
		upload,
	);
	if (choice === use) {
		return existing;
	}
	if (choice === upload) {
		return undefined;
	}
	throw cancelledError('the choice of an existing package');
}

/**
 * The upload suffix: the file name's (`inferred`) with iotOta.suffixMode "alwaysInfer", else the user's pick (the
 * name's first).
 */
export async function chooseSuffix(s: Services, inferred: FirmwareSuffix | undefined, fileName: string): Promise<FirmwareSuffix> {
	if (s.settings.suffixMode() === 'alwaysInfer') {
		if (inferred) {
			return inferred;
		}
		// The core's refusal (preflight's file-no-allowed-suffix), with the extension's way out.
		throw shellRefusal('InvalidFileSuffix', 'no-suffix-to-infer', { name: fileName });
	}
	const ordered = inferred ? [inferred, ...FIRMWARE_SUFFIXES.filter((suffix) => suffix !== inferred)] : [...FIRMWARE_SUFFIXES];
	const items = ordered.map((suffix) => ({
		label: suffix,
		description: suffix === inferred ? vscode.l10n.t('inferred from the file name') : undefined,
		suffix,
	}));
	const chosen = await s.prompter.pick(PromptIds.uploadSuffix, items, {
		title: vscode.l10n.t('OTA file suffix for {0}', fileName),
		placeHolder: inferred
			? vscode.l10n.t('GenerateOTAUploadURL needs the package type; pick the one that matches the file.')
			: noAllowedSuffixText(fileName, vscode.l10n),
		ignoreFocusOut: true,
	});
	if (!chosen) {
		throw cancelledError('the suffix selection');
	}
	return chosen.suffix;
}
