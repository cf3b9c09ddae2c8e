import {
	isCleanCancel,
	packageInDoubt,
	redact,
	registeredFirmwareId,
	toOtaError,
	type OtaError,
	type PackageInDoubt,
} from '../core/errors';
import { isCredentialCode } from '../core/apiErrorCodes';
import { pendingRegistrationNotice, type PendingRegistration } from '../core/flow/register';
import { REGISTER_WINDOW_TEXT } from '../core/format';
import { shellQuote } from '../core/lifecycle/preview';
import type { Logger } from '../core/logger';
import { printable, printableLines, terminalSafeJson } from '../core/printable';
import { annotateError } from './githubActions';

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_CREDENTIALS = 3;
export const EXIT_REMOTE = 4;
/** A watched job ended with tasks that did not succeed. */
export const EXIT_JOB_FAILED = 5;
/** The rollout guard halted the watched job. */
export const EXIT_HALTED = 6;
export const EXIT_CANCELLED = 130;

export interface OutputStream {
	write(chunk: string): unknown;
	isTTY?: boolean;
	columns?: number;
}

/** Everything a command touches of the outside world, so tests and the demo can substitute it. */
export interface CliContext {
	env: NodeJS.ProcessEnv;
	stdout: OutputStream;
	stderr: OutputStream;
	/** Fires on SIGINT/SIGTERM. */
	signal: AbortSignal;
	cwd: string;
	/**
	 * Set (through SafeOutput.setExitNote) while something the platform may keep is in doubt; a second signal, which
	 * ends the process at once, prints it first (cli.ts).
	 */
	exitNote?: { text?: string };
}

export function exitCodeFor(error: OtaError): number {
	switch (error.source) {
		case 'cancelled':
			return EXIT_CANCELLED;
		case 'validation':
		case 'config':
			return EXIT_USAGE;
		case 'credentials':
			return EXIT_CREDENTIALS;
		default:
			// A wrong key pair (core's rule): scripts get the credentials exit code.
			return isCredentialCode(error.code) ? EXIT_CREDENTIALS : EXIT_REMOTE;
	}
}

/**
 * The command line that deletes a package (what `firmware delete` itself suggests without --yes), with `connection`: the
 * connection flags of the run that suggests it (connectionArgs), so it deletes where that run looked.
 */
export function deletePackageCommand(firmwareId: string, connection: readonly string[] = []): string {
	// The FirmwareId comes from the platform (or the endpoint a run was pointed at): quoted like every other word.
	return deleteLine(shellQuote(firmwareId), connection);
}

/**
 * A command line the CLI suggests running next: `iot-ota`, then `words` (shell words: a value from outside is quoted
 * with shellQuote first), then `connection`, the connection flags of the run that suggests it (connectionArgs), so the
 * follow-up reaches the same account, region, instance and endpoint. The one builder of every suggested line.
 */
export function followUpCommand(words: readonly string[], connection: readonly string[] = []): string {
	return ['iot-ota', ...words, ...connection].join(' ');
}

function deleteLine(firmwareWord: string, connection: readonly string[]): string {
	return followUpCommand(['firmware', 'delete', firmwareWord, '--yes'], connection);
}

/** The command line that lists the packages of a product and version: where a package that may be registered is looked for. */
export function packageListCommand(
	{ productKey, destVersion }: Omit<PackageInDoubt, 'firmwareName'>,
	connection: readonly string[] = [],
): string {
	return followUpCommand(
		['firmware', 'list', '--product-key', shellQuote(productKey), '--dest-version', shellQuote(destVersion)],
		connection,
	);
}

/**
 * Stands for a ProductKey the user fills in, as a shell word: quoted, since bare the shell would take `<` and `>` for
 * redirections (a line pasted before it is filled in would create a file).
 */
export const PRODUCT_KEY_PLACEHOLDER_WORD = shellQuote('<ProductKey>');

/** The command that lists what a platform refusal's hint (its API_HINTS key) says to check, by the key. */
const LISTING_BY_HINT: Readonly<Record<string, { what: string; words: readonly string[] }>> = {
	'group-not-found': { what: 'the device groups', words: ['groups'] },
	'module-not-found': { what: "the product's modules", words: ['modules', '--product-key', PRODUCT_KEY_PLACEHOLDER_WORD] },
};

/**
 * The CLI's own way out, where the core leaves it to the shell: a package a cancel left registered is deleted with
 * `firmware delete`; one that may be registered is looked for with `firmware list`; a group or module the platform does
 * not know is looked up with `groups` / `modules` (the extension's hint points at its picks instead).
 */
function withCliHint(error: OtaError, connection: readonly string[]): OtaError {
	const firmwareId = registeredFirmwareId(error);
	if (firmwareId !== undefined) {
		return error.withHint(`Delete it with: ${deletePackageCommand(firmwareId, connection)}`);
	}
	const doubt = packageInDoubt(error);
	const hinted = ['api-failed', 'module-not-in-product', 'target-refused'].includes(error.reason?.code ?? '');
	const listing = hinted ? LISTING_BY_HINT[String(error.reason?.values.hint)] : undefined;
	const look =
		(doubt && `Check the package list before registering again: ${packageListCommand(doubt, connection)}`) ||
		(listing && `List ${listing.what}: ${followUpCommand(listing.words, connection)}`);
	return look ? error.withHint(error.hint ? `${error.hint} ${look}` : look) : error;
}

/** What a second signal prints while a registration is in doubt: the core's notice, and how to check for it or delete it. */
export function pendingRegistrationText(pending: PendingRegistration, connection: readonly string[] = []): string {
	const notice = pendingRegistrationNotice(pending);
	return pending.step === 'create'
		? `${notice} Look for it with: ${packageListCommand(pending.request, connection)}; delete it (${deleteLine(shellQuote('<FirmwareId>'), connection)}) if it is not wanted.`
		: `${notice} Delete it with: ${deletePackageCommand(pending.firmwareId, connection)}`;
}

/** What had succeeded before a failing step: a finished upload's URL (and registration), or the package reused instead. */
export interface CompletedSteps {
	firmwareUrl: string;
	firmwareId?: string;
	/** The package of the same content was taken; `uploaded` says whether this run had uploaded the file before that. */
	reused?: true;
	uploaded?: boolean;
	/** The upload is not registered: the `firmware create` line that registers it (registerLine.ts). */
	registerCommand?: string;
}

/** The files a stopped package had uploaded: `files` in the JSON error, `note` (the core's wording) under the message. */
export interface UploadedBeforeStop {
	files: Array<Record<string, unknown>>;
	note: string;
	/** Every file was uploaded: the `firmware create` line that registers them as the package (registerLine.ts). */
	registerCommand?: string;
}

/**
 * The CLI's output boundary: every text is written with every known secret masked (secrets are registered as soon as
 * they are loaded) and every unsafe character neutralised (src/core/printable.ts); JSON escapes them instead, so it stays
 * one valid object with the exact values.
 */
export class SafeOutput {
	private readonly secrets: string[] = [];
	/** The run's connection flags (connectionArgs), repeated in a follow-up command a failure suggests. */
	private connection: readonly string[] = [];

	constructor(private readonly ctx: CliContext) {}

	setConnectionArgs(words: readonly string[]): void {
		this.connection = words;
	}

	/** The command line that deletes a package, with the run's connection flags (the ones set by setConnectionArgs). */
	deletePackageLine(firmwareId: string): string {
		return deletePackageCommand(firmwareId, this.connection);
	}

	/** followUpCommand with the run's connection flags; every word is quoted for the shell (ids may come from a server). */
	followUp(...words: string[]): string {
		return followUpCommand(words.map(shellQuote), this.connection);
	}

	addSecrets(...values: ReadonlyArray<string | undefined>): void {
		for (const value of values) {
			if (value) {
				this.secrets.push(value);
			}
		}
	}

	clean(text: string): string {
		return redact(text, this.secrets);
	}

	out(text: string): void {
		this.ctx.stdout.write(printableLines(this.clean(text)));
	}

	err(text: string): void {
		this.ctx.stderr.write(printableLines(this.clean(text)));
	}

	/** A registration in doubt (or none any more): what a second signal prints before it ends the process. */
	setPendingRegistration(pending: PendingRegistration | undefined): void {
		this.setExitNote(pending && pendingRegistrationText(pending, this.connection));
	}

	/** What a second signal prints before it ends the process (masked and made printable now), or nothing. */
	setExitNote(text: string | undefined): void {
		if (this.ctx.exitNote) {
			this.ctx.exitNote.text = text === undefined ? undefined : printableLines(this.clean(`${text}\n`));
		}
	}

	/** A terminal control sequence of our own renderers (the watch's redraw), never text from outside. */
	control(sequence: string): void {
		this.ctx.stdout.write(sequence);
	}

	json(value: unknown): void {
		this.ctx.stdout.write(`${this.clean(terminalSafeJson(value))}\n`);
	}

	/**
	 * Reports a failure (JSON on stdout or a human line on stderr) and returns the exit code. `completed` names what
	 * had already succeeded before the failing step (the FirmwareUrl of a finished upload, the FirmwareId of a finished
	 * registration, or of the package of the same content that was reused instead; the files a stopped package had
	 * uploaded, also when it was cancelled), so it is not lost: in JSON as extra fields of `error`.
	 */
	fail(error: unknown, json: boolean, completed?: CompletedSteps | UploadedBeforeStop): number {
		const ota = withCliHint(toOtaError(error, this.secrets), this.connection);
		const stopped = completed && 'note' in completed ? completed : undefined;
		const steps = completed && !('note' in completed) ? completed : undefined;
		if (json) {
			const body: Record<string, unknown> = { code: ota.code, message: ota.hint ? `${ota.message} ${ota.hint}` : ota.message };
			if (ota.requestId) {
				body.requestId = ota.requestId;
			}
			Object.assign(body, stopped ? { files: stopped.files, registerCommand: stopped.registerCommand } : steps);
			// A package a cancel left registered: its FirmwareId as a field too, for a script to delete it.
			body.firmwareId ??= registeredFirmwareId(ota);
			this.json({ error: body });
		}
		// A cancel that left a package registered is reported as an error below: it names the FirmwareId to delete.
		if (isCleanCancel(ota)) {
			// A stopped package's cancel names what it uploaded, which a bare "Cancelled" would lose.
			this.err(stopped && !json ? `${printable(ota.message)}\n${stopped.note}\n` : 'Cancelled\n');
			return exitCodeFor(ota);
		}
		const line = printable(ota.describe());
		annotateError(this.ctx.env, { write: (text: string) => this.err(text) }, line);
		if (!json) {
			this.err(`Error: ${line}\n`);
			if (stopped) {
				this.err(`${stopped.note}\n`);
			} else if (steps?.reused) {
				const known = `the same content is already registered as FirmwareId ${steps.firmwareId ?? '?'}`;
				this.err(
					steps.uploaded
						? `The upload itself succeeded, but ${known}; its FirmwareUrl is the one to use: ${steps.firmwareUrl}\n`
						: `Nothing was uploaded: ${known}, FirmwareUrl ${steps.firmwareUrl}\n`,
				);
			} else if (steps) {
				const id = steps.firmwareId ? ` and registered as FirmwareId ${steps.firmwareId}` : '';
				this.err(`The upload itself succeeded${id}: FirmwareUrl ${steps.firmwareUrl}\n`);
				if (steps.registerCommand) {
					// One line: a line break in a file name cannot forge a line (--json keeps the exact line).
					this.err(`Register it within ${REGISTER_WINDOW_TEXT} of the upload with:\n  ${printable(steps.registerCommand)}\n`);
				}
			}
		}
		return exitCodeFor(ota);
	}

	/** warn/error always reach stderr; debug/info only with --verbose. */
	logger(verbose: boolean): Logger {
		const line = (level: string) => (message: string) => this.err(`[${level}] ${printable(message)}\n`);
		const quiet = () => undefined;
		return {
			trace: quiet,
			debug: verbose ? line('debug') : quiet,
			info: verbose ? line('info') : quiet,
			warn: line('warn'),
			error: line('error'),
		};
	}
}
