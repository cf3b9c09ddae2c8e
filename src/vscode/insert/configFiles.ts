import * as vscode from 'vscode';
import { describeFormat, detectConfigFormat } from '../../core/configInsert';

const CONFIG_GLOB =
	'**/{*.json,*.jsonc,*.yaml,*.yml,*.toml,*.properties,*.ini,*.cfg,*.conf,*.h,*.hpp,sdkconfig,sdkconfig.*,.env,.env.*,*.env}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.pio,.vscode,.vscode-test,build,dist,out,managed_components}/**';
const LIKELY = /sdkconfig|config|ota|settings|\.env|platformio/i;

export interface ConfigFileItem extends vscode.QuickPickItem {
	uri: vscode.Uri;
}

/** Config files the insertion engine can edit, likeliest first (the active editor's file on top). */
export async function findConfigFiles(): Promise<ConfigFileItem[]> {
	const found = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE_GLOB, 500);
	const active = vscode.window.activeTextEditor?.document.uri.toString();
	const rank = (uri: vscode.Uri) => (uri.toString() === active ? 0 : LIKELY.test(uri.path.split('/').pop() ?? '') ? 1 : 2);
	return found
		.filter((uri) => detectConfigFormat(uri.path) !== undefined)
		.sort((a, b) => rank(a) - rank(b) || a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path))
		.map((uri) => {
			const format = detectConfigFormat(uri.path);
			return {
				label: uri.path.split('/').pop() ?? uri.path,
				description: vscode.workspace.asRelativePath(uri),
				detail: format ? describeFormat(format) : undefined,
				uri,
			};
		});
}
