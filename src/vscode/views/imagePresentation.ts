import path from 'node:path';
import * as vscode from 'vscode';
import type { ImageRead } from '../../core/flow/image';
import { escapeMarkdown } from '../../core/format';
import { checkContentsAs, damageSummary, describeVersionSource, FORMAT_TEXT } from '../../core/image';
import { inferSuffix } from '../../core/limits';

/** How a Firmware Files row shows what the image says about itself: a short description part, an icon, tooltip lines. */
export interface ImagePresentation {
	/** The embedded version, or "damaged"; undefined when there is nothing short to say. */
	badge?: string;
	icon?: vscode.ThemeIcon;
	/** Markdown lines (escaped). */
	tooltip: string[];
}

export function presentImage(identity: ImageRead): ImagePresentation {
	const damage = damageSummary(identity);
	const what = [FORMAT_TEXT[identity.format], identity.chip, identity.project].filter(Boolean).join(', ');
	const lines = [vscode.l10n.t('Image: {0}', what)];
	lines.push(
		identity.version
			? vscode.l10n.t('Version: {0} ({1})', identity.version, describeVersionSource(identity))
			: vscode.l10n.t('Version: the image declares none'),
	);
	const verified = identity.integrity.checks.filter((c) => c.status === 'verified').map((c) => c.name);
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
	const contents = checkContentsAs(path.basename(identity.file), inferSuffix(identity.file), identity);
	if (contents.status === 'mismatch') {
		lines.push(contents.message);
	}
	return {
		badge: damage ? vscode.l10n.t('damaged') : identity.version,
		icon: damage ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : undefined,
		tooltip: lines.map(escapeMarkdown),
	};
}
