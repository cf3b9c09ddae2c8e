// What an image says about itself, worded in the window's language by the core's codes: its format, where its version
// came from, why it is damaged and why its contents do not fit its suffix. The core's English (FORMAT_TEXT,
// describeVersionSource, damageSummary, FILE_MESSAGES) stays the CLI's; test/unit/vscode-views/imageText.test.ts checks
// that the English here is word for word the core's.
import type { l10n } from 'vscode';
import { formatCount } from '../../core/format';
import { damagedChecks, versionSourceOf } from '../../core/image';
import type {
	CheckLabel,
	CheckProblem,
	ContentFormat,
	ContentInfo,
	FirmwareIdentity,
	IntegrityCheck,
	SuffixProblem,
	VersionSource,
	VersionSourceParts,
} from '../../core/image';
import { CONTAINER_MAGIC, type Container } from '../../core/limits';
import type { FirmwareSuffix } from '../../core/types';
import type { Translator } from '../upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export function formatText(format: ContentFormat, l10n: Translator): string {
	switch (format) {
		case 'esp-idf':
			return l10n.t('ESP-IDF application image');
		case 'mcuboot':
			return l10n.t('MCUboot image');
		case 'zip':
			return l10n.t('ZIP archive');
		case 'tar':
			return l10n.t('tar archive');
		case 'gzip':
			return l10n.t('gzip stream');
		case 'unknown':
			return l10n.t('unrecognised contents');
	}
}

function sourceKindText(source: VersionSource, l10n: Translator): string {
	switch (source) {
		case 'esp-app-desc':
			return l10n.t('ESP-IDF app description');
		case 'mcuboot-header':
			return l10n.t('MCUboot header');
		case 'nrf-manifest':
			return l10n.t('nRF DFU manifest');
		case 'manifest':
			return 'manifest.json';
		case 'version-file':
			return l10n.t('VERSION file');
		case 'nested-image':
			return l10n.t('the image inside');
		case 'marker':
			return l10n.t('version marker');
	}
}

/** "ESP-IDF app description", "fw/app.bin, ESP-IDF app description", "./VERSION" (the core's describeVersionSource). */
export function sourcePartsText({ entry, source }: VersionSourceParts, l10n: Translator): string {
	const kind = source && sourceKindText(source, l10n);
	return entry && kind ? l10n.t('{0}, {1}', entry, kind) : (entry ?? kind ?? l10n.t('unknown'));
}

export function versionSourceText(identity: Pick<ContentInfo, 'versionSource' | 'archive' | 'inner'>, l10n: Translator): string {
	return sourcePartsText(versionSourceOf(identity), l10n);
}

function problemText(problem: CheckProblem, l10n: Translator): string {
	switch (problem.code) {
		case 'truncated':
			return l10n.t(
				'the data ends after {0} bytes; the header describes at least {1}',
				formatCount(problem.endsAt),
				formatCount(problem.needed),
			);
		case 'tlv-magic':
			return problem.expectedBytes === undefined
				? l10n.t('expected magic {0} at offset {1}', problem.magic, problem.offset)
				: l10n.t(
						'expected magic {0} and {1} bytes (protect_tlv_size) at offset {2}',
						problem.magic,
						problem.expectedBytes,
						problem.offset,
					);
		case 'tlv-overrun':
			return l10n.t('a TLV runs past the end of the area at offset {0}', problem.offset);
		case 'header-size':
			return l10n.t('hdr_size {0} is smaller than the 32-byte header', problem.headerSize);
	}
}

function ownCheckName({ kind, algorithm, count }: CheckLabel, l10n: Translator): string {
	switch (kind) {
		case 'esp-checksum':
			return l10n.t('ESP image checksum');
		case 'esp-sha256':
			return l10n.t('ESP image SHA-256');
		case 'esp-structure':
			return l10n.t('ESP image structure');
		case 'mcuboot-header':
			return l10n.t('MCUboot header');
		case 'mcuboot-structure':
			return l10n.t('MCUboot image structure');
		case 'mcuboot-tlv-structure':
			return l10n.t('MCUboot TLV structure');
		case 'mcuboot-tlv-area':
			return l10n.t('MCUboot TLV area');
		case 'mcuboot-digest':
			return l10n.t('MCUboot {0} TLV', algorithm ?? '');
		case 'zip-structure':
			return l10n.t('ZIP structure');
		case 'zip-crc':
			return count === undefined
				? l10n.t('ZIP CRC-32')
				: count === 1
					? l10n.t('ZIP CRC-32 of {0} entry', count)
					: l10n.t('ZIP CRC-32 of {0} entries', count);
		case 'gzip-crc':
			return l10n.t('gzip CRC-32 and length');
		case 'gzip-stream':
			return l10n.t('gzip stream');
		case 'tar-structure':
			return l10n.t('tar structure');
		case 'archive-contents':
			return l10n.t('archive contents');
		case 'archive-entries':
			return l10n.t('archive entries');
	}
}

/** A check's name (the core's checkNameText), each archive entry it is about before it: "app.bin: MCUboot SHA-256 TLV". */
export function checkNameText(check: Pick<IntegrityCheck, 'label'>, l10n: Translator): string {
	return (check.label.within ?? []).reduceRight((name, entry) => l10n.t('{0}: {1}', entry, name), ownCheckName(check.label, l10n));
}

/** A failed check: its name, then what went wrong; a decoder's own message stays as it came. */
function failedCheckText(check: IntegrityCheck, l10n: Translator): string {
	const name = checkNameText(check, l10n);
	if (check.problem) {
		return l10n.t('{0}: {1}', name, problemText(check.problem, l10n));
	}
	return check.detail
		? l10n.t('{0}: {1}', name, check.detail)
		: l10n.t('{0}: stored {1}, computed {2}', name, check.stored ?? '?', check.computed ?? '?');
}

/** The core's damageSummary of these failed checks in the window's language (a damaged image's refusal says the same). */
export function damagedChecksText(failed: readonly IntegrityCheck[], l10n: Translator): string {
	return l10n.t(
		'The image is damaged ({0}); rebuild it or copy it again.',
		failed.map((check) => failedCheckText(check, l10n)).join(l10n.t('; ')),
	);
}

/** The core's damageSummary in the window's language, or undefined when the image is not damaged. */
export function damageText(identity: Pick<FirmwareIdentity, 'integrity'>, l10n: Translator): string | undefined {
	const failed = damagedChecks(identity);
	return failed && damagedChecksText(failed, l10n);
}

function containerText(container: Container, l10n: Translator): string {
	switch (container) {
		case 'zip':
			return l10n.t('a ZIP archive ({0})', CONTAINER_MAGIC.zip);
		case 'gzip':
			return l10n.t('gzip data ({0})', CONTAINER_MAGIC.gzip);
		case 'tar':
			return l10n.t('a tar archive ({0} at offset {1})', CONTAINER_MAGIC.tar, CONTAINER_MAGIC.tarOffset);
	}
}

/** Why the contents do not fit the suffix (the core's FILE_MESSAGES.contentsMismatch / archiveAsImage). */
export function suffixProblemText(name: string, suffix: FirmwareSuffix, problem: SuffixProblem, l10n: Translator): string {
	if (problem.code === 'archive-as-image') {
		return l10n.t(
			'"{0}" is named .{1} but its contents are {2}, not a raw image; check that this is the right file.',
			name,
			suffix,
			containerText(problem.found, l10n),
		);
	}
	const expected = containerText(problem.expected, l10n);
	return l10n.t(
		'"{0}" is named .{1} but its contents do not look like {2}; check that this is the right file.',
		name,
		suffix,
		problem.inGzip ? l10n.t('{0} inside gzip', expected) : expected,
	);
}
