// The OTA module a package is registered in (CreateOTAFirmware ModuleName, docs/protocols.md §4.2): asked only when the
// product has modules other than "default" (ListOTAModuleByProduct), so a product with the default module alone asks
// nothing. The CLI's twin is `--module`.
import * as vscode from 'vscode';
import { cancelledError, isCancelled, toOtaError } from '../../core/errors';
import { isProductRefused } from '../../core/iot/popErrors';
import type { IotClient } from '../../core/iotClient';
import { LifecycleClient } from '../../core/lifecycle/client';
import { DEFAULT_MODULE } from '../../core/otaFacts';
import type { CreateFirmwareRequest } from '../../core/types';
import type { Services } from '../commands/services';
import { shownError } from '../commands/wrapper';
import { StateKeys } from '../constants';
import { PromptIds } from '../ui/prompter';
import { cancellable } from '../ui/slowStep';
import { askField } from './packageQuestions';

type LastModules = Record<string, string>;

interface ModuleItem extends vscode.QuickPickItem {
	moduleName: string;
}

/** The module last used per product, as stored now (anything but a record of names reads as none). */
function lastModulesIn(state: vscode.Memento): LastModules {
	const stored = state.get<unknown>(StateKeys.lastModules);
	return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as LastModules) : {};
}

/**
 * Remembers `moduleName` as the one last used for `productKey`, merged into what is stored at the moment of writing: another
 * Create (another product) may have written since this one read, and keeps its module.
 */
export function rememberModule(state: vscode.Memento, productKey: string, moduleName: string): Thenable<void> {
	return state.update(StateKeys.lastModules, { ...lastModulesIn(state), [productKey]: moduleName });
}

/** "default" first, the one last used for the product next, the others as listed; `first` (a Retry's) before all. */
export function moduleOrder(names: readonly string[], last: string | undefined, first?: string): string[] {
	const rank = (name: string) => (name === first ? -1 : name === DEFAULT_MODULE ? 0 : name === last ? 1 : 2);
	return [...names].sort((a, b) => rank(a) - rank(b));
}

/**
 * The module of the package: undefined is "default" (no ModuleName sent, as before). A listing that fails is said once
 * and the name is typed instead (the core's ModuleName rule), "default" prefilled; one that says the product is unknown
 * fails the command with that error. `base` is the request so far; `retried`, the module a failed registration chose
 * (its Retry offers it first).
 */
export async function pickModule(
	s: Services,
	client: IotClient,
	base: CreateFirmwareRequest,
	retried?: string,
): Promise<string | undefined> {
	const { productKey } = base;
	const last = lastModulesIn(s.context.workspaceState)[productKey];
	let chosen: string;
	try {
		const modules = await cancellable(
			s,
			PromptIds.createModules,
			vscode.l10n.t('Reading the OTA modules of product {0}…', productKey),
			(signal) => new LifecycleClient(client).listOtaModules(productKey, signal),
		);
		const names = modules.map((m) => m.moduleName);
		if (names.every((name) => name === DEFAULT_MODULE)) {
			return undefined;
		}
		const byName = new Map(modules.map((m) => [m.moduleName, m]));
		const items: ModuleItem[] = moduleOrder([DEFAULT_MODULE, ...names.filter((n) => n !== DEFAULT_MODULE)], last, retried).map(
			(name) => ({
				label: name,
				description: byName.get(name)?.aliasName,
				detail: byName.get(name)?.desc,
				moduleName: name,
			}),
		);
		const picked = await s.prompter.pick(PromptIds.createModule, items, {
			title: vscode.l10n.t('OTA module of the package (product {0})', productKey),
			ignoreFocusOut: true,
		});
		if (!picked) {
			throw cancelledError('the module selection');
		}
		chosen = picked.moduleName;
	} catch (error) {
		// A product the platform does not know would only be refused again after every other question.
		if (isCancelled(error) || isProductRefused(toOtaError(error).code)) {
			throw error;
		}
		chosen = await typeModule(s, base, error, retried);
	}
	await rememberModule(s.context.workspaceState, productKey, chosen);
	return chosen === DEFAULT_MODULE ? undefined : chosen;
}

async function typeModule(s: Services, base: CreateFirmwareRequest, error: unknown, retried: string | undefined): Promise<string> {
	const otaError = toOtaError(error, s.mask.list());
	s.log.warn(
		`[create] ListOTAModuleByProduct failed for ${base.productKey}, asking for the module name instead: ${s.mask.apply(otaError.describe())}`,
	);
	// The reason is in the message: a notification that is not modal never shows its detail.
	void s.prompter.message(
		PromptIds.info,
		'warning',
		vscode.l10n.t(
			'The OTA modules of product {0} could not be listed: type the module name, or keep "default". {1}',
			base.productKey,
			shownError(otaError, s.mask),
		),
		{},
	);
	return askField(s, PromptIds.createModuleName, 'InvalidModuleName', (value) => ({ ...base, moduleName: value }), {
		title: vscode.l10n.t('OTA module name (ModuleName; "default" unless the product has other modules)'),
		value: retried ?? DEFAULT_MODULE,
	});
}
