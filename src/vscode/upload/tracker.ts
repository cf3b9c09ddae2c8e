import * as vscode from 'vscode';
import type { OtaError } from '../../core/errors';
import { ContextKeys } from '../constants';
import { shellRefusal } from '../errorWordingsShell';
import { validationText } from '../validationText';
import type { ProgressSnapshot } from './progressFormat';
import { setContext } from '../setContext';

export interface ActiveUpload {
	entryId: string;
	fileName: string;
	controller: AbortController;
	progress?: ProgressSnapshot;
}

/**
 * The one upload in flight (uploads run one at a time) and the `iotOta.uploading` context key, and the
 * registrations in flight (one per history entry), so "Cancel Upload" can reach whichever step is running.
 */
export class UploadTracker implements vscode.Disposable {
	private active: ActiveUpload | undefined;
	private readonly registering = new Map<string, AbortController>();
	private readonly emitter = new vscode.EventEmitter<void>();
	readonly onDidChange = this.emitter.event;

	get current(): ActiveUpload | undefined {
		return this.active;
	}

	/** The refusal of an upload started while another is in flight, or undefined when none is. */
	private busy(): OtaError | undefined {
		return this.active && shellRefusal('UploadBusy', 'upload-busy', { fileName: this.active.fileName });
	}

	/** What to tell a user who starts an upload while another is in flight (in the window's language), or undefined when none is. */
	busyMessage(): string | undefined {
		const busy = this.busy();
		return busy && validationText(busy, vscode.l10n);
	}

	/** Refuses an upload that finished its questions while another one started (a double-click, a Retry). */
	assertIdle(): void {
		const busy = this.busy();
		if (busy) {
			throw busy;
		}
	}

	begin(upload: ActiveUpload): void {
		this.active = upload;
		void setContext(ContextKeys.uploading, true);
		this.emitter.fire();
	}

	report(progress: ProgressSnapshot): void {
		if (this.active) {
			this.active.progress = progress;
		}
	}

	end(entryId: string): void {
		if (this.active?.entryId !== entryId) {
			return;
		}
		this.active = undefined;
		void setContext(ContextKeys.uploading, false);
		this.emitter.fire();
	}

	/** Aborts the running request at once; returns false when nothing was running. */
	cancel(reason = 'user'): boolean {
		if (!this.active) {
			return false;
		}
		this.active.controller.abort(reason);
		return true;
	}

	/** Marks the entry's registration as running; false when one is running already. */
	beginRegistration(entryId: string, controller: AbortController): boolean {
		if (this.registering.has(entryId)) {
			return false;
		}
		this.registering.set(entryId, controller);
		return true;
	}

	endRegistration(entryId: string, controller: AbortController): void {
		if (this.registering.get(entryId) === controller) {
			this.registering.delete(entryId);
		}
	}

	/** Cancels the entry's registration (the core deletes it again if the platform accepted it); false when none runs. */
	cancelRegistration(entryId: string, reason = 'user'): boolean {
		const controller = this.registering.get(entryId);
		controller?.abort(reason);
		return controller !== undefined;
	}

	dispose(): void {
		this.active?.controller.abort('dispose');
		for (const controller of this.registering.values()) {
			controller.abort('dispose');
		}
		this.emitter.dispose();
	}
}
