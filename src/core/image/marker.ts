// The configurable version marker for formats no parser knows: a regular expression searched in the first and the
// last MB of the contents (bytes read as Latin-1, so any byte matches as itself). Off unless the user gives one.
import { OtaError } from '../errors';
import type { ByteReader } from './byteReader';

const WINDOW_BYTES = 1024 * 1024;
/** A version is one printable token; anything else a pattern captures is not taken for one. */
const VERSION_TOKEN = /^[\x21-\x7e]{1,64}$/;

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
			hint: 'Give a JavaScript regular expression whose first group captures the version, e.g. FW_VERSION=([0-9.]+).',
		});
	}
}

/**
 * The pattern and its regex when it compiles, else undefined: for the readers that go on without a bad marker (the
 * extension's Firmware Files view, the Local Sandbox's devices); the upload refuses it with compileVersionMarker's message.
 */
export function usableVersionMarker(pattern: string | undefined): { pattern: string; regex: RegExp } | undefined {
	try {
		return pattern === undefined ? undefined : { pattern, regex: compileVersionMarker(pattern) };
	} catch {
		return undefined;
	}
}

function versionIn(bytes: Buffer, marker: RegExp): string | undefined {
	const match = new RegExp(marker.source, marker.flags.replace(/[gy]/g, '')).exec(bytes.toString('latin1'));
	const version = (match?.groups?.version ?? match?.[1] ?? match?.[0])?.trim();
	return version && VERSION_TOKEN.test(version) ? version : undefined;
}

/** Consumes the reader; keeps at most the first MB and about one MB of tail in memory. */
export async function findMarkedVersion(reader: ByteReader, marker: RegExp): Promise<string | undefined> {
	const head = await reader.read(WINDOW_BYTES);
	const inHead = versionIn(head, marker);
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
	return versionIn(window.subarray(Math.max(0, window.length - WINDOW_BYTES)), marker);
}
