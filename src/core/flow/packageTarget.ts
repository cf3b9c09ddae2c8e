// Before anything is uploaded, the product a registration names must exist where the client looks (its region and
// instance), and a module other than `default` must be one of that product's modules: else CreateOTAFirmware refuses
// the package after its files were uploaded (docs/protocols.md §13.8). One rule for every shell, in the real run and in
// its dry run: one read call at most, none when packages the run listed anyway already prove the target.
import { isCancelled, OtaError, toOtaError } from '../errors';
import { API_HINTS, isProductRefused, type ApiHint } from '../iot/popErrors';
import { LifecycleClient, type RpcCaller } from '../lifecycle/client';
import type { Logger } from '../logger';
import { DEFAULT_MODULE } from '../otaFacts';
import type { FirmwareInfo } from '../types';

/** The product and module a registration names. */
export interface PackageTarget {
	productKey: string;
	/** Undefined or `default`: the default module, which every product has. */
	moduleName?: string;
}

/** The platform's code for a module the product does not have (docs/protocols.md §11.9 row 19). */
const MODULE_NOT_EXISTED = 'iot.ota.OtaModuleNotExisted';

/**
 * The reasons (MessageReason codes) of a refused target, the extension words them: a module the product's module list
 * does not hold; the platform's refusal of the read (its `api-failed` values kept), with "Nothing was uploaded.".
 */
export const PACKAGE_TARGET_REASONS = ['module-not-in-product', 'target-refused'] as const;

const NOTHING_SENT = 'Nothing was uploaded.';

const customModule = (target: PackageTarget): string | undefined =>
	target.moduleName && target.moduleName !== DEFAULT_MODULE ? target.moduleName : undefined;

/** Whether packages listed in this instance prove the target: one of the product (and of the module, when custom). */
export function targetProvenBy(listed: readonly FirmwareInfo[], target: PackageTarget): boolean {
	const module = customModule(target);
	return listed.some((item) => item.productKey === target.productKey && (!module || item.moduleName === module));
}

/** A platform refusal of the product or module, as the usage error it is: its code, hint, reason and RequestId kept. */
function asRefusal(error: OtaError): OtaError | undefined {
	if (error.source !== 'api' || !(isProductRefused(error.code) || error.code === MODULE_NOT_EXISTED)) {
		return undefined;
	}
	const { code, requestId, status, hint, reason } = error;
	const refused = reason && { code: 'target-refused' satisfies (typeof PACKAGE_TARGET_REASONS)[number], values: reason.values };
	return new OtaError({
		code,
		source: 'validation',
		requestId,
		status,
		hint,
		reason: refused,
		message: `${error.message} ${NOTHING_SENT}`,
	});
}

function moduleNotInProduct(target: PackageTarget, moduleName: string, modules: readonly string[]): OtaError {
	const has = modules.join(', ');
	const listed = has ? `its modules: ${has}` : 'ListOTAModuleByProduct lists none';
	return new OtaError({
		code: MODULE_NOT_EXISTED,
		source: 'validation',
		message: `Product ${target.productKey} has no OTA module "${moduleName}" (${listed}). ${NOTHING_SENT}`,
		hint: API_HINTS['module-not-found'],
		reason: {
			code: 'module-not-in-product' satisfies (typeof PACKAGE_TARGET_REASONS)[number],
			// `hint`, as in a refused call's reason (popErrors.ts): a shell may point at its own way to list the modules.
			values: { productKey: target.productKey, moduleName, modules: has, hint: 'module-not-found' satisfies ApiHint },
		},
	});
}

export interface TargetCheckHooks {
	signal?: AbortSignal;
	/** Packages this run listed anyway (the same-content lookup's ListOTAFirmware): when they prove the target, no call. */
	listed?: readonly FirmwareInfo[];
	/**
	 * A dry run: a failure of the check itself (no permission for the read, the network) is thrown, as the lookup's is.
	 * Else it is logged and the run goes on, CreateOTAFirmware judging the target as before.
	 */
	strict?: boolean;
	logger?: Logger;
}

/**
 * Refuses (OtaError(validation)) a product the platform does not know here or a module the product does not have:
 * ListOTAModuleByProduct when a custom module is named (it also refuses an unknown product), else QueryProduct.
 */
export async function checkPackageTarget(client: RpcCaller, target: PackageTarget, hooks: TargetCheckHooks = {}): Promise<void> {
	if (hooks.listed && targetProvenBy(hooks.listed, target)) {
		return;
	}
	const module = customModule(target);
	const api = new LifecycleClient(client);
	let modules: string[] | undefined;
	try {
		if (module) {
			modules = (await api.listOtaModules(target.productKey, hooks.signal)).map((m) => m.moduleName);
		} else {
			await api.queryProduct(target.productKey, hooks.signal);
		}
	} catch (error) {
		const failure = toOtaError(error);
		const refusal = asRefusal(failure);
		if (refusal) {
			throw refusal;
		}
		if (isCancelled(failure) || hooks.strict) {
			throw failure;
		}
		hooks.logger?.warn(
			`Checking product ${target.productKey}${module ? ` and module ${module}` : ''} failed (continuing; CreateOTAFirmware judges them): ${failure.message} (${failure.code})`,
		);
		return;
	}
	if (module && modules && !modules.includes(module)) {
		throw moduleNotInProduct(target, module, modules);
	}
}
