import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { everyPage, type PageRequest } from '../../core/iot/paging';
import { isProductKey } from '../../core/limits';
import type { IotClient } from '../../core/iotClient';
import type { Services } from '../commands/services';
import { StateKeys } from '../constants';
import { PromptIds } from '../ui/prompter';
import { lastProductKey } from '../upload/imageChecks';

/** Pages of QueryProductList the pick reads (200 products each); a product past them is still reachable by its key. */
export const PRODUCT_PICK_MAX_PAGES = 10;

interface ProductItem extends vscode.QuickPickItem {
	productKey?: string;
}

/** ProductKey from a QueryProductList pick (last used first), with "Enter a ProductKey…" as the fallback. */
export async function pickProductKey(s: Services, client: IotClient): Promise<string> {
	const last = lastProductKey(s);
	const typeIt: ProductItem = { iconPath: new vscode.ThemeIcon('edit'), label: vscode.l10n.t('Enter a ProductKey…') };
	// The products of the pages read so far: a page that fails after the first loses none of them.
	const listed: Awaited<ReturnType<IotClient['queryProductList']>>['items'] = [];
	const readPage = async (page: PageRequest) => {
		const answer = await client.queryProductList(page);
		listed.push(...answer.items);
		return answer;
	};
	const items = everyPage('QueryProductList', readPage, { maxPages: PRODUCT_PICK_MAX_PAGES })
		.catch((error: unknown) => {
			s.log.warn(
				`QueryProductList failed, offering the ${listed.length} product(s) read and the ProductKey input: ${s.mask.apply(String((error as Error)?.message ?? error))}`,
			);
		})
		.then(() => {
			const products: ProductItem[] = listed.map((p) => ({
				label: p.productName || p.productKey,
				description: p.productKey,
				detail: p.description || undefined,
				productKey: p.productKey,
			}));
			products.sort((a, b) => Number(b.productKey === last) - Number(a.productKey === last));
			return [...products, typeIt];
		});
	const chosen = await s.prompter.pick(PromptIds.createProduct, items, {
		title: vscode.l10n.t('Product of the OTA package'),
		matchOnDescription: true,
		ignoreFocusOut: true,
	});
	if (!chosen) {
		throw cancelledError('the product selection');
	}
	let productKey = chosen.productKey;
	if (!productKey) {
		const typed = await s.prompter.input(PromptIds.createProductKey, {
			title: vscode.l10n.t('ProductKey'),
			prompt: vscode.l10n.t('The ProductKey from the IoT Platform console (Devices › Products).'),
			value: last,
			ignoreFocusOut: true,
			validateInput: (value) => (isProductKey(value.trim()) ? undefined : vscode.l10n.t('A ProductKey has only letters and digits.')),
		});
		if (!typed) {
			throw cancelledError('the ProductKey input');
		}
		productKey = typed.trim();
	}
	await s.context.workspaceState.update(StateKeys.lastProductKey, productKey);
	return productKey;
}
