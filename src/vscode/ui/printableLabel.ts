// Text for the places VS Code renders `$(name)` as an icon (quick-pick items, status-bar text and messages, CodeLens
// titles): printable (src/core/printable.ts), and an icon written by outside text shown as the characters it is, so a
// file or server name cannot show a forged icon (a check mark, a warning) or hide itself behind an unknown one.
// Quick-pick labels show no icon at all (the flows' own are QuickPickItem.iconPath): a label may start with a name.
// An input box's prompt and validation message render `[label](https:|command:|file:…)` links as well. Tree labels render
// no icons (TreeView's default), so they need only printable().
import { inertMessage, printable } from '../../core/printable';

/** VS Code's icon syntax (`$(name)`, `$(name~modifier)`), escaped or not: `\$(name)` renders as the text `$(name)`. */
const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/** `text` as one printable line in which no `$(name)` renders as an icon. */
export function inertIcons(text: string): string {
	return printable(text).replace(ICON, (icon: string, escaped: string | undefined) => (escaped ? icon : `\\${icon}`));
}

/**
 * A status text or CodeLens title the code wrote, which always starts with its own icon: one printable line whose
 * leading `$(name)` renders; any other
 * `$(name)` (in a name embedded after it, or a name the label starts with after the icon) shows as text.
 */
export function printableLabel(text: string): string {
	return printable(text).replace(ICON, (icon: string, escaped: string | undefined, offset: number) =>
		escaped || offset === 0 ? icon : `\\${icon}`,
	);
}

/** An input box's prompt or validation message (VS Code renders its links and icons): printable, no link, no icon. */
export function inertDescription(text: string): string {
	return inertIcons(inertMessage(text));
}
