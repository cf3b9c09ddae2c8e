// The last step of Roll Out…: what Start would do, from the core's plan and preview (what `iot-ota rollout --dry-run`
// prints): the package, every write call with exactly the parameters sent, the devices it reaches, and the guard.
// Pure: `l10n` is vscode.l10n in the extension and plainL10n in unit tests.
import type { l10n } from 'vscode';
import { OtaError } from '../../../core/errors';
import { formatCount, formatPercent } from '../../../core/format';
import type { GuardPolicy, PlannedCall, RolloutPlan, TargetPreview, TargetScope, VersionFilter } from '../../../core/lifecycle';
import type { Translator } from '../../upload/progressFormat';
import { validationText } from '../../validationText';
import { verificationOf } from '../nodes';
import { verificationLabel } from '../presentation';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export interface SummaryRow {
	/** The row's codicon (QuickPickItem.iconPath): labels render no icon, they may start with outside text. */
	icon?: string;
	label: string;
	description?: string;
	detail?: string;
	/** A heading between groups of rows. */
	separator?: boolean;
	/** What accepting the row does; rows without one only inform. */
	action?: 'start' | 'copy';
}

/** A call's parameters exactly as sent, one row each; a numbered list (TargetDeviceName.1…N) is one row. */
export function paramRows(call: PlannedCall): SummaryRow[] {
	const entries = Object.entries(call.params);
	const rows: SummaryRow[] = [];
	for (let i = 0; i < entries.length;) {
		const list = /^(.+)\.1$/.exec(entries[i][0])?.[1];
		const values: string[] = [];
		while (list !== undefined && i < entries.length && entries[i][0] === `${list}.${values.length + 1}`) {
			values.push(entries[i++][1]);
		}
		if (list === undefined || values.length === 1) {
			const [name, value] = list === undefined ? entries[i++] : [`${list}.1`, values[0]];
			rows.push({ icon: 'symbol-field', label: name, description: value });
		} else {
			rows.push({ icon: 'symbol-field', label: `${list}.1–${values.length}`, description: values.join(', ') });
		}
	}
	return rows;
}

function filterText(filter: VersionFilter, l10n: Translator): string {
	if (filter.versions.length === 0) {
		return '';
	}
	const versions = filter.versions.join(l10n.t(' or '));
	return filter.module
		? l10n.t(' that report version {0} of module {1}', versions, filter.module)
		: l10n.t(' that report version {0}', versions);
}

/** How the platform picks the devices, worded by the scope's code (the core's targetNoteText is the CLI's English). */
export function targetNote(scope: TargetScope, l10n: Translator): string {
	const skipped = (dest: string) => l10n.t('; devices already on {0} are skipped', dest);
	switch (scope.code) {
		case 'named':
			return scope.unchecked > 0
				? l10n.t('the named devices ({0} beyond the first {1} were not checked)', scope.unchecked, scope.checked)
				: l10n.t('the named devices');
		case 'group':
			return l10n.t(
				'every device of group {0}{1}{2}',
				scope.groupId,
				scope.dynamic ? l10n.t(', now and whenever one joins') : '',
				skipped(scope.destVersion),
			);
		case 'all':
			return l10n.t(
				'every device of {0}{1}{2}{3}',
				scope.productKey,
				filterText(scope, l10n),
				scope.dynamic ? l10n.t(', now and whenever one reports a matching version') : '',
				skipped(scope.destVersion),
			);
		case 'gray-counted':
			return l10n.t(
				'{0} % of the {1} devices of {2} not on {3}{4}, rounded down (at least 1), chosen by the platform',
				scope.percent,
				scope.counted,
				scope.productKey,
				scope.destVersion,
				filterText(scope, l10n),
			);
		case 'gray-bounded':
			return l10n.t(
				'{0} % of the devices of {1} not on {2}{3}, rounded down (at least 1), chosen by the platform: at most {4} of its {5} devices',
				scope.percent,
				scope.productKey,
				scope.destVersion,
				filterText(scope, l10n),
				scope.most,
				scope.total,
			);
	}
}

function deviceRows(plan: RolloutPlan, preview: TargetPreview, l10n: Translator, locale: string): SummaryRow[] {
	const count =
		preview.count === undefined
			? l10n.t('Every matching device')
			: preview.of === undefined
				? l10n.t('{0} devices', formatCount(preview.count, locale))
				: l10n.t('{0} of {1} devices', formatCount(preview.count, locale), formatCount(preview.of, locale));
	const rows: SummaryRow[] = [{ icon: 'device-camera-video', label: count, detail: targetNote(preview.scope, l10n) }];
	if (preview.sample.length > 0) {
		const more = preview.count !== undefined && preview.count > preview.sample.length ? preview.count - preview.sample.length : 0;
		rows.push({
			label: preview.sample.join(', '),
			description: more > 0 ? l10n.t('and {0} more', formatCount(more, locale)) : undefined,
		});
	}
	if (preview.unknown.length > 0) {
		rows.push({
			icon: 'warning',
			label: l10n.t('Not in product {0}: {1}', plan.firmware.productKey ?? '?', preview.unknown.join(', ')),
		});
	}
	if (preview.upToDate.length > 0) {
		rows.push({
			icon: 'info',
			label: l10n.t('Already on {0} (skipped): {1}', plan.firmware.destVersion, preview.upToDate.join(', ')),
		});
	}
	return rows;
}

export function guardText(guard: GuardPolicy | undefined, l10n: Translator): string {
	return guard
		? l10n.t(
				'Watch the job and halt it once {0} tasks finished and {1} or more of them failed',
				guard.minFinished,
				formatPercent(guard.failurePercent),
			)
		: l10n.t('No halt guard; you are offered to watch the job');
}

/** The worded refusal `refuse` throws (the core's refuseUnreachable: what Start would refuse), if any. */
export function refusalText(refuse: () => void, l10n: Translator): string | undefined {
	try {
		refuse();
		return undefined;
	} catch (error) {
		if (error instanceof OtaError) {
			return validationText(error, l10n);
		}
		throw error;
	}
}

/**
 * The summary's rows, Start first; `refused` (the worded refusal of a batch Start would refuse before creating anything,
 * as the CLI's dry run refuses it: refuseUnreachable) takes Start's place, and Back changes the answers.
 */
export function summaryRows(
	plan: RolloutPlan,
	preview: TargetPreview,
	guard: GuardPolicy | undefined,
	l10n: Translator,
	locale: string,
	refused?: string,
): SummaryRow[] {
	const fw = plan.firmware;
	return [
		refused
			? { icon: 'error', label: l10n.t('This batch cannot start'), detail: refused }
			: {
					icon: 'rocket',
					label: l10n.t('Start the rollout'),
					description: l10n.t('sends only the calls below'),
					action: 'start',
				},
		{ icon: 'copy', label: l10n.t('Copy as aliyun CLI commands'), action: 'copy' },
		{ label: l10n.t('Package'), separator: true },
		{
			label: `${fw.firmwareName} ${fw.destVersion}`,
			description: fw.firmwareId,
			detail: `${fw.productKey ?? '?'} · ${verificationLabel(verificationOf(fw.status), l10n)}`,
		},
		{ label: l10n.t('Calls, in order'), separator: true },
		...plan.calls.flatMap((call, index) => [{ label: `${index + 1}. ${call.method} ${call.action}` }, ...paramRows(call)]),
		{ label: l10n.t('Devices it reaches'), separator: true },
		...deviceRows(plan, preview, l10n, locale),
		{ label: l10n.t('Then'), separator: true },
		{ icon: 'eye', label: guardText(guard, l10n) },
	];
}
