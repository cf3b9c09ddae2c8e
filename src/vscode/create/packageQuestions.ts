// The questions of a registration that Create OTA Firmware and a multi-file package share: a field checked as it is
// typed (by the core's rule of that field), and the sign method, whose pick also opens "More options…" (delta package,
// description: the CLI's `--differential --src-version`, `--desc`). The common path stays one pick.
import * as vscode from 'vscode';
import { cancelledError, isCancelled, OtaError } from '../../core/errors';
import { validateCreateFirmware } from '../../core/limits';
import type { CreateFirmwareRequest, SignMethod } from '../../core/types';
import type { Services } from '../commands/services';
import { PromptIds } from '../ui/prompter';
import { validationText } from '../validationText';

/** The optional fields "More options…" sets; none of them is sent unless chosen. */
export interface PackageOptions {
	/** 1: a delta package, from `srcVersion`. */
	type?: 1;
	srcVersion?: string;
	firmwareDesc?: string;
}

export async function askField(
	s: Services,
	id: string,
	code: string,
	request: (value: string) => CreateFirmwareRequest,
	options: { title: string; value?: string; prompt?: string },
): Promise<string> {
	const problem = (value: string): string | undefined => {
		try {
			validateCreateFirmware(request(value.trim()));
			return undefined;
		} catch (error) {
			return error instanceof OtaError && error.code === code ? validationText(error, vscode.l10n) : undefined;
		}
	};
	const value = await s.prompter.input(id, {
		title: options.title,
		prompt: options.prompt,
		value: options.value,
		ignoreFocusOut: true,
		validateInput: problem,
	});
	if (value === undefined) {
		throw cancelledError('the OTA package details');
	}
	return value.trim();
}

type SignItem = vscode.QuickPickItem & { method?: SignMethod };

/** "Delta from 1.0.0 · description set": what the options hold, in the sign-method pick's title. */
function optionsSummary(options: PackageOptions): string | undefined {
	const parts = [
		options.type === 1 ? vscode.l10n.t('delta package from {0}', options.srcVersion ?? '') : undefined,
		options.firmwareDesc ? vscode.l10n.t('with a description') : undefined,
	].filter((part): part is string => part !== undefined);
	return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * The sign method, and the options when "More options…" is chosen (then the pick comes back, its title naming them;
 * dismissing one of the options' questions brings it back too, the options unchanged).
 * `base` is the request so far (product, module, DestVersion, FirmwareName): each option is checked against it.
 * `initial`: the options a failed registration's Retry keeps.
 */
export async function askSignAndOptions(
	s: Services,
	base: CreateFirmwareRequest,
	initial: PackageOptions = {},
): Promise<{ signMethod: SignMethod } & PackageOptions> {
	let options = initial;
	for (;;) {
		const more: SignItem = {
			iconPath: new vscode.ThemeIcon('settings'),
			label: vscode.l10n.t('More options…'),
			description: vscode.l10n.t('delta package, description'),
		};
		const items: SignItem[] = [
			{ label: 'MD5', description: vscode.l10n.t('recommended; accepted by every instance'), method: 'MD5' },
			{ label: 'SHA256', description: vscode.l10n.t('only where your instance supports it'), method: 'SHA256' },
			{ label: '', kind: vscode.QuickPickItemKind.Separator },
			more,
		];
		const summary = optionsSummary(options);
		const title = vscode.l10n.t('Signature method (computed locally during the upload)');
		const chosen = await s.prompter.pick(PromptIds.createSignMethod, items, {
			title: summary ? `${title} — ${summary}` : title,
			ignoreFocusOut: true,
		});
		if (!chosen) {
			throw cancelledError('the sign method selection');
		}
		if (chosen.method) {
			return { signMethod: chosen.method, ...options };
		}
		try {
			options = await askOptions(s, base, options);
		} catch (error) {
			if (!isCancelled(error)) {
				throw error;
			}
			// Escape in More options… goes back to the pick with the options as they were; Escape there cancels.
		}
	}
}

/** Full or delta (then its SrcVersion), and the description; each checked by the core's rule of its field. */
async function askOptions(s: Services, base: CreateFirmwareRequest, current: PackageOptions): Promise<PackageOptions> {
	const full = { label: vscode.l10n.t('Full package'), description: vscode.l10n.t('Type 0: the whole firmware'), delta: false };
	const delta = {
		label: vscode.l10n.t('Delta package…'),
		description: vscode.l10n.t('Type 1: only for devices on one source version (SrcVersion)'),
		delta: true,
	};
	const kind = await s.prompter.pick(PromptIds.createPackageType, current.type === 1 ? [delta, full] : [full, delta], {
		title: vscode.l10n.t('Package type'),
		ignoreFocusOut: true,
	});
	if (!kind) {
		throw cancelledError('the package type');
	}
	const options: PackageOptions = {};
	if (kind.delta) {
		options.type = 1;
		options.srcVersion = await askField(
			s,
			PromptIds.createSrcVersion,
			'InvalidSrcVersion',
			(value) => ({ ...base, type: 1, srcVersion: value }),
			{
				title: vscode.l10n.t('SrcVersion (the version devices must report to get this delta package)'),
				value: current.srcVersion,
			},
		);
	}
	const desc = await askField(s, PromptIds.createDesc, 'InvalidFirmwareDesc', (value) => ({ ...base, firmwareDesc: value }), {
		title: vscode.l10n.t('Description of the package (optional)'),
		prompt: vscode.l10n.t('Leave empty for none.'),
		value: current.firmwareDesc,
	});
	return desc ? { ...options, firmwareDesc: desc } : options;
}
