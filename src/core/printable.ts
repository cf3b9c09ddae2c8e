// The one sanitiser for text from outside (server answers, error messages, names, file contents) on its way to a
// terminal, a log line or a notification. An escape sequence in a message could otherwise move the cursor, recolour
// or rewrite the screen, set the window title (OSC), ring the bell, or hide text; a line break could forge a log line.

/**
 * What a terminal or a viewer may act on instead of showing: C0 and C1 controls (ESC, CSI, OSC, CR, BEL, NEL…), DEL,
 * the Unicode line and paragraph separators, and format characters (bidi embeddings, overrides, isolates and marks,
 * zero-width space, word joiner, BOM, the tag characters that carry invisible text). ZWNJ and ZWJ (U+200C, U+200D)
 * stay: scripts and emoji sequences need them and they move nothing.
 */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}]|(?![\u200c\u200d])\p{Cf}/gu;
const UNSAFE_IN_LINES = /(?![\n\t])[\p{Cc}\p{Zl}\p{Zp}]|(?![\u200c\u200d])\p{Cf}/gu;
/** Everything a JSON string may carry escaped: the same classes, ZWNJ and ZWJ included (escaping loses nothing). */
const ESCAPED_IN_JSON = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `text` as one safe line: tabs and line breaks become a space, every other unsafe character "?". */
export function printable(text: string): string {
	return text.replace(/[\t\r\n]+/g, ' ').replace(UNSAFE, '?');
}

/** `text` with its own line breaks (LF; CRLF becomes LF) and tabs kept and every other unsafe character shown as "?". */
export function printableLines(text: string): string {
	return text.replace(/\r\n/g, '\n').replace(UNSAFE_IN_LINES, '?');
}

/**
 * One line for a UI that renders `[label](target)` as a link (VS Code notifications turn https:, file: and command:
 * targets into clickable links): printable, and the `](` that would make server text a link is broken apart.
 */
export function inertMessage(text: string): string {
	return printable(text).replace(/\]\(/g, '] (');
}

/**
 * `value` as JSON whose strings carry every unsafe character as a `\uXXXX` escape: a JSON reader gets exactly the
 * value, a terminal shows only printable text. (JSON.stringify escapes C0 controls but writes C1 controls, bidi and
 * format characters raw.)
 */
export function terminalSafeJson(value: unknown): string {
	return JSON.stringify(value).replace(ESCAPED_IN_JSON, (ch) => {
		let escaped = '';
		for (let i = 0; i < ch.length; i++) {
			escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
		}
		return escaped;
	});
}
