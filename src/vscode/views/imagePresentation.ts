import path from 'node:path';
import * as vscode from 'vscode';
import type { ImageRead } from '../../core/flow/image';
import { escapeMarkdown } from '../../core/format';
import { printable } from '../../core/printable';
import { checkContentsAs } from '../../core/image';
import { inferSuffix } from '../../core/limits';
import { checkNameText, damageText, formatText, suffixProblemText, versionSourceText } from './imageText';

/** How a Firmware Files row shows what the image says about itself: a short description part, an icon, tooltip lines. */
export interface ImagePresentation {
	/** The embedded version, or "damaged"; undefined when there is nothing short to say. */
	badge?: string;
	icon?: vscode.ThemeIcon;
	/** Markdown lines (printable, escaped). */
	tooltip: string[];
}

export function presentImage(identity: ImageRead): ImagePresentation {
	const l10n = vscode.l10n;
	const damage = damageText(identity, l10n);
	const what = [formatText(identity.format, l10n), identity.chip, identity.project].filter(Boolean).join(', ');
	const lines = [vscode.l10n.t('Image: {0}', what)];
	lines.push(
		identity.version
			? vscode.l10n.t('Version: {0} ({1})', identity.version, versionSourceText(identity, l10n))
			: vscode.l10n.t('Version: the image declares none'),
	);
	const verified = identity.integrity.checks.filter((c) => c.status === 'verified').map((c) => checkNameText(c, l10n));
	lines.push(
		damage
			? vscode.l10n.t('Integrity: DAMAGED. {0}', damage)
			: verified.length > 0
				? vscode.l10n.t('Integrity: verified ({0})', verified.join(', '))
				: vscode.l10n.t('Integrity: nothing to verify'),
	);
	if (identity.signature.present) {
		lines.push(vscode.l10n.t('Signature: {0}', identity.signature.kinds.join(', ')));
	}
	const name = path.basename(identity.file);
	const contents = checkContentsAs(name, inferSuffix(identity.file), identity);
	if (contents.status === 'mismatch') {
		lines.push(suffixProblemText(name, contents.suffix, contents.problem, l10n));
	}
	return {
		badge: damage ? vscode.l10n.t('damaged') : identity.version,
		icon: damage ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : undefined,
		// One line each: a line break in an archive entry's name (in a check's name, the version source) cannot forge one.
		tooltip: lines.map((line) => escapeMarkdown(printable(line))),
	};
}
