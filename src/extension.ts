import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
	// Placeholder until the extension UI lands.
}

export function deactivate(): void {
	// Nothing to release.
}
