import type { CheckProblem, ContentFormat, ContentInfo, Integrity, IntegrityCheck, SignatureInfo } from './types';

export function integrityOf(checks: IntegrityCheck[]): Integrity {
	const verdict = checks.some((c) => c.status === 'mismatch')
		? 'damaged'
		: checks.some((c) => c.status === 'verified')
			? 'verified'
			: 'not-applicable';
	return { verdict, checks };
}

export function signatureOf(kinds: string[]): SignatureInfo {
	return { present: kinds.length > 0, kinds };
}

/** The English of a check's problem: its `detail`. */
export function checkProblemText(problem: CheckProblem): string {
	switch (problem.code) {
		case 'truncated':
			return `the data ends after ${problem.endsAt.toLocaleString('en-US')} bytes; the header describes at least ${problem.needed.toLocaleString('en-US')}`;
		case 'tlv-magic':
			return `expected magic ${problem.magic}${problem.expectedBytes === undefined ? '' : ` and ${problem.expectedBytes} bytes (protect_tlv_size)`} at offset ${problem.offset}`;
		case 'tlv-overrun':
			return `a TLV runs past the end of the area at offset ${problem.offset}`;
		case 'header-size':
			return `hdr_size ${problem.headerSize} is smaller than the 32-byte header`;
	}
}

/** A failed check whose detail is `problem`'s English. */
export function problemCheck(name: string, problem: CheckProblem, stored?: string): IntegrityCheck {
	return { name, status: 'mismatch', ...(stored === undefined ? {} : { stored }), detail: checkProblemText(problem), problem };
}

/** A file that ends before the structure its header describes does. */
export function truncated(what: string, endsAt: number, needed: number): IntegrityCheck {
	return problemCheck(`${what} structure`, { code: 'truncated', endsAt, needed });
}

/** Contents with nothing to verify and no version (plain data, a nested ZIP that is not expanded). */
export function plainContent(format: ContentFormat, warnings: string[] = []): ContentInfo {
	return { format, integrity: integrityOf([]), signature: signatureOf([]), warnings };
}

/** A NUL-terminated C string field (ASCII by contract; anything unprintable is dropped rather than shown). */
export function cString(field: Buffer): string {
	const end = field.indexOf(0);
	// eslint-disable-next-line no-control-regex -- the point is to remove control characters
	return field.toString('latin1', 0, end === -1 ? field.length : end).replace(/[\x00-\x1f\x7f-\xff]/g, '');
}

export const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;
export const hex8 = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`;
