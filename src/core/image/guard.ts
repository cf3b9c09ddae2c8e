// Verdicts the upload flow and the shells act on: does the image's version match the DestVersion, is it damaged, and
// the one wording of each (docs/protocols.md §9).
import type { ContentFormat, ContentInfo, FirmwareIdentity, IntegrityCheck, VersionSource } from './types';

export const FORMAT_TEXT: Record<ContentFormat, string> = {
	'esp-idf': 'ESP-IDF application image',
	mcuboot: 'MCUboot image',
	zip: 'ZIP archive',
	tar: 'tar archive',
	gzip: 'gzip stream',
	unknown: 'unrecognised contents',
};

export const VERSION_SOURCE_TEXT: Record<VersionSource, string> = {
	'esp-app-desc': 'ESP-IDF app description',
	'mcuboot-header': 'MCUboot header',
	'nrf-manifest': 'nRF DFU manifest',
	manifest: 'manifest.json',
	'version-file': 'VERSION file',
	'nested-image': 'the image inside',
	marker: 'version marker',
};

type Versioned = Pick<ContentInfo, 'version' | 'versionAliases'>;

/** True when `version` is the declared version or one of its other spellings (MCUboot "1.2.3+4" = "1.2.3.4"). */
export function sameVersion(content: Versioned, version: string): boolean {
	return content.version !== undefined && (content.version === version || (content.versionAliases ?? []).includes(version));
}

/** True when any spelling of one version is a spelling of the other. */
export function versionsAgree(a: Versioned, b: Versioned): boolean {
	return b.version !== undefined && [b.version, ...(b.versionAliases ?? [])].some((spelling) => sameVersion(a, spelling));
}

/** Where a version was read: the archive entry and/or the kind of source (a shell words it in its own language). */
export interface VersionSourceParts {
	entry?: string;
	source?: VersionSource;
}

/**
 * Where the version came from, as parts a shell can word in its own language: the archive entry it was read from
 * and/or the kind of source ("fw/app.bin" + esp-app-desc); neither when unknown. describeVersionSource is the English.
 */
export function versionSourceOf(identity: Pick<ContentInfo, 'versionSource' | 'archive' | 'inner'>): VersionSourceParts {
	const source = identity.versionSource;
	const archive = identity.archive ?? identity.inner?.archive;
	const entry = archive?.versionEntry;
	if (!source || !entry) {
		return source ? { source } : {};
	}
	const about = source === 'nested-image' ? archive.entries.find((e) => e.name === entry)?.content?.versionSource : source;
	return about === 'nrf-manifest' || about === 'esp-app-desc' || about === 'mcuboot-header' ? { entry, source: about } : { entry };
}

/** Where the version came from, for messages: "ESP-IDF app description", "fw/app.bin, ESP-IDF app description", "./VERSION". */
export function describeVersionSource(identity: Pick<ContentInfo, 'versionSource' | 'archive' | 'inner'>): string {
	return versionSourceText(versionSourceOf(identity));
}

function versionSourceText({ entry, source }: VersionSourceParts): string {
	const text = source && VERSION_SOURCE_TEXT[source];
	return entry && text ? `${entry}, ${text}` : (entry ?? text ?? 'unknown');
}

/** `unknown`: the image declares no version, so there is nothing to compare; a mismatch has one sentence naming both. */
export type VersionGuardResult =
	| { verdict: 'unknown'; requested: string; embedded?: undefined; message?: undefined }
	| { verdict: 'match'; requested: string; embedded: string; message?: undefined }
	| { verdict: 'mismatch'; requested: string; embedded: string; message: string };

/** The version an image declares, reduced to what a guard needs later (the upload history keeps it). */
export interface DeclaredImageVersion {
	version: string;
	/** Other spellings of the same version (MCUboot "1.2.3+4" = "1.2.3.4"). */
	aliases?: string[];
	/** Where it was read, for messages: "ESP-IDF app description", "manifest.json, nRF DFU manifest". */
	source: string;
	/** The same as parts (versionSourceOf), for a shell to word in its own language. */
	sourceParts?: VersionSourceParts;
}

type GuardedContent = Pick<ContentInfo, 'version' | 'versionAliases' | 'versionSource' | 'archive' | 'inner'>;

/** The declared version of inspected contents, or undefined when they declare none. */
export function declaredVersionOf(identity: GuardedContent): DeclaredImageVersion | undefined {
	if (identity.version === undefined) {
		return undefined;
	}
	const aliases = identity.versionAliases?.length ? { aliases: identity.versionAliases } : {};
	const sourceParts = versionSourceOf(identity);
	return { version: identity.version, ...aliases, source: versionSourceText(sourceParts), sourceParts };
}

/**
 * Compares the version the image declares with the DestVersion it is about to be registered under. A device reports
 * the version compiled into it, so a mismatch fails the OTA verification. A differential package (Type 1) is compared
 * the same way: its DestVersion is the version the device reports after applying it.
 */
export function versionGuard(identity: GuardedContent | DeclaredImageVersion | undefined, destVersion: string): VersionGuardResult {
	const declared = identity === undefined || 'source' in identity ? identity : declaredVersionOf(identity);
	const requested = destVersion.trim();
	if (!declared) {
		return { verdict: 'unknown', requested };
	}
	if (sameVersion({ version: declared.version, versionAliases: declared.aliases }, requested)) {
		return { verdict: 'match', requested, embedded: declared.version };
	}
	return {
		verdict: 'mismatch',
		requested,
		embedded: declared.version,
		message: `The image declares version ${declared.version} (${declared.source}) but DestVersion is ${requested}: devices would report ${declared.version} after the update and the OTA verification would fail.`,
	};
}

/** The failed checks of a damaged image, or undefined when it is not damaged. */
export function damagedChecks(identity: Pick<FirmwareIdentity, 'integrity'>): IntegrityCheck[] | undefined {
	return identity.integrity.verdict === 'damaged' ? identity.integrity.checks.filter((check) => check.status === 'mismatch') : undefined;
}

/** "ESP image SHA-256: stored …, computed …", or the check's detail after its name. */
export function failedCheckText(check: IntegrityCheck): string {
	return check.detail
		? `${check.name}: ${check.detail}`
		: `${check.name}: stored ${check.stored ?? '?'}, computed ${check.computed ?? '?'}`;
}

/** One sentence naming the failed checks of a damaged image, or undefined when it is not damaged. */
export function damageSummary(identity: Pick<FirmwareIdentity, 'integrity'>): string | undefined {
	const failed = damagedChecks(identity);
	return failed && `The image is damaged (${failed.map(failedCheckText).join('; ')}); rebuild it or copy it again.`;
}
