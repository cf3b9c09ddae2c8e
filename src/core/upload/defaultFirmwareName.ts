import path from 'node:path';
import { FIRMWARE_NAME_CHARS, FIRMWARE_NAME_FIRST_CHARS, FIRMWARE_NAME_MAX, platformLength } from '../otaFacts';
import { inferSuffix } from '../limits';
import { isFirmwareName } from './createFirmwareRules';

const NAME_CHAR = new RegExp(`[${FIRMWARE_NAME_CHARS}]`, 'u');
const NOT_NAME_FIRST = new RegExp(`^[^${FIRMWARE_NAME_FIRST_CHARS}]+`, 'u');

/** The longest prefix (of whole characters) whose platformLength is at most `max`. */
function fit(text: string, max: number): string {
	let out = '';
	for (const ch of text) {
		if (platformLength(out + ch) > max) {
			break;
		}
		out += ch;
	}
	return out;
}

/** Characters outside FirmwareName's charset become "_" (runs of them one "_"). */
function clean(text: string): string {
	return Array.from(text, (ch) => (NAME_CHAR.test(ch) ? ch : '_'))
		.join('')
		.replace(/_+/g, '_');
}

/** Hex digits of the content digest in a default name: 32 bits, so two of an account's ≤ 500 packages collide with odds of about 1 in 30,000. */
export const NAME_TAG_DIGITS = 8;

/**
 * "<base name without suffix>-<version>-<content tag>" within FirmwareName's charset and length (docs/protocols.md
 * §13.1). FirmwareName is unique per account, so the tag (the first hex digits of the file's SHA-256, or of another
 * digest when that is all there is) keeps different contents from ever proposing the same name; it and then the
 * version are kept whole, the stem gets what is left.
 */
export function defaultFirmwareName(filePath: string, destVersion: string, contentDigest?: string): string {
	const base = path.basename(filePath.replace(/\\/g, '/'));
	const suffix = inferSuffix(base);
	const stem = suffix ? base.slice(0, base.length - suffix.length - 1) : base;
	const tag = /^[0-9a-f]+$/i.test(contentDigest ?? '') ? `-${contentDigest!.slice(0, NAME_TAG_DIGITS).toLowerCase()}` : '';
	const version = fit(clean(destVersion), FIRMWARE_NAME_MAX - 2 - tag.length);
	const room = Math.max(1, FIRMWARE_NAME_MAX - 1 - platformLength(version) - tag.length);
	const head = fit(clean(stem).replace(NOT_NAME_FIRST, '') || 'firmware', room).replace(/[-_]+$/, '') || 'fw';
	const name = `${version ? `${head}-${version}` : head}${tag}`;
	return isFirmwareName(name) ? name : fit(`fw${name}`, FIRMWARE_NAME_MAX);
}
