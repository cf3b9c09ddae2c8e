import * as vscode from 'vscode';
import type { HistoryEntry, ProfileRecord } from '../model';

// Commands are invoked with no argument (palette), a Uri (explorer), a HistoryEntry, or a tree item
// carrying `uri` / `resourceUri` / `entry` / `profile`. These helpers read whichever was given.

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

export function isHistoryEntry(value: unknown): value is HistoryEntry {
	return isObject(value) && typeof value.id === 'string' && typeof value.fileUri === 'string' && typeof value.status === 'string';
}

export function entryFromArg(arg: unknown): HistoryEntry | undefined {
	if (isHistoryEntry(arg)) {
		return arg;
	}
	return isObject(arg) && isHistoryEntry(arg.entry) ? arg.entry : undefined;
}

export function uriFromArg(arg: unknown): vscode.Uri | undefined {
	if (arg instanceof vscode.Uri) {
		return arg;
	}
	if (!isObject(arg)) {
		return undefined;
	}
	for (const key of ['uri', 'resourceUri'] as const) {
		if (arg[key] instanceof vscode.Uri) {
			return arg[key] as vscode.Uri;
		}
	}
	const entry = entryFromArg(arg);
	return entry ? vscode.Uri.parse(entry.fileUri) : undefined;
}

/** The resources of the Explorer's (or a view's) selection, the second argument of a command run on several. */
export function urisFromSelection(selection: unknown): vscode.Uri[] {
	return Array.isArray(selection) ? selection.filter((item): item is vscode.Uri => item instanceof vscode.Uri) : [];
}

export function profileFromArg(arg: unknown): ProfileRecord | undefined {
	const candidate = isObject(arg) && isObject(arg.profile) ? arg.profile : arg;
	return isObject(candidate) && typeof candidate.name === 'string' && typeof candidate.accessKeyId === 'string'
		? (candidate as unknown as ProfileRecord)
		: undefined;
}
