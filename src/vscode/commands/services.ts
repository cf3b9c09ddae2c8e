import type * as vscode from 'vscode';
import type { EndpointDeclines } from '../credentials/endpointDeclines';
import type { ProfileStore } from '../credentials/profileStore';
import type { HistoryStore } from '../history';
import type { ImageIdentities } from '../image/identityCache';
import type { SecretMask } from '../log';
import type { DiagnosisDocuments } from '../ota/actions/diagnosisDocuments';
import type { OtaServices } from '../ota/contract';
import type { SandboxController } from '../sandbox';
import type { Settings } from '../settings';
import type { Prompter } from '../ui/prompter';
import type { UploadCommandDocuments } from '../upload/commandDocuments';
import type { UploadStatusBar } from '../upload/statusBar';
import type { UploadTracker } from '../upload/tracker';

/** Everything a command needs, built once in extension.ts and passed explicitly (no global singletons). */
export interface Services {
	context: vscode.ExtensionContext;
	log: vscode.LogOutputChannel;
	mask: SecretMask;
	prompter: Prompter;
	settings: Settings;
	profiles: ProfileStore;
	history: HistoryStore;
	statusBar: UploadStatusBar;
	uploads: UploadTracker;
	sandbox: SandboxController;
	/** The core lifecycle for an account, the job watches and the OTA Packages view (issue 14). */
	ota: OtaServices;
	/** The read-only documents Diagnose opens. */
	diagnoses: DiagnosisDocuments;
	/** The read-only documents Show Upload Commands opens. */
	uploadCommands: UploadCommandDocuments;
	/** What firmware files say about themselves, read once per file version (the view and the upload share it). */
	images: ImageIdentities;
	/** Loads the upload path's vendor files on an idle turn, once per session (core/uploadPreload.ts). */
	preloadUploadPath: () => void;
	/** The workspace endpoints the user declined in this window (workspaceTrust.ts). */
	endpointDeclines: EndpointDeclines;
}
