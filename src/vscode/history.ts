// Type-only vscode import: the store runs (and is unit-tested) in plain Node with any Memento-like object.
import type * as vscode from 'vscode';
import { recordPackageDeleted } from '../core/flow/record';
import { StateKeys } from './constants';
import { HISTORY_CAP, loadHistoryRows, sanitizeHistoryEntry } from './historyRows';
import type { HistoryEntry } from './model';

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

	/** DeleteOTAFirmware deleted `firmwareId`: the rows registered as it become `deleted` (recordPackageDeleted); how many. */
	async markPackageDeleted(firmwareId: string, now = Date.now()): Promise<number> {
		const next = this.entries.map((e) => recordPackageDeleted(e, firmwareId, now));
		const count = next.filter((e, i) => e !== this.entries[i]).length;
		if (count > 0) {
			this.entries = next;
			await this.commit();
		}
		return count;
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
