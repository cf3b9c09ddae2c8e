// Node → TreeItem for the OTA Packages view. Only the node's own data: what needs a call (a package's Udi, a failed
// task's diagnosis) is added to the tooltip on hover (OtaTreeProvider.resolveTreeItem).
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { escapeMarkdown, formatCount } from '../../core/format';
import { DEFAULT_MODULE } from '../../core/otaFacts';
import { shownEndpoint } from '../../core/regions';
import { formatDateTime } from '../views/format';
import type { OtaNode, PackageNode, TaskNode } from './nodes';
import {
	rowLabel,
	deviceDescription,
	groupLabel,
	jobDescription,
	jobTypeLabel,
	packageDescription,
	quotaLabel,
	taskDescription,
	taskStatusLabel,
	utcMs,
	verificationIcon,
	verificationLabel,
} from './presentation';

const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;

function icon(id: string, color?: string): vscode.ThemeIcon {
	return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

const TASK_ICONS: Record<string, [string, string?]> = {
	FAILED: ['error', 'testing.iconFailed'],
	IN_PROGRESS: ['sync~spin'],
	NOTIFIED: ['bell'],
	QUEUED: ['clock'],
	CONFIRM: ['question'],
	SUCCEEDED: ['pass', 'testing.iconPassed'],
	CANCELED: ['circle-slash'],
};

const JOB_ICONS: Record<string, [string, string?]> = {
	PLANNED: ['calendar'],
	IN_PROGRESS: ['run-all'],
	COMPLETED: ['check-all'],
	CANCELED: ['circle-slash'],
};

function rows(pairs: Array<[string, string | number | undefined]>): string {
	return pairs
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([label, value]) => `**${escapeMarkdown(label)}:** ${escapeMarkdown(String(value))}  `)
		.join('\n');
}

export function packageTooltip(node: PackageNode): vscode.MarkdownString {
	const fw = { ...node.firmware, ...node.detail };
	const locale = vscode.env.language;
	const md = new vscode.MarkdownString(`**${escapeMarkdown(fw.firmwareName)}** — ${escapeMarkdown(fw.destVersion)}\n\n`, true);
	const verifying =
		node.detail?.verifyProgress !== undefined && node.verification === 'verifying' ? ` (${node.detail.verifyProgress} %)` : '';
	md.appendMarkdown(
		rows([
			['FirmwareId', fw.firmwareId],
			[vscode.l10n.t('Verification'), `${verificationLabel(node.verification, vscode.l10n)}${verifying}`],
			[vscode.l10n.t('Type'), fw.type === 1 ? vscode.l10n.t('Delta from {0}', fw.srcVersion ?? '?') : vscode.l10n.t('Full')],
			[vscode.l10n.t('Module'), fw.moduleName ?? DEFAULT_MODULE],
			['SrcVersion', fw.srcVersion],
			[vscode.l10n.t('Sign'), fw.firmwareSign ? `${fw.signMethod ?? ''} ${fw.firmwareSign}`.trim() : undefined],
			[vscode.l10n.t('Size'), fw.firmwareSize === undefined ? undefined : `${formatCount(fw.firmwareSize, locale)} B`],
			['Udi', node.detail?.udi],
			[vscode.l10n.t('Description'), node.detail?.firmwareDesc],
			[
				vscode.l10n.t('Created'),
				utcMs(fw.utcCreate) === undefined ? undefined : formatDateTime(utcMs(fw.utcCreate) as number, locale),
			],
		]),
	);
	return md;
}

export function taskTooltip(node: TaskNode, diagnosis?: { cause: string; fix: string }): vscode.MarkdownString {
	const { task } = node;
	const md = new vscode.MarkdownString(
		`**${escapeMarkdown(task.deviceName)}** — ${escapeMarkdown(taskStatusLabel(task.status, vscode.l10n))}\n\n`,
	);
	md.appendMarkdown(
		rows([
			['TaskId', task.taskId],
			['JobId', task.jobId],
			[vscode.l10n.t('Module'), task.moduleName],
			['SrcVersion', task.srcVersion],
			['DestVersion', task.destVersion],
			[vscode.l10n.t('Progress'), task.progress === undefined ? undefined : `${task.progress} %`],
			['TaskDesc', task.taskDesc],
			[vscode.l10n.t('Modified'), task.utcModified],
		]),
	);
	if (diagnosis) {
		md.appendMarkdown(`\n\n${escapeMarkdown(diagnosis.cause)}\n\n*${escapeMarkdown(diagnosis.fix)}*`);
	}
	return md;
}

export function treeItem(node: OtaNode, now: number): vscode.TreeItem {
	const l10n = vscode.l10n;
	const locale = vscode.env.language;
	let item: vscode.TreeItem;
	switch (node.kind) {
		case 'connection': {
			const { region, endpoint, iotInstanceId } = node.connection;
			const instance = iotInstanceId ?? l10n.t('public instance');
			item = new vscode.TreeItem(rowLabel(node, l10n), Expanded);
			item.description = node.folders.join(', ');
			item.iconPath = icon('cloud');
			item.tooltip = new vscode.MarkdownString(
				`${rows([
					[l10n.t('Folders'), node.folders.join(', ')],
					[l10n.t('Region'), region],
					[l10n.t('Endpoint'), endpoint === undefined ? l10n.t('the region endpoint') : shownEndpoint(endpoint)],
					[l10n.t('Instance'), instance],
				])}\n\n${escapeMarkdown(
					l10n.t('The open folders set different {0}, so this view lists each connection on its own.', node.differing.join(', ')),
				)}`,
			);
			break;
		}
		case 'quota':
			item = new vscode.TreeItem(quotaLabel(node.used, node.max, l10n, locale), None);
			item.iconPath = icon(node.contextValue.endsWith('full') ? 'warning' : 'dashboard');
			item.description = node.instanceId;
			item.tooltip = l10n.t(
				'OTA packages of this instance, of at most {0}. Delete packages you no longer need to make room.',
				node.max,
			);
			break;
		case 'product':
			item = new vscode.TreeItem(node.productName || node.productKey, Collapsed);
			item.description = node.productKey;
			item.iconPath = icon('circuit-board');
			break;
		case 'package': {
			item = new vscode.TreeItem(node.firmware.firmwareName, Collapsed);
			item.description = packageDescription(node.firmware, node.verification, l10n, locale, now);
			const verification = verificationIcon(node.verification);
			item.iconPath = icon(verification.id, verification.color);
			item.tooltip = packageTooltip(node);
			break;
		}
		case 'job': {
			const type = jobTypeLabel(node.job, l10n);
			item = new vscode.TreeItem(type, Collapsed);
			item.description = `${node.jobId} · ${jobDescription(node.job, node.progress, node.watchPhase, l10n, locale)}`;
			const [id, color] = node.watched ? ['eye'] : (JOB_ICONS[node.progress?.jobStatus ?? node.job.jobStatus] ?? ['tasklist']);
			item.iconPath = icon(id, color);
			item.tooltip = `${type} ${node.jobId}\n${item.description}`;
			break;
		}
		case 'taskGroup': {
			item = new vscode.TreeItem(groupLabel(node.status, node.count, l10n, locale), Collapsed);
			const [id, color] = TASK_ICONS[node.status];
			item.iconPath = icon(id, color);
			break;
		}
		case 'task': {
			item = new vscode.TreeItem(
				node.parent.kind === 'deviceTasks' ? (node.task.jobId ?? node.task.taskId) : node.task.deviceName,
				None,
			);
			item.description = taskDescription(node.task, l10n);
			const [id, color] = TASK_ICONS[node.task.status];
			item.iconPath = icon(id, color);
			if (node.parent.kind === 'deviceTasks' && node.task.jobId) {
				item.command = {
					title: l10n.t('Show Job'),
					command: Commands.revealJob,
					arguments: [{ jobId: node.task.jobId, place: node.place }],
				};
			}
			break;
		}
		case 'loadMore':
			item = new vscode.TreeItem(l10n.t('Load more…'), None);
			item.description =
				node.total === undefined
					? l10n.t('{0} shown', formatCount(node.shown, locale))
					: l10n.t('{0} of {1}', formatCount(node.shown, locale), formatCount(node.total, locale));
			item.iconPath = icon('ellipsis');
			item.command = { title: l10n.t('Load more…'), command: Commands.loadMore, arguments: [node] };
			break;
		case 'devices':
			item = new vscode.TreeItem(l10n.t('Devices'), Collapsed);
			item.description =
				node.versionFilter === undefined ? node.parent.deviceCount?.toString() : l10n.t('version {0}', node.versionFilter);
			item.iconPath = icon(node.versionFilter === undefined ? 'device-camera-video' : 'filter');
			break;
		case 'device':
			item = new vscode.TreeItem(node.device.deviceName, Collapsed);
			item.description = deviceDescription(node.device, l10n);
			item.iconPath = icon(
				node.device.online ? 'circle-filled' : 'circle-outline',
				node.device.online ? 'testing.iconPassed' : undefined,
			);
			break;
		case 'deviceVersion':
			item = new vscode.TreeItem(node.moduleName, None);
			item.description = node.version;
			item.iconPath = icon('versions');
			break;
		case 'deviceTasks':
			item = new vscode.TreeItem(l10n.t('Unfinished tasks'), Collapsed);
			item.iconPath = icon('tasklist');
			break;
		case 'message':
			item = new vscode.TreeItem(node.text, None);
			item.iconPath = icon(node.severity === 'error' ? 'error' : 'info', node.severity === 'error' ? 'errorForeground' : undefined);
			item.tooltip = node.detail ?? node.text;
			break;
	}
	item.id = node.id;
	item.contextValue = node.contextValue;
	return item;
}
