import type { CheckKind, CheckLabel, CheckProblem, ContentFormat, ContentInfo, Integrity, IntegrityCheck, SignatureInfo } from './types';

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

const CHECK_NAMES: Record<Exclude<CheckKind, 'mcuboot-digest' | 'zip-crc'>, string> = {
	'esp-checksum': 'ESP image checksum',
	'esp-sha256': 'ESP image SHA-256',
	'esp-structure': 'ESP image structure',
	'mcuboot-header': 'MCUboot header',
	'mcuboot-structure': 'MCUboot image structure',
	'mcuboot-tlv-structure': 'MCUboot TLV structure',
	'mcuboot-tlv-area': 'MCUboot TLV area',
	'zip-structure': 'ZIP structure',
	'gzip-crc': 'gzip CRC-32 and length',
	'gzip-stream': 'gzip stream',
	'tar-structure': 'tar structure',
	'archive-contents': 'archive contents',
	'archive-entries': 'archive entries',
};

/** The English of a check's label: its `name`, each archive entry it is about before it ("app.bin: MCUboot SHA-256 TLV"). */
export function checkNameText(label: CheckLabel): string {
	const { kind, count, algorithm } = label;
	const own =
		kind === 'mcuboot-digest'
			? `MCUboot ${algorithm ?? ''} TLV`
			: kind === 'zip-crc'
				? count === undefined
					? 'ZIP CRC-32'
					: `ZIP CRC-32 of ${count} ${count === 1 ? 'entry' : 'entries'}`
				: CHECK_NAMES[kind];
	return [...(label.within ?? []), own].join(': ');
}

/** The `name` and `label` of a check labelled `label`. */
export function named(label: CheckLabel): Pick<IntegrityCheck, 'name' | 'label'> {
	return { name: checkNameText(label), label };
}

/** `check` as found inside the archive entry `entry`. */
export function withinEntry(entry: string, check: IntegrityCheck): IntegrityCheck {
	return { ...check, ...named({ ...check.label, within: [entry, ...(check.label.within ?? [])] }) };
}

/** A failed check whose detail is `problem`'s English. */
export function problemCheck(kind: CheckKind, problem: CheckProblem, stored?: string): IntegrityCheck {
	return {
		...named({ kind }),
		status: 'mismatch',
		...(stored === undefined ? {} : { stored }),
		detail: checkProblemText(problem),
		problem,
	};
}

/** A file that ends before the structure its header describes does. */
export function truncated(
	kind: 'esp-structure' | 'mcuboot-structure' | 'mcuboot-tlv-structure',
	endsAt: number,
	needed: number,
): IntegrityCheck {
	return problemCheck(kind, { code: 'truncated', endsAt, needed });
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
