// Where a command on a product that its key alone names acts (a keybinding, the palette, another command's link): its
// argument's place, else the connection row of the OTA Packages view that shows the product, the user picking when
// several do. Looked up row by row, as reveal looks for a reference without a place (treeLocate.ts rowsShowing).
import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import type { Services } from '../commands/services';
import { PromptIds } from '../ui/prompter';
import { placeOf } from './actions/resolve';
import type { OtaPlace } from './contract';
import { rowLabel } from './presentation';

/** The place of `arg`, else of the row showing `productKey`; undefined when the view lists one connection. */
export async function productPlace(s: Services, arg: unknown, productKey: string): Promise<OtaPlace | undefined> {
	const { place } = placeOf(arg);
	if (place) {
		return place;
	}
	const rows = await s.ota.view.rowsShowing({ productKey });
	if (rows.length < 2) {
		return rows[0]?.place;
	}
	const items = rows.map((row) => ({ label: rowLabel(row, vscode.l10n), description: row.folders.join(', '), row }));
	const chosen = await s.prompter.pick(PromptIds.otaRowPick, items, {
		title: vscode.l10n.t('Product {0} is under several connections: which one?', productKey),
		matchOnDescription: true,
	});
	if (!chosen) {
		throw cancelledError('the connection selection');
	}
	return chosen.row.place;
}
