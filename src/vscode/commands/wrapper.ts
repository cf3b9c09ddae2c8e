import * as vscode from 'vscode';
import { isCredentialCode, PERMISSION_CODES } from '../../core/apiErrorCodes';
import { isCleanCancel, OtaError, toOtaError } from '../../core/errors';
import { inertMessage, printable, printableLines } from '../../core/printable';
import { Commands } from '../constants';
import { errorReport, shownText } from '../errorText';
import type { SecretMask } from '../log';
import type { OtaPlace } from '../ota/contract';
import { PromptIds, type Prompter } from '../ui/prompter';

export type CommandHandler = (...args: unknown[]) => unknown;

export interface WrapperDeps {
	log: vscode.LogOutputChannel;
	mask: SecretMask;
	prompter: Prompter;
}

/** A follow-up the error notification offers as "Retry" (e.g. re-running the same upload). */
const retries = new WeakMap<object, () => unknown>();

export function withRetry<E>(error: E, retry: () => unknown): E {
	if (typeof error === 'object' && error !== null) {
		retries.set(error, retry);
	}
	return error;
}

/** Where the failed command reached the platform, for a follow-up that must act in the same place (Delete Package). */
const places = new WeakMap<object, OtaPlace>();

export function withPlace<E>(error: E, place: OtaPlace): E {
	if (typeof error === 'object' && error !== null) {
		places.set(error, place);
	}
	return error;
}

/**
 * Failures that new or corrected credentials can fix: offer "Configure Credentials" next to them. A wrong key pair is
 * core's rule (the CLI's credentials exit code); a missing permission too, as another key may have it.
 */
function isCredentialProblem(error: OtaError): boolean {
	return error.source === 'credentials' || isCredentialCode(error.code) || PERMISSION_CODES.test(error.code);
}

/**
 * Runs a command handler with the extension's error policy: start/end in the log, a cancellation is
 * silent, any other failure becomes ONE notification with the redacted message and "Show Log"
 * (plus "Retry" / "Configure Credentials" where they help). The handler's result is returned so
 * `executeCommand` callers (tests, other commands) can use it; on failure it resolves to undefined.
 */
export function wrapCommand(id: string, handler: CommandHandler, deps: WrapperDeps): (...args: unknown[]) => Promise<unknown> {
	return (...args: unknown[]) => runWithPolicy(id, () => handler(...args), deps);
}

/** One run of a command, or of its Retry: both get the same logging and error handling. */
async function runWithPolicy(id: string, run: () => unknown, deps: WrapperDeps): Promise<unknown> {
	const started = Date.now();
	deps.log.debug(`[${id}] start`);
	try {
		const result = await run();
		deps.log.debug(`[${id}] done in ${Date.now() - started} ms`);
		return result;
	} catch (error) {
		const otaError = toOtaError(error, deps.mask.list());
		if (isCleanCancel(otaError)) {
			// Silent, but the log keeps what the cancel says (a stopped package names the files it left uploaded).
			deps.log.info(`[${id}] cancelled: ${printable(deps.mask.apply(otaError.message))}`);
			return undefined;
		}
		reportError(id, error, otaError, deps);
		return undefined;
	}
}

/**
 * What the window shows of a failed command (its notification, the upload status bar's tooltip, a warning that names
 * why): the error worded in the window's language by its reason (errorText.ts), the extension's own way out after the
 * core's hint, and every secret masked after the wording (a reason's values are the core's, not the mask's).
 */
export function shownError(error: OtaError, mask: Pick<SecretMask, 'apply'>): string {
	return shownText(error, vscode.l10n, mask);
}

function reportError(id: string, original: unknown, reported: OtaError, deps: WrapperDeps): void {
	// Server text reaches the log as one line in English (as the CLI prints it, whatever the window's language), and the
	// notification (in the window's language, by the error's reason) without anything it would render as a link.
	const { shown, logged, firmwareId } = errorReport(reported, vscode.l10n);
	deps.log.error(`[${id}] ${reported.source} error: ${printable(deps.mask.apply(logged))}`);
	const stack = original instanceof Error && !(original instanceof OtaError) ? original.stack : undefined;
	if (stack) {
		deps.log.debug(printableLines(deps.mask.apply(stack)));
	}
	const showLog = vscode.l10n.t('Show Log');
	const retry = vscode.l10n.t('Retry');
	const configure = vscode.l10n.t('Configure Credentials');
	const remove = vscode.l10n.t('Delete Package');
	const retryAction = typeof original === 'object' && original !== null ? retries.get(original) : undefined;
	const place = typeof original === 'object' && original !== null ? places.get(original) : undefined;
	const actions = [
		...(retryAction ? [retry] : []),
		...(isCredentialProblem(reported) ? [configure] : []),
		...(firmwareId === undefined ? [] : [remove]),
		showLog,
	];
	void deps.prompter.message(PromptIds.error, 'error', inertMessage(deps.mask.apply(shown)), {}, ...actions).then(async (choice) => {
		if (choice === showLog) {
			deps.log.show(true);
		} else if (choice === retry && retryAction) {
			await runWithPolicy(id, retryAction, deps);
		} else if (choice === configure) {
			await vscode.commands.executeCommand(Commands.configureCredentials); // itself a wrapped command
		} else if (choice === remove && firmwareId !== undefined) {
			// Itself a wrapped command, with its own confirmation naming the package and its jobs; it deletes where the
			// package was registered (the command's profile and folder settings), not with the active profile.
			await vscode.commands.executeCommand(Commands.deletePackage, place ? { firmwareId, place } : { firmwareId });
		}
	});
}

/** Registers every handler of the table through the wrapper. */
export function registerCommandTable(table: Record<string, CommandHandler>, deps: WrapperDeps): vscode.Disposable[] {
	return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, wrapCommand(id, handler, deps)));
}
