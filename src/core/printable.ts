// Text from the server (task descriptions, names, versions) printed to a terminal must not carry control characters:
// an escape sequence in a TaskDesc could otherwise move the cursor, recolour or rewrite the screen.

// C0 controls, DEL, C1 controls, and the bidirectional overrides and isolates that reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character shown as "?" (tabs and line breaks as a space): one safe line. */
export function printable(text: string): string {
	return text.replace(/[\t\r\n]+/g, ' ').replace(UNPRINTABLE, '?');
}
