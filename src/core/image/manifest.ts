// Versions archives declare next to the image (docs/protocols.md §9.3): the nRF Connect SDK's
// dfu_application.zip manifest.json, a manifest.json with a "version", a VERSION file at the root.
import { mcubootVersionText } from './mcuboot';
import type { VersionSource } from './types';

export interface DeclaredVersion {
	version: string;
	aliases?: string[];
	source: VersionSource;
	/** The archive entry that declares it. */
	entry: string;
	/** The entry the declaration is about (nRF: the application image). */
	file?: string;
	target?: string;
}

type MetadataKind = 'manifest' | 'version-file';

const VERSION_TOKEN = /^[\x21-\x7e]{1,64}$/;
const MCUBOOT_VERSION = /^(\d{1,3})\.(\d{1,3})\.(\d{1,5})(?:\+(\d{1,10}))?$/;

/** manifest.json, version, VERSION or version.txt at the root of the archive ("./" prefixes ignored). */
export function metadataKind(entryName: string): MetadataKind | undefined {
	const name = entryName.replace(/^(\.\/)+/, '');
	if (name.includes('/')) {
		return undefined;
	}
	const lower = name.toLowerCase();
	if (lower === 'manifest.json') {
		return 'manifest';
	}
	return lower === 'version' || lower === 'version.txt' ? 'version-file' : undefined;
}

/** A declared version, a warning explaining why the file declares none, or undefined (nothing to say). */
export function readDeclaredVersion(entry: string, kind: MetadataKind, bytes: Buffer): DeclaredVersion | string | undefined {
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	if (kind === 'version-file') {
		const line = text
			.split(/\r?\n/)
			.find((l) => l.trim() !== '')
			?.trim();
		if (line === undefined) {
			return `${entry} is empty.`;
		}
		return VERSION_TOKEN.test(line)
			? { version: line, source: 'version-file', entry }
			: `${entry} does not hold a single version string.`;
	}
	let manifest: unknown;
	try {
		manifest = JSON.parse(text);
	} catch (error) {
		return `${entry} is not valid JSON (${(error as Error).message}).`;
	}
	return nrfManifestVersion(entry, manifest) ?? plainManifestVersion(entry, manifest);
}

/** nRF Connect SDK: files[] with version_MCUBOOT; the application is type "application" or image_index "0". */
function nrfManifestVersion(entry: string, manifest: unknown): DeclaredVersion | undefined {
	const files = (manifest as { files?: unknown })?.files;
	if (!Array.isArray(files)) {
		return undefined;
	}
	const candidates = files.filter(
		(f): f is Record<string, unknown> =>
			typeof f === 'object' && f !== null && typeof (f as Record<string, unknown>).version_MCUBOOT === 'string',
	);
	const app = candidates.find((f) => f.type === 'application') ?? candidates.find((f) => String(f.image_index) === '0') ?? candidates[0];
	if (!app) {
		return undefined;
	}
	const raw = String(app.version_MCUBOOT).trim();
	const parts = MCUBOOT_VERSION.exec(raw);
	const spelled = parts
		? mcubootVersionText({ major: +parts[1], minor: +parts[2], revision: +parts[3], build: +(parts[4] ?? 0) })
		: { version: raw, aliases: [] };
	return {
		...spelled,
		source: 'nrf-manifest',
		entry,
		file: typeof app.file === 'string' ? app.file : undefined,
		target: typeof app.board === 'string' ? app.board : typeof app.soc === 'string' ? app.soc : undefined,
	};
}

function plainManifestVersion(entry: string, manifest: unknown): DeclaredVersion | string | undefined {
	const version = (manifest as { version?: unknown })?.version;
	if (version === undefined) {
		return undefined;
	}
	return typeof version === 'string' && VERSION_TOKEN.test(version.trim())
		? { version: version.trim(), source: 'manifest', entry }
		: `${entry} has a "version" that is not a single version string.`;
}
