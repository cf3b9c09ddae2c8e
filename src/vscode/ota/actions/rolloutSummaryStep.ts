// Roll Out…'s last step: the core's plan and preview of the draft (read calls only) shown as rows; Start accepts
// them, Back returns to change an answer, "Copy as aliyun CLI commands" copies the calls and stays.
import * as vscode from 'vscode';
import { PromptIds } from '../../ui/prompter';
import type { RolloutDraft } from './rolloutDraft';
import { specOf } from './rolloutDraft';
import type { StepContext } from './rolloutStepKit';
import { refusalText, summaryRows, type SummaryRow } from './rolloutSummary';
import type { WizardStep } from './wizard';

type RowItem = vscode.QuickPickItem & { row: SummaryRow };

export function summaryStep(ctx: StepContext): WizardStep<RolloutDraft> {
	return {
		ask: async (draft, frame) => {
			const plan = await ctx.core.planRollout(ctx.conn.lifecycle, specOf(draft));
			const preview = await ctx.core.previewTargets(ctx.conn.lifecycle, plan);
			const items: RowItem[] = summaryRows(
				plan,
				preview,
				draft.guard,
				vscode.l10n,
				vscode.env.language,
				refusalText(() => ctx.core.refuseUnreachable(plan, preview), vscode.l10n),
			).map((row) =>
				row.separator
					? { label: row.label, kind: vscode.QuickPickItemKind.Separator, row }
					: {
							iconPath: row.icon === undefined ? undefined : new vscode.ThemeIcon(row.icon),
							label: row.label,
							description: row.description,
							detail: row.detail,
							row,
						},
			);
			for (;;) {
				const result = await ctx.s.prompter.stepPick(PromptIds.rolloutSummary, items, {
					...frame,
					title: vscode.l10n.t('{0}: nothing is sent before Start', frame.title),
					placeholder: vscode.l10n.t('Check the calls and the devices, then choose Start the rollout'),
					selected: (item) => item.row.action === 'start',
				});
				if (result === undefined || result === 'back') {
					return result;
				}
				const action = result.value[0]?.row.action;
				if (action === 'start') {
					draft.plan = plan;
					return 'next';
				}
				if (action === 'copy') {
					const lines = plan.calls.map((call) => ctx.core.aliyunCommandLine(call, ctx.conn.connection));
					await vscode.env.clipboard.writeText(lines.join('\n'));
				}
			}
		},
	};
}
