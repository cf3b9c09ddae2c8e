// Which parser a byte stream needs (from its first bytes), and whether that fits the file's name.
import path from 'node:path';
import { CONTAINER_TEXT, detectContainer, EXPECTED_CONTAINER, FILE_MESSAGES, inferSuffix } from '../limits';
import type { FirmwareSuffix } from '../types';
import { looksLikeEspImage } from './espIdf';
import { looksLikeMcubootImage } from './mcuboot';
import type { ContentFormat, ContentInfo, SuffixCheck, SuffixProblem } from './types';

/** Enough for every magic this module knows (tar's "ustar" sits at offset 257). */
export const SNIFF_BYTES = 512;

export function detectFormat(head: Buffer): ContentFormat {
	const container = detectContainer(head);
	if (container) {
		return container;
	}
	if (looksLikeEspImage(head)) {
		return 'esp-idf';
	}
	return looksLikeMcubootImage(head) ? 'mcuboot' : 'unknown';
}

/** Suffixes that name a raw image, so an archive under that name is the wrong file. */
const RAW_IMAGE_SUFFIXES: readonly FirmwareSuffix[] = ['bin'];

/** Compares the contents with the OTA suffix of the name: .zip/.apk a ZIP, .gz/.gzip/.tar.gz gzip (with a tar inside for .tar.gz), .tar a tar, .bin no archive. */
export function checkSuffix(filePath: string, content: ContentInfo): SuffixCheck {
	return checkContentsAs(path.basename(filePath), inferSuffix(filePath), content);
}

/** The same comparison for the suffix the file is uploaded as, which may be another than its name's (a chosen one). */
export function checkContentsAs(name: string, suffix: FirmwareSuffix | undefined, content: ContentInfo): SuffixCheck {
	if (!suffix) {
		return { status: 'none', message: FILE_MESSAGES.noAllowedSuffix(name) };
	}
	const expected = EXPECTED_CONTAINER[suffix];
	const found = content.format === 'zip' || content.format === 'gzip' || content.format === 'tar' ? content.format : undefined;
	if (expected && expected !== found) {
		return mismatch(name, suffix, { code: 'contents-mismatch', expected });
	}
	if (suffix === 'tar.gz' && content.inner && content.inner.format !== 'tar') {
		return mismatch(name, suffix, { code: 'contents-mismatch', expected: 'tar', inGzip: true });
	}
	if (RAW_IMAGE_SUFFIXES.includes(suffix) && found) {
		return mismatch(name, suffix, { code: 'archive-as-image', found });
	}
	return { suffix, status: 'match' };
}

function mismatch(name: string, suffix: FirmwareSuffix, problem: SuffixProblem): SuffixCheck {
	const message =
		problem.code === 'archive-as-image'
			? FILE_MESSAGES.archiveAsImage(name, suffix, CONTAINER_TEXT[problem.found])
			: FILE_MESSAGES.contentsMismatch(name, suffix, `${CONTAINER_TEXT[problem.expected]}${problem.inGzip ? ' inside gzip' : ''}`);
	return { suffix, status: 'mismatch', message, problem };
}
