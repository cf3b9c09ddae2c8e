import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import type { HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { formatDateTime } from '../views/format';
import { statusLabel } from '../views/uploadsTree';
import { entryFromArg } from './args';
import type { Services } from './services';

/** The entry a command was invoked on, or one picked from the history (palette use). */
export async function entryOrPick(
	s: Services,
	arg: unknown,
	accept: (entry: HistoryEntry) => boolean,
	title: string,
): Promise<HistoryEntry> {
	const given = entryFromArg(arg);
	if (given) {
		return s.history.get(given.id) ?? given;
	}
	const candidates = s.history.all().filter(accept);
	if (candidates.length === 0) {
		throw shellRefusal('NoUploads', 'no-uploads');
	}
	const items = candidates.map((entry) => ({
		label: entry.fileName,
		description: `${statusLabel(entry.status)} · ${formatDateTime(entry.finishedAt ?? entry.startedAt, vscode.env.language)}`,
		detail: entry.firmwareUrl,
		entry,
	}));
	const chosen = await s.prompter.pick(PromptIds.historyPick, items, { title, matchOnDescription: true, matchOnDetail: true });
	if (!chosen) {
		throw cancelledError('the upload selection');
	}
	return chosen.entry;
}
