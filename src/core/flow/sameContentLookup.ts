// Whether an upload looks for a package of the same content before it uploads, and for which one (docs/protocols.md
// §13.2). One rule for both shells, which differ on purpose in one point: what becomes of a match. A run that registers
// (the CLI's --create) takes the package it would register without asking, so it looks for exactly that package. An
// upload that does not register can only offer what it finds, so only a shell that asks (the extension's Upload) looks
// then, for any product's package of the version the image declares; the CLI without --create cannot ask and names no
// product, so it looks for nothing rather than hand out a package nobody chose.
import path from 'node:path';
import type { PackageWanted } from './duplicates';
import { destVersionFor } from './image';
import type { PreparedFlow } from './prepare';

export interface SameContentLookup {
	destVersion: string;
	/** The package a registering run would create; undefined: any product's full package of the default module. */
	wanted?: Omit<PackageWanted, 'destVersion'>;
	/** 'reuse': the match is taken without a question; 'offer': the user chooses it or uploads anyway. */
	match: 'reuse' | 'offer';
}

/**
 * The lookup this upload makes before it uploads, or undefined when it makes none. `offers`: the shell asks the user
 * about a match (the extension's Upload) rather than taking it unasked.
 */
export function sameContentLookup(
	prepared: Pick<PreparedFlow, 'filePath' | 'image' | 'digests' | 'create'>,
	shell: { offers: boolean },
): SameContentLookup | undefined {
	const { create, image, digests } = prepared;
	if (create) {
		return create.forceNew ? undefined : { destVersion: create.destVersion, wanted: create, match: 'reuse' };
	}
	// An image that declares its version is read whole, so its digests are known before the upload.
	if (!shell.offers || !image.declared || !digests) {
		return undefined;
	}
	try {
		return { destVersion: destVersionFor(image, path.basename(prepared.filePath), undefined), match: 'offer' };
	} catch {
		return undefined; // no spelling DestVersion allows: Create OTA Firmware asks for one after the upload
	}
}
