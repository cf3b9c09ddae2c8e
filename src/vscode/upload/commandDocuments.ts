// The documents Show Upload Commands opens: read-only text (a content provider of UPLOAD_COMMANDS_SCHEME), so closing
// one asks nothing. Registered at activation; it holds only what the command put in it.
import * as vscode from 'vscode';
import { printable } from '../../core/printable';
import { UPLOAD_COMMANDS_SCHEME } from '../constants';

export class UploadCommandDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly texts = new Map<string, string>();
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	readonly onDidChange = this.changed.event;
	private readonly registration = vscode.workspace.registerTextDocumentContentProvider(UPLOAD_COMMANDS_SCHEME, this);

	/** Shows the text as the document of these files (a shell script, for its highlighting); showing it again shows the new text. */
	async show(fileNames: readonly string[], text: string): Promise<vscode.TextEditor> {
		// The names as they are (a URI path encodes any character), but for what would garble or reorder the tab's title.
		const name = printable(fileNames.join(', '));
		const uri = vscode.Uri.from({ scheme: UPLOAD_COMMANDS_SCHEME, path: `/${vscode.l10n.t('Upload commands')} ${name}.sh` });
		this.texts.set(uri.toString(), text);
		this.changed.fire(uri);
		const document = await vscode.workspace.openTextDocument(uri);
		return vscode.window.showTextDocument(document, { preview: true });
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return (
			this.texts.get(uri.toString()) ??
			vscode.l10n.t('These upload commands are no longer available: run Show Upload Commands again.')
		);
	}

	dispose(): void {
		this.registration.dispose();
		this.changed.dispose();
		this.texts.clear();
	}
}
