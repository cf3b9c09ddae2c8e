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

/**
 * "<base name without suffix>-<version>" within FirmwareName's charset and length (docs/protocols.md §13.1); the
 * version is kept whole when it fits because it is what tells packages apart.
 */
export function defaultFirmwareName(filePath: string, destVersion: string): string {
	const base = path.basename(filePath.replace(/\\/g, '/'));
	const suffix = inferSuffix(base);
	const stem = suffix ? base.slice(0, base.length - suffix.length - 1) : base;
	const version = fit(clean(destVersion), FIRMWARE_NAME_MAX - 2);
	const room = Math.max(1, FIRMWARE_NAME_MAX - 1 - platformLength(version));
	const head = fit(clean(stem).replace(NOT_NAME_FIRST, '') || 'firmware', room).replace(/[-_]+$/, '') || 'fw';
	const name = version ? `${head}-${version}` : head;
	return isFirmwareName(name) ? name : fit(`fw${name}`, FIRMWARE_NAME_MAX);
}
