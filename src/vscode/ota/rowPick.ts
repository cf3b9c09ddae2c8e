// Where a command on a product that its key alone names acts (a keybinding, the palette, another command's link): its
// argument's place, else the connection row of the OTA Packages view that shows the product, the user picking when
// several do. Looked up row by row, as reveal looks for a reference without a place (treeLocate.ts rowsShowing). A device
// named by its keys alone: the row whose loaded devices list it (tree.ts rowsWithDevice).
import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import type { Services } from '../commands/services';
import { PromptIds } from '../ui/prompter';
import { placeOf } from './actions/resolve';
import type { OtaPlace } from './contract';
import type { ConnectionNode } from './nodes';
import { rowLabel } from './presentation';

/** The place of `arg`, else of the row showing `productKey`; undefined when the view lists one connection. */
export async function productPlace(s: Services, arg: unknown, productKey: string): Promise<OtaPlace | undefined> {
	return (
		placeOf(arg).place ??
		pickRow(
			s,
			await s.ota.view.rowsShowing({ productKey }),
			vscode.l10n.t('Product {0} is under several connections: which one?', productKey),
		)
	);
}

/**
 * The place of `arg`, else of the row whose loaded devices list `deviceName` of `productKey`; undefined when the view lists
 * one connection or no row has it loaded (the view then asks to expand its devices first).
 */
export async function devicePlace(s: Services, arg: unknown, productKey: string, deviceName: string): Promise<OtaPlace | undefined> {
	return (
		placeOf(arg).place ??
		pickRow(
			s,
			s.ota.view.rowsWithDevice(productKey, deviceName),
			vscode.l10n.t('Device {0} of {1} is under several connections: which one?', deviceName, productKey),
		)
	);
}

/** The place of the one row, or of the row the user picks among several, named by its label and folders. */
async function pickRow(s: Services, rows: readonly ConnectionNode[], title: string): Promise<OtaPlace | undefined> {
	if (rows.length < 2) {
		return rows[0]?.place;
	}
	const items = rows.map((row) => ({ label: rowLabel(row, vscode.l10n), description: row.folders.join(', '), row }));
	// Kept open when focus moves, as the package and job picks are (actions/resolve.ts): the user may click the tree to
	// compare the rows.
	const chosen = await s.prompter.pick(PromptIds.otaRowPick, items, { title, matchOnDescription: true, ignoreFocusOut: true });
	if (!chosen) {
		throw cancelledError('the connection selection');
	}
	return chosen.row.place;
}
