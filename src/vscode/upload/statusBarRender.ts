// Pure status-bar renderer (vscode is imported for its types only): state in → text, tooltip, command out.
import type * as vscode from 'vscode';
import { escapeMarkdown as md, formatBytes, markdownCode, formatCount, formatDuration, formatRate, percentOf } from '../../core/format';
import { plainL10n, type ProgressSnapshot } from './progressFormat';

export type StatusState =
	| { kind: 'idle' }
	| ({ kind: 'uploading'; fileName: string } & ProgressSnapshot)
	| {
			kind: 'done';
			fileName: string;
			firmwareUrl: string;
			size: number;
			md5: string;
			durationMs: number;
			finishedAt: number;
			/** Passed to the tooltip's command links so they act on this upload ({ id, fileUri, status } of the history entry). */
			entryRef?: { id: string; fileUri: string; status: string };
	  }
	| { kind: 'failed'; fileName: string; message: string; finishedAt: number }
	| { kind: 'cancelled'; fileName: string; finishedAt: number };

export interface StatusCommandIds {
	upload: string;
	showProgress: string;
	showResult: string;
	insert: string;
	copy: string;
	showLog: string;
}

export interface StatusView {
	visible: boolean;
	text: string;
	/** Markdown; may contain `command:` links to the ids in StatusCommandIds. */
	tooltip: string;
	command?: string;
	background?: 'error' | 'warning';
}

const HIDDEN: StatusView = { visible: false, text: '', tooltip: '' };

/** Keeps a file name short enough for the status bar ("very-long-firm…ware.bin"). */
export function shortName(fileName: string, max = 28): string {
	if (fileName.length <= max) {
		return fileName;
	}
	const tail = Math.floor((max - 1) / 2);
	return `${fileName.slice(0, max - 1 - tail)}…${fileName.slice(-tail)}`;
}

export function renderStatus(
	state: StatusState,
	opts: { showWhenIdle: boolean; commands: StatusCommandIds },
	l10n: Pick<typeof vscode.l10n, 't'> = plainL10n,
): StatusView {
	const c = opts.commands;
	switch (state.kind) {
		case 'idle':
			return opts.showWhenIdle
				? {
						visible: true,
						text: `$(cloud-upload) ${l10n.t('IoT OTA')}`,
						tooltip: l10n.t('Upload a firmware file to Alibaba Cloud IoT Platform'),
						command: c.upload,
					}
				: HIDDEN;
		case 'uploading': {
			const name = shortName(state.fileName);
			const tooltip = `${l10n.t('Uploading {0}', md(state.fileName))}\n\n[${l10n.t('Show progress or cancel')}](command:${c.showProgress})`;
			if (state.phase === 'ticket') {
				return { visible: true, text: `$(sync~spin) ${name} · ${l10n.t('ticket')}`, tooltip, command: c.showProgress };
			}
			const percent = percentOf(state.bytesSent, state.totalBytes);
			const retry = state.phase === 'retrying' ? ` · ${l10n.t('retry {0}', state.attempt)}` : '';
			return {
				visible: true,
				text: `$(cloud-upload) ${percent}% ${name} · ${formatRate(state.bytesPerSecond)}${retry}`,
				tooltip,
				command: c.showProgress,
			};
		}
		case 'done': {
			const args = state.entryRef
				? `?${encodeURIComponent(JSON.stringify([state.entryRef]))
						.replace(/\(/g, '%28')
						.replace(/\)/g, '%29')}`
				: '';
			const lines = [
				`**${l10n.t('Uploaded {0}', md(state.fileName))}**`,
				'',
				`${l10n.t('FirmwareUrl')}: ${markdownCode(state.firmwareUrl)}`,
				'',
				`${l10n.t('Size')}: ${formatBytes(state.size)} (${formatCount(state.size)} B) · MD5: ${markdownCode(state.md5)}`,
				'',
				`${l10n.t('Time')}: ${formatDuration(state.durationMs)} · ${new Date(state.finishedAt).toLocaleTimeString()}`,
				'',
				`[${l10n.t('Insert into Config')}](command:${c.insert}${args}) · [${l10n.t('Copy URL')}](command:${c.copy}${args})`,
			];
			return { visible: true, text: `$(check) ${shortName(state.fileName)}`, tooltip: lines.join('\n'), command: c.showResult };
		}
		case 'failed':
			return {
				visible: true,
				text: `$(error) ${shortName(state.fileName)}`,
				tooltip: `**${l10n.t('Upload of {0} failed', md(state.fileName))}**\n\n${md(state.message)}\n\n[${l10n.t('Show Log')}](command:${c.showLog})`,
				command: c.showLog,
				background: 'error',
			};
		case 'cancelled':
			return {
				visible: true,
				text: `$(circle-slash) ${shortName(state.fileName)}`,
				tooltip: l10n.t('Upload of {0} cancelled', md(state.fileName)),
				command: c.showResult,
			};
	}
}
