import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import type { ExistingPackage } from '../../core/flow/duplicates';
import { destVersionFor } from '../../core/flow/image';
import { versionGuard, type DeclaredImageVersion } from '../../core/image';
import type { Services } from '../commands/services';
import type { HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { sourcePartsText } from '../views/imageText';

/** The DestVersion the image declares (in a spelling DestVersion allows), read when it was uploaded; else undefined. */
export function imageDestVersion(entry: HistoryEntry): string | undefined {
	if (!entry.image?.declared) {
		return undefined;
	}
	try {
		return destVersionFor(entry.image, entry.fileName, undefined);
	} catch {
		return undefined;
	}
}

/**
 * The version guard of the CLI (core/flow/image.ts), asked instead of refused: a DestVersion other than the one the
 * image declares gets a warning whose first button takes the image's version; the other keeps the typed one (the
 * CLI's --allow-version-mismatch). Returns the DestVersion to register.
 */
export async function confirmDestVersion(s: Services, entry: HistoryEntry, destVersion: string): Promise<string> {
	const guard = versionGuard(entry.image?.declared, destVersion);
	const declared = entry.image?.declared;
	if (guard.verdict !== 'mismatch' || !declared) {
		return destVersion;
	}
	const imageVersion = imageDestVersion(entry);
	const take = imageVersion ? vscode.l10n.t('Use {0}', imageVersion) : undefined;
	const keep = vscode.l10n.t('Register as {0}', destVersion);
	const choice = await s.prompter.message(
		PromptIds.createVersionMismatch,
		'warning',
		versionMismatchText(entry.fileName, declared, destVersion),
		{ modal: true },
		...(take ? [take, keep] : [keep]),
	);
	if (choice === take && imageVersion) {
		return imageVersion;
	}
	if (choice === keep) {
		s.log.warn(`[create] ${entry.fileName} registered as ${destVersion} although the image declares ${declared.version}.`);
		return destVersion;
	}
	throw cancelledError('the DestVersion');
}

/** The version guard's refusal in the window's language: the file declares another version than DestVersion. */
export function versionMismatchText(fileName: string, declared: DeclaredImageVersion, destVersion: string): string {
	return vscode.l10n.t(
		'{0} declares version {1} ({2}) but DestVersion is {3}: devices would report {1} after the update and the OTA verification would fail.',
		fileName,
		declared.version,
		declared.sourceParts ? sourcePartsText(declared.sourceParts, vscode.l10n) : declared.source,
		destVersion,
	);
}

/** registerFirmware's question when this product already has the same image under this DestVersion (the CLI reuses it). */
export function askReuse(s: Services, entry: HistoryEntry): (existing: ExistingPackage) => Promise<boolean> {
	return async (existing) => {
		const use = vscode.l10n.t('Use Existing Package');
		const register = vscode.l10n.t('Register Anyway');
		const choice = await s.prompter.message(
			PromptIds.createDuplicate,
			'info',
			vscode.l10n.t(
				'The same image is already registered in this product as OTA package {0} (FirmwareId {1}, version {2}). Use it instead of registering {3} a second time?',
				existing.firmwareName,
				existing.firmwareId,
				existing.destVersion,
				entry.fileName,
			),
			{ modal: true },
			use,
			register,
		);
		if (choice === undefined) {
			throw cancelledError('the choice of an existing package');
		}
		return choice === use;
	};
}
