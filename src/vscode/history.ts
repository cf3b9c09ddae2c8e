// Type-only vscode import: the store runs (and is unit-tested) in plain Node with any Memento-like object.
import type * as vscode from 'vscode';
import { redact } from '../core/errors';
import { VERSION_SOURCE_TEXT } from '../core/image/guard';
import type { VersionSource, VersionSourceParts } from '../core/image';
import { FIRMWARE_SUFFIXES } from '../core/types';
import { StateKeys } from './constants';
import type { HistoryEntry, UploadStatus } from './model';

export const HISTORY_CAP = 200;

const STATUSES: readonly UploadStatus[] = ['uploading', 'uploaded', 'registered', 'failed', 'interrupted', 'cancelled'];
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
	'error',
	'requestId',
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
	if ((SIGN_METHODS as readonly unknown[]).includes(row.signMethod)) {
		entry.signMethod = row.signMethod as HistoryEntry['signMethod'];
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

type Listener = () => unknown;

export interface UploadByteProgress {
	bytesSent: number;
	totalBytes: number;
}

/**
 * Per-workspace upload history in workspaceState. Reads are synchronous from memory; writes update
 * memory at once (so views render the new state immediately) and persist in call order.
 */
export class HistoryStore {
	private entries: HistoryEntry[];
	private readonly listeners = new Set<Listener>();
	private readonly progressListeners = new Set<(id: string) => unknown>();
	/** Live byte progress of running uploads: memory only, never persisted. */
	private readonly progress = new Map<string, UploadByteProgress>();
	private pendingWrite: Promise<void> = Promise.resolve();
	private disposed = false;

	readonly onDidChange: vscode.Event<void> = (listener, thisArgs?, disposables?) => {
		const bound: Listener = () => listener.call(thisArgs);
		this.listeners.add(bound);
		const subscription = { dispose: () => void this.listeners.delete(bound) };
		disposables?.push(subscription);
		return subscription;
	};

	/** Fires with the entry id when `setProgress` moved an upload by at least a whole percent. */
	readonly onDidChangeProgress: vscode.Event<string> = (listener, thisArgs?, disposables?) => {
		const bound = (id: string) => listener.call(thisArgs, id);
		this.progressListeners.add(bound);
		const subscription = { dispose: () => void this.progressListeners.delete(bound) };
		disposables?.push(subscription);
		return subscription;
	};

	constructor(
		private readonly memento: vscode.Memento,
		private readonly cap = HISTORY_CAP,
	) {
		this.entries = loadHistoryRows(memento.get<unknown>(StateKeys.history), cap);
	}

	/** Newest first; a copy, so callers cannot mutate the store. */
	all(): HistoryEntry[] {
		return this.entries.map((entry) => ({ ...entry }));
	}

	get(id: string): HistoryEntry | undefined {
		const entry = this.entries.find((e) => e.id === id);
		return entry ? { ...entry } : undefined;
	}

	/** Adds (or replaces an entry with the same id) at its place by start time; the oldest rows beyond the cap go. */
	async add(entry: HistoryEntry): Promise<void> {
		const clean = sanitizeHistoryEntry(entry);
		if (!clean) {
			throw new Error(`Refusing to store a malformed history entry (${String((entry as { id?: unknown })?.id)}).`);
		}
		const others = this.entries.filter((e) => e.id !== clean.id);
		this.entries = loadHistoryRows([clean, ...others], this.cap);
		await this.commit();
	}

	/** Merges `patch` (the id cannot change); returns the updated entry, or undefined when the id is unknown. */
	async update(id: string, patch: Partial<HistoryEntry>): Promise<HistoryEntry | undefined> {
		const index = this.entries.findIndex((e) => e.id === id);
		if (index < 0) {
			return undefined;
		}
		const merged = sanitizeHistoryEntry({ ...this.entries[index], ...patch, id });
		if (!merged) {
			throw new Error(`Refusing an update that makes history entry ${id} malformed.`);
		}
		this.entries = this.entries.map((e, i) => (i === index ? merged : e));
		if (merged.status !== 'uploading') {
			this.progress.delete(id);
		}
		await this.commit();
		return { ...merged };
	}

	/** Reports bytes sent by a running upload (cheap to call on every chunk); cleared when the entry leaves 'uploading'. */
	setProgress(id: string, bytesSent: number, totalBytes: number): void {
		const entry = this.entries.find((e) => e.id === id);
		if (!entry || entry.status !== 'uploading' || !(totalBytes > 0)) {
			return;
		}
		const percent = (p: UploadByteProgress | undefined) => (p ? Math.floor((100 * p.bytesSent) / p.totalBytes) : -1);
		const before = percent(this.progress.get(id));
		const next = { bytesSent: Math.min(Math.max(bytesSent, 0), totalBytes), totalBytes };
		this.progress.set(id, next);
		if (percent(next) !== before && !this.disposed) {
			for (const listener of [...this.progressListeners]) {
				try {
					listener(id);
				} catch {
					// Same policy as onDidChange.
				}
			}
		}
	}

	progressOf(id: string): UploadByteProgress | undefined {
		const p = this.progress.get(id);
		return p ? { ...p } : undefined;
	}

	async remove(id: string): Promise<void> {
		this.progress.delete(id);
		const next = this.entries.filter((e) => e.id !== id);
		if (next.length === this.entries.length) {
			return;
		}
		this.entries = next;
		await this.commit();
	}

	async clear(): Promise<void> {
		this.progress.clear();
		this.entries = [];
		await this.commit();
	}

	/** Entries a previous (reloaded or crashed) extension host left 'uploading' can never finish: mark them. */
	async markInterrupted(): Promise<number> {
		let count = 0;
		this.entries = this.entries.map((e) => {
			if (e.status !== 'uploading') {
				return e;
			}
			count++;
			return { ...e, status: 'interrupted' };
		});
		if (count > 0) {
			await this.commit();
		}
		return count;
	}

	dispose(): void {
		this.disposed = true;
		this.listeners.clear();
		this.progressListeners.clear();
	}

	private async commit(): Promise<void> {
		const snapshot = this.entries;
		this.fire();
		const write = this.pendingWrite.then(() => this.memento.update(StateKeys.history, snapshot));
		// A failed write must not poison the chain for later writes; the caller still sees its own failure.
		this.pendingWrite = write.then(
			() => undefined,
			() => undefined,
		);
		await write;
	}

	private fire(): void {
		if (this.disposed) {
			return;
		}
		for (const listener of [...this.listeners]) {
			try {
				listener();
			} catch {
				// One broken listener must not stop the others (VS Code's EventEmitter behaves the same).
			}
		}
	}
}
