// Entry of the extension's test build (out/test-extension/, made by test/harness/build-tests.mjs): the production
// composition with the scripted prompter instead of the real one and status-bar items a test can read, and
// activate() returning the test API. The production bundle (src/extension.ts → dist/) contains none of this;
// test/unit/build/extensionBundle.test.ts checks.
import type * as vscode from 'vscode';
import { composeExtension } from '../../src/extension';
import { SeamPrompter } from './seamPrompter';
import { StatusItemRecorder } from './statusItems';
import { testApiFor, type IotOtaTestApi } from './testApi';

export { deactivate } from '../../src/extension';

export function activate(context: vscode.ExtensionContext): IotOtaTestApi {
	const seam = new SeamPrompter();
	const statusItems = new StatusItemRecorder();
	return testApiFor(context, seam, statusItems, composeExtension(context, { prompter: seam, createStatusBarItem: statusItems.create }));
}
