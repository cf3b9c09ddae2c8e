import * as vscode from 'vscode';
import type { ContextKeys } from './constants';

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

/** The one place that sets a `when`-clause context key (lint forbids calling the `setContext` command elsewhere). */
export function setContext(key: ContextKey, value: unknown): Thenable<unknown> {
	return vscode.commands.executeCommand('setContext', key, value);
}
