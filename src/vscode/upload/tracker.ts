import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import { ContextKeys } from '../constants';
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

	/** What to tell a user who starts an upload while another is in flight, or undefined when none is. */
	busyMessage(): string | undefined {
		return this.active && vscode.l10n.t('{0} is still uploading; uploads run one at a time.', this.active.fileName);
	}

	/** Refuses an upload that finished its questions while another one started (a double-click, a Retry). */
	assertIdle(): void {
		const message = this.busyMessage();
		if (message) {
			throw new OtaError({ code: 'UploadBusy', source: 'validation', message });
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
