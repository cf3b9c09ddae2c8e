// Shared by the views suites (views, viewsUploads): the extension's views, with the IoT OTA container shown.
import * as vscode from 'vscode';
import type { ViewsHandle } from '../../../src/vscode/views/index';
import { extensionApi } from './ota';

/** The extension's views once the IoT OTA container is shown, as a user opens it from the activity bar. */
export async function openViews(): Promise<ViewsHandle> {
	const { views } = await extensionApi();
	await vscode.commands.executeCommand('workbench.view.extension.iotOta');
	return views;
}
