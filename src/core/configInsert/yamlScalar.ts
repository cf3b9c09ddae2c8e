/**
 * Strings the YAML writer emits must read back the same in YAML 1.2 readers (the yaml package, js-yaml) and in
 * YAML 1.1 readers (PyYAML, used by Zephyr's west and ESP-IDF tooling), which differ in two ways that matter here:
 *  - 1.1 treats NEL (U+0085), LS (U+2028) and PS (U+2029) as line breaks and refuses most other raw control
 *    characters, so those are always written as escapes inside double quotes (the yaml package writes them raw);
 *  - 1.1 resolves more plain scalars to other types (yes/no/on/off, 0b1, 017, 1_000, 1:20, 2001-12-14, =, <<),
 *    so a new string that would read as one of them is double-quoted;
 *  - inside a flow collection, PyYAML ends a plain scalar at "?" (every signed URL has one), so it is quoted there.
 */
import type { Scalar, ScalarTag, Tags } from 'yaml';
import { yaml } from '../vendor';

// Tabs too: PyYAML ends a plain scalar at a tab and then refuses the rest.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

const NAMED: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

function hex(code: number, digits: number): string {
	return code.toString(16).toUpperCase().padStart(digits, '0');
}

/** A double-quoted scalar using only escapes both YAML versions define (\x, \u); everything printable stays as is. */
export function yamlDoubleQuoted(value: string): string {
	let out = '';
	for (const ch of value) {
		const code = ch.codePointAt(0) as number;
		if (NAMED[ch]) {
			out += NAMED[ch];
		} else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
			out += `\\x${hex(code, 2)}`;
		} else if (NEEDS_ESCAPE.test(ch)) {
			out += `\\u${hex(code, 4)}`;
		} else {
			out += ch;
		}
	}
	return `"${out}"`;
}

export function needsEscapes(value: string): boolean {
	return NEEDS_ESCAPE.test(value);
}

/** True when a YAML 1.1 reader would not read `plain`, written as a plain scalar, as that same string. */
export function retypedByYaml11(plain: string): boolean {
	if (plain === '=' || plain === '<<') {
		// The 1.1 "value" and "merge" types: PyYAML refuses to load either as a plain value.
		return true;
	}
	const doc = yaml().parseDocument(plain, { version: '1.1' });
	return doc.errors.length > 0 || !yaml().isScalar(doc.contents) || doc.contents.value !== plain;
}

/** PyYAML ends a plain scalar inside { } or [ ] at , ? [ ] { } (and older versions at :), so such text is quoted there. */
export function plainInFlowForYaml11(plain: string): boolean {
	return !/[,?[\]{}:#]/.test(plain);
}

/**
 * The schema's string tag with a stringifier that escapes what 1.1 misreads in every string, and double-quotes
 * the strings `isNew` accepts when they would otherwise be written plain and retyped by 1.1. Existing strings are
 * left as the yaml package writes them, so a re-rendered file does not change how 1.1 reads the user's values.
 */
export function safeStringTags(isNew: (node: Scalar) => boolean): (tags: Tags) => Tags {
	return (tags) =>
		tags.map((tag) => {
			if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:str' || !('stringify' in tag) || !tag.stringify) {
				return tag;
			}
			const original = tag.stringify;
			const safe: ScalarTag = {
				...tag,
				stringify(item, ctx, onComment, onChompKeep) {
					const value = String(item.value);
					if (NEEDS_ESCAPE.test(value)) {
						return yamlDoubleQuoted(value);
					}
					const out = original(item, ctx, onComment, onChompKeep);
					const plain = out === value;
					return plain && ((ctx.inFlow === true && !plainInFlowForYaml11(value)) || (isNew(item) && retypedByYaml11(value)))
						? yamlDoubleQuoted(value)
						: out;
				},
			};
			return safe;
		});
}
