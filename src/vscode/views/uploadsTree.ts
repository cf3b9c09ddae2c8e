import * as vscode from 'vscode';
import { printableTreeItem } from '../ui/printableTreeItem';
import { Commands } from '../constants';
import type { HistoryStore } from '../history';
import type { HistoryEntry, UploadStatus } from '../model';
import { escapeMarkdown, formatBytes, formatCount } from '../../core/format';
import { registerWindowText } from '../validationText';
import { formatDateTime, formatRelativeTime, shortHash } from './format';
import {
	detailFields,
	detailValue,
	historyContextValue,
	progressPercent,
	registerWindow,
	statusIcon,
	type DetailField,
} from './historyPresentation';

/** One upload; contextValue `upload.<status>`; menus read `entry`. */
export class UploadNode {
	readonly type = 'upload';
	constructor(readonly entry: HistoryEntry) {}
}

/** A field of an upload (hash, URL, id…); contextValue `uploadDetail`; `value` is the full, copyable text. */
export class UploadDetailNode {
	readonly type = 'detail';
	constructor(
		readonly entry: HistoryEntry,
		readonly field: DetailField,
		readonly value: string,
	) {}
}

export type UploadsNode = UploadNode | UploadDetailNode;

const PROGRESS_RENDER_MS = 250;

export function statusLabel(status: UploadStatus): string {
	switch (status) {
		case 'uploading':
			return vscode.l10n.t('Uploading');
		case 'uploaded':
			return vscode.l10n.t('Uploaded');
		case 'registered':
			return vscode.l10n.t('Registered');
		case 'deleted':
			return vscode.l10n.t('Package deleted');
		case 'failed':
			return vscode.l10n.t('Failed');
		case 'interrupted':
			return vscode.l10n.t('Interrupted');
		case 'cancelled':
			return vscode.l10n.t('Cancelled');
	}
}

function fieldLabel(field: DetailField): string {
	switch (field) {
		case 'status':
			return vscode.l10n.t('Status');
		case 'size':
			return vscode.l10n.t('Size');
		case 'md5':
			return 'MD5';
		case 'sha256':
			return 'SHA-256';
		case 'git':
			return vscode.l10n.t('Git commit');
		case 'firmwareUrl':
			return 'FirmwareUrl';
		case 'firmwareId':
			return 'FirmwareId';
		case 'version':
			return vscode.l10n.t('Version');
		case 'productKey':
			return 'ProductKey';
		case 'profile':
			return vscode.l10n.t('Profile');
		case 'error':
			return vscode.l10n.t('Error');
		case 'requestId':
			return 'RequestId';
	}
}

/** The upload history of this workspace, newest first, rendered from HistoryStore. */
export class UploadsTreeProvider implements vscode.TreeDataProvider<UploadsNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<UploadsNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly disposables: vscode.Disposable[] = [this.changed];
	private progressTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly history: HistoryStore,
		private readonly now: () => number = Date.now,
	) {
		this.disposables.push(
			history.onDidChange(() => this.rerender()),
			// Progress arrives per percent; re-render at most every 250 ms.
			history.onDidChangeProgress(() => {
				this.progressTimer ??= setTimeout(() => {
					this.progressTimer = undefined;
					this.rerender();
				}, PROGRESS_RENDER_MS);
			}),
		);
	}

	rerender(): void {
		this.changed.fire(undefined);
	}

	/** True while a row shows a "register within N min" countdown that must tick. */
	hasCountdown(): boolean {
		return this.history.all().some((entry) => registerWindow(entry, this.now()).state === 'open');
	}

	getChildren(node?: UploadsNode): UploadsNode[] {
		if (!node) {
			return this.history.all().map((entry) => new UploadNode(entry));
		}
		if (node.type === 'upload') {
			return detailFields(node.entry).map((field) => new UploadDetailNode(node.entry, field, detailValue(node.entry, field)));
		}
		return [];
	}

	getTreeItem(node: UploadsNode): vscode.TreeItem {
		return printableTreeItem(node.type === 'upload' ? this.uploadItem(node.entry) : this.detailItem(node));
	}

	dispose(): void {
		clearTimeout(this.progressTimer);
		vscode.Disposable.from(...this.disposables).dispose();
	}

	/** "Uploading 42%", "Uploaded · register within 12 min", "Registered · 1.2.0" … */
	describe(entry: HistoryEntry): string {
		const now = this.now();
		const locale = vscode.env.language;
		const parts = [statusLabel(entry.status)];
		if (entry.status === 'uploading') {
			const percent = progressPercent(this.history.progressOf(entry.id));
			if (percent !== undefined) {
				parts[0] = vscode.l10n.t('Uploading {0}%', percent);
			}
		}
		const window = registerWindow(entry, now);
		if (window.state === 'open') {
			parts.push(vscode.l10n.t('register within {0} min', window.minutesLeft));
		} else if (window.state === 'expired') {
			parts.push(vscode.l10n.t('registration window expired'));
		}
		if ((entry.status === 'registered' || entry.status === 'deleted') && entry.destVersion) {
			parts.push(entry.destVersion);
		}
		parts.push(formatRelativeTime(entry.finishedAt ?? entry.startedAt, now, locale));
		return parts.join(' · ');
	}

	private uploadItem(entry: HistoryEntry): vscode.TreeItem {
		const item = new vscode.TreeItem(entry.fileName, vscode.TreeItemCollapsibleState.Collapsed);
		item.id = `upload:${entry.id}`;
		item.contextValue = historyContextValue(entry, this.now());
		item.description = this.describe(entry);
		const icon = statusIcon(entry, this.now());
		item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
		item.tooltip = this.tooltip(entry);
		item.accessibilityInformation = { label: `${entry.fileName}, ${item.description}` };
		return item;
	}

	private detailItem(node: UploadDetailNode): vscode.TreeItem {
		const { entry, field, value } = node;
		const item = new vscode.TreeItem(fieldLabel(field), vscode.TreeItemCollapsibleState.None);
		item.id = `upload:${entry.id}:${field}`;
		item.contextValue = 'uploadDetail';
		item.tooltip = value;
		switch (field) {
			case 'status':
				item.description = this.describe(entry);
				break;
			case 'size':
				item.description = `${formatBytes(entry.size, vscode.env.language)} (${formatCount(entry.size, vscode.env.language)} B)`;
				break;
			case 'git':
				item.description = `${shortHash(value, 10)}${entry.gitDirty ? ` (${vscode.l10n.t('uncommitted changes')})` : ''}`;
				break;
			case 'firmwareId':
				item.description = value;
				if (entry.status === 'deleted') {
					break; // the package is gone: nothing to show
				}
				// The registered package: a click shows it in the OTA Packages view.
				item.command = { title: vscode.l10n.t('Show in OTA Packages'), command: Commands.revealPackage, arguments: [{ entry }] };
				break;
			default:
				item.description = value;
		}
		return item;
	}

	private tooltip(entry: HistoryEntry): vscode.MarkdownString {
		const locale = vscode.env.language;
		const md = new vscode.MarkdownString(undefined, true);
		const icon = statusIcon(entry, this.now());
		md.appendMarkdown(
			`$(${icon.id.replace('~spin', '')}) **${escapeMarkdown(entry.fileName)}** — ${escapeMarkdown(this.describe(entry))}\n\n`,
		);
		const rows: Array<[string, string | undefined]> = [
			[vscode.l10n.t('File'), entry.fileUri.startsWith('file:') ? vscode.Uri.parse(entry.fileUri).fsPath : entry.fileUri],
			[vscode.l10n.t('Size'), `${formatBytes(entry.size, locale)} (${formatCount(entry.size, locale)} B) · .${entry.suffix}`],
			['MD5', entry.md5],
			['SHA-256', entry.sha256],
			[
				vscode.l10n.t('Git commit'),
				entry.gitCommit ? `${entry.gitCommit}${entry.gitDirty ? ` (${vscode.l10n.t('uncommitted changes')})` : ''}` : undefined,
			],
			[vscode.l10n.t('Started'), formatDateTime(entry.startedAt, locale)],
			[vscode.l10n.t('Finished'), entry.finishedAt ? formatDateTime(entry.finishedAt, locale) : undefined],
			[vscode.l10n.t('Package deleted'), entry.deletedAt ? formatDateTime(entry.deletedAt, locale) : undefined],
			['FirmwareUrl', entry.firmwareUrl],
			['FirmwareId', entry.firmwareId],
			[vscode.l10n.t('Firmware name'), entry.firmwareName],
			[
				vscode.l10n.t('Version'),
				entry.type === 1 && entry.destVersion
					? vscode.l10n.t('{0} (delta package from {1})', entry.destVersion, entry.srcVersion ?? '?')
					: entry.destVersion,
			],
			['ProductKey', entry.productKey],
			['ModuleName', entry.moduleName],
			[vscode.l10n.t('Profile'), detailValue(entry, 'profile')],
			[vscode.l10n.t('Error'), entry.error],
			['RequestId', entry.requestId],
		];
		for (const [label, value] of rows) {
			if (value) {
				md.appendMarkdown(`**${escapeMarkdown(label)}:** ${escapeMarkdown(value)}  \n`);
			}
		}
		const window = registerWindow(entry, this.now());
		if (window.state === 'open') {
			md.appendMarkdown(
				`\n${escapeMarkdown(vscode.l10n.t('Register it with CreateOTAFirmware before {0}, or OSS deletes the file.', formatDateTime(window.deadline, locale)))}`,
			);
		} else if (window.state === 'expired') {
			md.appendMarkdown(
				`\n${escapeMarkdown(vscode.l10n.t('The registration window ({0}) ended at {1}; upload the file again to register it.', registerWindowText(vscode.l10n), formatDateTime(window.deadline, locale)))}`,
			);
		} else if (entry.status === 'deleted') {
			md.appendMarkdown(`\n${escapeMarkdown(vscode.l10n.t('Its OTA package was deleted; upload the file again to register it.'))}`);
		} else if (entry.status === 'interrupted') {
			md.appendMarkdown(
				`\n${escapeMarkdown(vscode.l10n.t('VS Code was reloaded or closed during this upload; upload the file again.'))}`,
			);
		}
		return md;
	}
}
