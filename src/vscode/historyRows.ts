// Reading persisted upload history: whatever workspaceState holds (older versions, hand edits) is checked field by
// field, and only well-formed rows reach the views.
import { redact } from '../core/errors';
import { VERSION_SOURCE_TEXT } from '../core/image/guard';
import type { VersionSource, VersionSourceParts } from '../core/image';
import { FIRMWARE_SUFFIXES } from '../core/types';
import type { HistoryEntry, UploadStatus } from './model';

export const HISTORY_CAP = 200;

const STATUSES: readonly UploadStatus[] = ['uploading', 'uploaded', 'registered', 'deleted', 'failed', 'interrupted', 'cancelled'];
const SIGN_METHODS = ['MD5', 'SHA256'] as const;

const REQUIRED_STRINGS = ['id', 'fileUri', 'fileName', 'profile', 'region'] as const;
const IMAGE_FORMATS = ['esp-idf', 'mcuboot', 'zip', 'tar', 'gzip', 'unknown'] as const;
const OPTIONAL_STRINGS = [
	'md5',
	'sha256',
	'gitCommit',
	'firmwareUrl',
	'key',
	'firmwareId',
	'firmwareName',
	'destVersion',
	'productKey',
	'moduleName',
	'srcVersion',
	'error',
	'requestId',
	'folder',
	'instance',
] as const;

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Rebuilds a history row from untrusted data (persisted state, a caller's patch) keeping only known
 * fields of the right type, so stray properties (a credential someone spread into an entry) are never
 * persisted. Free text is redacted of signing query parameters. Returns undefined for malformed rows.
 */
export function sanitizeHistoryEntry(raw: unknown): HistoryEntry | undefined {
	if (typeof raw !== 'object' || raw === null) {
		return undefined;
	}
	const row = raw as Record<string, unknown>;
	for (const key of REQUIRED_STRINGS) {
		if (typeof row[key] !== 'string' || row[key] === '') {
			return undefined;
		}
	}
	if (!isFiniteNumber(row.size) || row.size < 0 || !isFiniteNumber(row.startedAt)) {
		return undefined;
	}
	if (!(FIRMWARE_SUFFIXES as readonly unknown[]).includes(row.suffix) || !(STATUSES as readonly unknown[]).includes(row.status)) {
		return undefined;
	}
	const entry: HistoryEntry = {
		id: row.id as string,
		fileUri: row.fileUri as string,
		fileName: row.fileName as string,
		size: row.size,
		suffix: row.suffix as HistoryEntry['suffix'],
		profile: row.profile as string,
		region: row.region as string,
		startedAt: row.startedAt,
		status: row.status as UploadStatus,
	};
	for (const key of OPTIONAL_STRINGS) {
		const value = row[key];
		if (typeof value === 'string' && value !== '') {
			entry[key] = key === 'error' || key === 'firmwareUrl' ? redact(value) : value;
		}
	}
	if (typeof row.gitDirty === 'boolean') {
		entry.gitDirty = row.gitDirty;
	}
	if (isFiniteNumber(row.finishedAt)) {
		entry.finishedAt = row.finishedAt;
	}
	// Only a deleted row says when its package was deleted (one registered again since is not deleted).
	if (entry.status === 'deleted' && isFiniteNumber(row.deletedAt)) {
		entry.deletedAt = row.deletedAt;
	}
	if ((SIGN_METHODS as readonly unknown[]).includes(row.signMethod)) {
		entry.signMethod = row.signMethod as HistoryEntry['signMethod'];
	}
	if (row.type === 1) {
		entry.type = 1;
	}
	if (row.reused === true) {
		entry.reused = true;
	}
	const image = sanitizeImage(row.image);
	if (image) {
		entry.image = image;
	}
	return entry;
}

const shortText = (value: unknown): value is string => typeof value === 'string' && value !== '' && value.length <= 200;

/** Where the declared version was read, as parts: a short entry name and/or a known kind of source; else undefined. */
function sanitizeSourceParts(raw: unknown): VersionSourceParts | undefined {
	const parts = raw as { entry?: unknown; source?: unknown } | undefined;
	if (typeof parts !== 'object' || parts === null) {
		return undefined;
	}
	const entry = shortText(parts.entry) ? parts.entry : undefined;
	const source = typeof parts.source === 'string' && Object.hasOwn(VERSION_SOURCE_TEXT, parts.source) ? parts.source : undefined;
	if (entry === undefined && source === undefined) {
		return undefined;
	}
	return { ...(entry === undefined ? {} : { entry }), ...(source === undefined ? {} : { source: source as VersionSource }) };
}

/** The image summary an upload keeps (format, declared version): only its known fields, as short strings. */
function sanitizeImage(raw: unknown): HistoryEntry['image'] {
	const image = raw as
		{ format?: unknown; declared?: { version?: unknown; aliases?: unknown; source?: unknown; sourceParts?: unknown } } | undefined;
	if (typeof image !== 'object' || image === null || !(IMAGE_FORMATS as readonly unknown[]).includes(image.format)) {
		return undefined;
	}
	const format = image.format as (typeof IMAGE_FORMATS)[number];
	const declared = image.declared;
	if (!declared || !shortText(declared.version) || !shortText(declared.source)) {
		return { format };
	}
	const aliases = Array.isArray(declared.aliases) ? declared.aliases.filter(shortText).slice(0, 4) : [];
	const sourceParts = sanitizeSourceParts(declared.sourceParts);
	return {
		format,
		declared: {
			version: declared.version,
			...(aliases.length ? { aliases } : {}),
			source: declared.source,
			...(sourceParts ? { sourceParts } : {}),
		},
	};
}

/** Valid rows of a persisted value, newest first, without duplicate ids, at most `cap`. */
export function loadHistoryRows(raw: unknown, cap = HISTORY_CAP): HistoryEntry[] {
	if (!Array.isArray(raw)) {
		return [];
	}
	const seen = new Set<string>();
	const rows: HistoryEntry[] = [];
	for (const item of raw) {
		const entry = sanitizeHistoryEntry(item);
		if (entry && !seen.has(entry.id)) {
			seen.add(entry.id);
			rows.push(entry);
		}
	}
	// Stable sort keeps the persisted order for equal start times.
	return rows.sort((a, b) => b.startedAt - a.startedAt).slice(0, cap);
}
