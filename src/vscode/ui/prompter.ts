import * as vscode from 'vscode';
import { showStepInput, showStepPick, type StepInputOptions, type StepPickOptions, type StepResult } from './steps';

/** Stable ids of every prompt, so tests (and logs) can tell which question was asked. */
export const PromptIds = {
	uploadPickFile: 'upload.pickFile',
	uploadSuffix: 'upload.suffix',
	uploadBusy: 'upload.busy',
	uploadProgress: 'upload.progress',
	uploadResult: 'upload.result',
	uploadNoBuild: 'upload.noBuild',
	uploadDuplicate: 'upload.duplicate',
	uploadPackaging: 'upload.packaging',
	uploadFolderPick: 'upload.folderPick',
	uploadRead: 'upload.read',
	uploadLookup: 'upload.lookup',
	packageRead: 'package.read',
	packageUpload: 'package.upload',
	packageRegistered: 'package.registered',
	credentialsSource: 'credentials.source',
	credentialsProfileName: 'credentials.profileName',
	credentialsRegion: 'credentials.region',
	credentialsAccessKeyId: 'credentials.accessKeyId',
	credentialsSecret: 'credentials.secret',
	credentialsToken: 'credentials.securityToken',
	credentialsInstanceId: 'credentials.iotInstanceId',
	credentialsMissing: 'credentials.missing',
	profilePick: 'profile.pick',
	profileClearConfirm: 'profile.clearConfirm',
	endpointConfirm: 'endpoint.confirm',
	historyPick: 'history.pick',
	historyExportEmpty: 'history.exportEmpty',
	historyExportFile: 'history.exportFile',
	historyExported: 'history.exported',
	insertMode: 'insert.mode',
	insertFile: 'insert.file',
	insertKeyPath: 'insert.keyPath',
	insertRemember: 'insert.remember',
	createProduct: 'create.product',
	createProductKey: 'create.productKey',
	createVersion: 'create.destVersion',
	createName: 'create.firmwareName',
	createSignMethod: 'create.signMethod',
	createModule: 'create.module',
	createModules: 'create.modules',
	createModuleName: 'create.moduleName',
	createPackageType: 'create.packageType',
	createSrcVersion: 'create.srcVersion',
	createDesc: 'create.description',
	createLate: 'create.lateConfirm',
	createMayBeRegistered: 'create.mayBeRegistered',
	createPlaceMoved: 'create.placeMoved',
	createChanged: 'create.fileChanged',
	otaWatchedPick: 'ota.watchedPick',
	otaDeviceFilter: 'ota.deviceFilter',
	otaJobEnded: 'ota.jobEnded',
	otaJobHalted: 'ota.jobHalted',
	otaWatchAbandoned: 'ota.watchAbandoned',
	movePatterns: 'settings.movePatterns',
	otaPackagePick: 'ota.packagePick',
	otaJobPick: 'ota.jobPick',
	otaRowPick: 'ota.rowPick',
	verifyDevices: 'verify.devices',
	verifyTimeout: 'verify.timeout',
	verifyStarted: 'verify.started',
	rolloutTarget: 'rollout.target',
	rolloutGray: 'rollout.grayPercent',
	rolloutDevices: 'rollout.devices',
	rolloutGroup: 'rollout.group',
	rolloutVersions: 'rollout.srcVersions',
	rolloutStart: 'rollout.scheduleStart',
	rolloutFinish: 'rollout.scheduleFinish',
	rolloutRetry: 'rollout.retry',
	rolloutTimeout: 'rollout.timeout',
	rolloutRate: 'rollout.rate',
	rolloutOptions: 'rollout.options',
	rolloutGuard: 'rollout.haltGuard',
	rolloutSummary: 'rollout.summary',
	rolloutStarted: 'rollout.started',
	cancelStates: 'cancel.states',
	cancelConfirm: 'cancel.confirm',
	bulkDone: 'tasks.done',
	deleteConfirm: 'delete.confirm',
	registerVersion: 'diagnose.registerVersion',
	createVersionMismatch: 'create.versionMismatch',
	createDuplicate: 'create.duplicate',
	createProgress: 'create.progress',
	otaProgress: 'ota.progress',
	otaDeviceList: 'ota.deviceList',
	error: 'error',
	info: 'info',
} as const;

export type MessageSeverity = 'info' | 'warning' | 'error';

export interface MessageOptions {
	modal?: boolean;
	detail?: string;
}

/** What runs under a progress notification: `signal` aborts on its Cancel, `report` shows how far it got. */
export type ProgressWork<T> = (signal: AbortSignal, report: (message: string) => void) => Promise<T>;

export interface PickOrTypeOptions {
	title?: string;
	placeholder?: string;
	/** Initial text in the filter box. */
	value?: string;
	/** Checked on typed text only (a listed item is taken as it is); a returned string is shown and blocks acceptance. */
	validate?: (value: string) => string | undefined;
}

/**
 * Every `window.show*` call the extension makes. The flows build their questions (items, defaults,
 * validation) and only the final call goes through this interface, which the test seam replaces.
 */
export interface Prompter {
	pick<T extends vscode.QuickPickItem>(
		id: string,
		items: readonly T[] | Thenable<readonly T[]>,
		options?: vscode.QuickPickOptions,
	): Promise<T | undefined>;
	/** A quick pick whose answer can also be free text (a typed key path, a ProductKey): the chosen item itself, or the text. */
	pickOrType<T extends vscode.QuickPickItem>(
		id: string,
		items: readonly T[],
		options: PickOrTypeOptions,
	): Promise<T | string | undefined>;
	input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined>;
	openFiles(id: string, options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
	saveFile(id: string, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
	/**
	 * Resolves with the chosen action itself (undefined when dismissed): a flow passes its buttons' texts, the printable
	 * decorator passes MessageItems so that two buttons that read alike still answer apart. Non-modal messages are
	 * usually not awaited.
	 */
	message<A extends string | vscode.MessageItem>(
		id: string,
		severity: MessageSeverity,
		message: string,
		options: MessageOptions,
		...actions: A[]
	): Promise<A | undefined>;
	/** One step of a multi-step input: a pick (of one or many) with a step counter and Back (ui/steps.ts). */
	stepPick<T extends vscode.QuickPickItem>(id: string, items: readonly T[], options: StepPickOptions<T>): Promise<StepResult<T[]>>;
	/** One step of a multi-step input: an input box with a step counter and Back. */
	stepInput(id: string, options: StepInputOptions): Promise<StepResult<string>>;
	/**
	 * A cancellable progress notification while `work` runs; its Cancel aborts the signal (a sent write may still apply).
	 * `controller` is given when something else may abort the work too (an entry's Cancel Upload); by default a new one.
	 */
	progress<T>(id: string, title: string, work: ProgressWork<T>, controller?: AbortController): Promise<T>;
	/**
	 * A cancellable notification over a step already `running` that is usually quick but has taken a while (shown late,
	 * it has nothing to report): its Cancel aborts `controller`; it closes once `running` settles.
	 */
	slowStep(id: string, title: string, running: Promise<unknown>, controller: AbortController): void;
}

export class WindowPrompter implements Prompter {
	async pick<T extends vscode.QuickPickItem>(
		_id: string,
		items: readonly T[] | Thenable<readonly T[]>,
		options?: vscode.QuickPickOptions,
	): Promise<T | undefined> {
		return vscode.window.showQuickPick<T>(
			Promise.resolve(items).then((list): T[] => [...list]),
			options,
		);
	}

	pickOrType<T extends vscode.QuickPickItem>(
		_id: string,
		items: readonly T[],
		options: PickOrTypeOptions,
	): Promise<T | string | undefined> {
		return new Promise((resolve) => {
			const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem>();
			// QuickPick has no validation message in this API version: a typed value's problem shows as its item's detail.
			const typedItem = (text: string, problem: string | undefined): vscode.QuickPickItem => ({
				iconPath: problem ? new vscode.ThemeIcon('warning') : undefined,
				label: text,
				description: problem ? undefined : vscode.l10n.t('use this value'),
				detail: problem,
				alwaysShow: true,
			});
			const refresh = () => {
				const text = quickPick.value.trim();
				const exact = items.some((item) => item.label === text);
				quickPick.items = text && !exact ? [typedItem(text, options.validate?.(text)), ...items] : [...items];
			};
			quickPick.title = options.title;
			quickPick.placeholder = options.placeholder;
			quickPick.ignoreFocusOut = true;
			quickPick.matchOnDescription = true;
			quickPick.value = options.value ?? '';
			refresh();
			let settled = false;
			const finish = (value: T | string | undefined) => {
				if (!settled) {
					settled = true;
					resolve(value);
					quickPick.dispose();
				}
			};
			quickPick.onDidChangeValue(refresh);
			quickPick.onDidAccept(() => {
				const selected = quickPick.selectedItems[0];
				// The item itself, not its label: two items may read alike.
				const own = items.find((item) => item === selected);
				if (own) {
					// A listed item is taken as it is: `validate` is for typed text, and the label may be a printable copy.
					finish(own);
					return;
				}
				const typed = selected?.label ?? quickPick.value.trim();
				if (!typed || options.validate?.(typed)) {
					return;
				}
				finish(typed);
			});
			quickPick.onDidHide(() => finish(undefined));
			quickPick.show();
		});
	}

	async input(_id: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
		return vscode.window.showInputBox(options);
	}

	async openFiles(_id: string, options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
		return vscode.window.showOpenDialog(options);
	}

	async saveFile(_id: string, options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
		return vscode.window.showSaveDialog(options);
	}

	async message<A extends string | vscode.MessageItem>(
		_id: string,
		severity: MessageSeverity,
		message: string,
		options: MessageOptions,
		...actions: A[]
	): Promise<A | undefined> {
		const show =
			severity === 'error'
				? vscode.window.showErrorMessage
				: severity === 'warning'
					? vscode.window.showWarningMessage
					: vscode.window.showInformationMessage;
		// The text arrives printable and inert (printablePrompter.ts wraps this prompter). The answer is the chosen
		// button by position: two buttons may read alike.
		const items = actions.map((action): vscode.MessageItem => (typeof action === 'string' ? { title: action } : action));
		const chosen = await show(message, { modal: options.modal === true, detail: options.detail }, ...items);
		return chosen === undefined ? undefined : actions[items.indexOf(chosen)];
	}

	stepPick<T extends vscode.QuickPickItem>(_id: string, items: readonly T[], options: StepPickOptions<T>): Promise<StepResult<T[]>> {
		return showStepPick(items, options);
	}

	stepInput(_id: string, options: StepInputOptions): Promise<StepResult<string>> {
		return showStepInput(options);
	}

	progress<T>(_id: string, title: string, work: ProgressWork<T>, controller = new AbortController()): Promise<T> {
		return Promise.resolve(
			vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title, cancellable: true },
				async (progress, token) => {
					const subscription = token.onCancellationRequested(() => controller.abort('user'));
					try {
						return await work(controller.signal, (message) => progress.report({ message }));
					} finally {
						subscription.dispose();
					}
				},
			),
		);
	}

	slowStep(id: string, title: string, running: Promise<unknown>, controller: AbortController): void {
		const settled = running.then(
			() => undefined,
			() => undefined,
		);
		void this.progress(id, title, () => settled, controller);
	}
}
