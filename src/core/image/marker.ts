// The configurable version marker for formats no parser knows: a regular expression searched in the first and the
// last MB of the contents (bytes read as Latin-1, so any byte matches as itself). Off unless the user gives one.
import vm from 'node:vm';
import { OtaError } from '../errors';
import { formatSpan } from '../format';
import type { ByteReader } from './byteReader';

const WINDOW_BYTES = 1024 * 1024;
/** A version is one printable token; anything else a pattern captures is not taken for one. */
const VERSION_TOKEN = /^[\x21-\x7e]{1,64}$/;
/**
 * How long the search of one window (a MB) may take. A pattern that runs in linear time searches a MB in about a
 * millisecond, so 200 ms leaves a slow but sound pattern room on a loaded machine; a catastrophic one (`(a+)+$`) is
 * stopped there instead of holding the process that runs it (the extension host, the CLI) for minutes: at most two
 * windows, 0.4 s, per file.
 */
const MARKER_TIME_LIMIT_MS = 200;
const TOO_SLOW = 'VersionMarkerTooSlow';

/** The reasons (MessageReason codes) of a marker the upload refuses: it does not compile, or its search was stopped. */
export const MARKER_REASONS = ['marker-invalid', 'marker-too-slow'] as const;

/** A marker pattern and its regular expression. */
export interface VersionMarker {
	pattern: string;
	regex: RegExp;
}

/**
 * Compiles a user's marker pattern. The version is its `version` group, else its first group, else the whole match,
 * e.g. `FW_VERSION=([0-9.]+)`.
 */
export function compileVersionMarker(pattern: string): RegExp {
	try {
		return new RegExp(pattern);
	} catch (error) {
		throw new OtaError({
			code: 'InvalidVersionMarker',
			source: 'validation',
			message: `The version marker is not a valid regular expression: ${(error as Error).message}.`,
			reason: { code: 'marker-invalid', values: { detail: (error as Error).message } },
			hint: 'Give a JavaScript regular expression whose first group captures the version, e.g. FW_VERSION=([0-9.]+).',
		});
	}
}

/**
 * The pattern and its regex when it compiles, else undefined: for the readers that go on without a bad marker (the
 * extension's Firmware Files view, the Local Sandbox's devices); the upload refuses it with compileVersionMarker's message.
 */
export function usableVersionMarker(pattern: string | undefined): VersionMarker | undefined {
	try {
		return pattern === undefined ? undefined : { pattern, regex: compileVersionMarker(pattern) };
	} catch {
		return undefined;
	}
}

/** A match stopped at MARKER_TIME_LIMIT_MS (findMarkedVersion); the upload refuses the marker, `inspect` reports it. */
export function isVersionMarkerTooSlow(error: unknown): error is OtaError {
	return error instanceof OtaError && error.code === TOO_SLOW;
}

/**
 * The marker of the readers that go on without one they cannot use, where the upload refuses it (the Firmware Files
 * view, the Local Sandbox's devices): a pattern that does not compile is not used, and one whose match was stopped at
 * the time limit is reported once and not used again (every file would stall the process anew) while it stays the
 * pattern given; once another is given, it is tried (and reported) anew.
 */
export class LenientVersionMarker {
	private tooSlow?: string;

	constructor(private readonly report: (error: OtaError) => void) {}

	/** Runs `read` with the marker of `pattern` if usable; when its match proves too slow, runs it again without one. */
	async read<T>(pattern: string | undefined, read: (marker: VersionMarker | undefined) => Promise<T>): Promise<T> {
		if (pattern !== this.tooSlow) {
			this.tooSlow = undefined;
		}
		const marker = this.tooSlow === undefined ? usableVersionMarker(pattern) : undefined;
		try {
			return await read(marker);
		} catch (error) {
			if (!marker || !isVersionMarkerTooSlow(error)) {
				throw error;
			}
			// Reads run concurrently: the first to find the pattern too slow reports it.
			if (this.tooSlow !== marker.pattern) {
				this.tooSlow = marker.pattern;
				this.report(error);
			}
			return read(undefined);
		}
	}
}

/**
 * One context serves every match: vm is what can stop a running regular expression (its `timeout`), and a context
 * costs far more to make than a call (~0.5 ms against ~0.2 ms). The script only calls `exec`; the file is data.
 */
let matcher: { context: vm.Context; script: vm.Script } | undefined;

function execWithin(regex: RegExp, text: string, file: string): RegExpExecArray | null {
	matcher ??= { context: vm.createContext(Object.create(null)), script: new vm.Script('regex.exec(text)') };
	const { context, script } = matcher;
	Object.assign(context, { regex, text });
	try {
		return script.runInContext(context, { timeout: MARKER_TIME_LIMIT_MS }) as RegExpExecArray | null;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
			throw error;
		}
		throw new OtaError({
			code: TOO_SLOW,
			source: 'validation',
			message: `The version marker took longer than ${formatSpan(MARKER_TIME_LIMIT_MS)} to search a MB of ${file} and was stopped.`,
			reason: { code: 'marker-too-slow', values: { limitMs: MARKER_TIME_LIMIT_MS, file } },
			hint: 'Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.',
		});
	} finally {
		Object.assign(context, { regex: undefined, text: undefined }); // the window is not kept alive
	}
}

function versionIn(bytes: Buffer, marker: RegExp, file: string): string | undefined {
	const match = execWithin(marker, bytes.toString('latin1'), file);
	const version = (match?.groups?.version ?? match?.[1] ?? match?.[0])?.trim();
	return version && VERSION_TOKEN.test(version) ? version : undefined;
}

/**
 * Consumes the reader; keeps at most the first MB and about one MB of tail in memory. Throws
 * OtaError(VersionMarkerTooSlow) when a window's search takes longer than MARKER_TIME_LIMIT_MS; `file` is named in it.
 */
export async function findMarkedVersion(reader: ByteReader, marker: RegExp, file: string): Promise<string | undefined> {
	const once = new RegExp(marker.source, marker.flags.replace(/[gy]/g, '')); // exec from the start of each window
	const head = await reader.read(WINDOW_BYTES);
	const inHead = versionIn(head, once, file);
	if (inHead) {
		await reader.drain();
		return inHead;
	}
	const tail: Buffer[] = [head];
	let tailBytes = head.length;
	await reader.drain((chunk) => {
		tail.push(chunk);
		tailBytes += chunk.length;
		while (tailBytes - tail[0].length >= WINDOW_BYTES) {
			tailBytes -= tail.shift()!.length;
		}
	});
	const window = Buffer.concat(tail);
	return versionIn(window.subarray(Math.max(0, window.length - WINDOW_BYTES)), once, file);
}
