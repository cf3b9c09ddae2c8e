import { at, configError, valueRefused } from './configError';
import { appendLineEdit, detectEol, hasControlCharacter, splitLines } from './text';
import type { InsertPlan, TextEdit } from './types';

const SETTING = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const NOT_SET = /^#\s*(CONFIG_[A-Za-z0-9_]+) is not set\s*$/;

/** Kconfig string: always double-quoted, with \ and " escaped. */
export function kconfigString(value: string): string {
	return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

function readValue(raw: string): string {
	const quoted = /^"((?:[^"\\]|\\.)*)"\s*$/.exec(raw);
	return quoted ? (quoted[1] as string).replace(/\\(.)/g, '$1') : raw.trim();
}

export function planSdkconfigInsert(text: string, keyPath: string, value: string): InsertPlan {
	const key = keyPath.startsWith('CONFIG_') ? keyPath : `CONFIG_${keyPath}`;
	if (!/^CONFIG_[A-Za-z0-9_]+$/.test(key)) {
		throw configError(
			'InvalidKeyPath',
			`"${keyPath}" is not a Kconfig symbol; use a name like CONFIG_OTA_URL (letters, digits, _).`,
			undefined,
			{
				code: 'key-name-invalid',
				values: { rule: 'kconfig', key: keyPath },
			},
		);
	}
	if (hasControlCharacter(value)) {
		throw valueRefused('Kconfig string values cannot contain line breaks or other control characters.', 'kconfig-control');
	}
	const line = `${key}=${kconfigString(value)}`;
	const edits: TextEdit[] = [];
	let previousValue: string | undefined;
	let allSame = true;
	for (const l of splitLines(text)) {
		const trimmed = l.text.trim();
		const setting = SETTING.exec(trimmed);
		const notSet = NOT_SET.exec(trimmed);
		if (setting) {
			if (setting[1] === key) {
				previousValue = readValue(setting[2] as string);
				allSame &&= previousValue === value && (setting[2] as string).trimEnd() === kconfigString(value);
				edits.push({ offset: l.start, length: l.end - l.start, newText: line });
			}
		} else if (notSet) {
			if (notSet[1] === key) {
				allSame = false;
				edits.push({ offset: l.start, length: l.end - l.start, newText: line });
			}
		} else if (trimmed.length > 0 && !trimmed.startsWith('#')) {
			throw configError(
				'ConfigSyntaxError',
				`Malformed Kconfig file at ${at(l.index + 1)}: expected CONFIG_NAME=value or a # comment`,
				'Fix or comment out that line and try again.',
				{ code: 'config-line-malformed', values: { format: 'kconfig', line: l.index + 1 } },
			);
		}
	}
	if (edits.length > 0) {
		return { edits: allSame ? [] : edits, previousValue };
	}
	return { edits: [appendLineEdit(text, line, detectEol(text))] };
}
