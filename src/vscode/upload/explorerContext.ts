import * as vscode from 'vscode';
import { CONFIG_SECTION, ContextKeys } from '../constants';
import type { Settings } from '../settings';
import { SettingKeys } from '../settings';
import { splitFirmwarePatterns } from './firmwarePatterns';
import { setContext } from '../setContext';

const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_NAMES = 2000;

/**
 * Mirrors iotOta.extraFirmwarePatterns into context keys for the explorer menu's `when` clause
 * (which cannot read settings): extensions go to a list for `resourceExtname in …`; other globs are
 * resolved to file names (kept fresh by a watcher) for `resourceFilename in …`.
 */
export class FirmwarePatternContext implements vscode.Disposable {
	private readonly disposables: vscode.Disposable[] = [];
	private watchers: vscode.Disposable[] = [];
	private timer: NodeJS.Timeout | undefined;
	private values = { extnames: [] as string[], names: [] as string[] };

	constructor(private readonly settings: Settings) {
		this.disposables.push(
			settings.onDidChange((event) => {
				if (event.affectsConfiguration(`${CONFIG_SECTION}.${SettingKeys.extraFirmwarePatterns}`)) {
					this.schedule();
				}
			}),
		);
		this.schedule();
	}

	/** What the context keys were last set to. */
	get current(): { extnames: string[]; names: string[] } {
		return { extnames: [...this.values.extnames], names: [...this.values.names] };
	}

	private schedule(): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.update(), 300);
	}

	private async update(): Promise<void> {
		const { extnames, globs } = splitFirmwarePatterns(this.settings.extraFirmwarePatterns());
		await setContext(ContextKeys.extraFirmwareExtnames, extnames);
		this.values = { extnames, names: [] };
		this.watchers.forEach((w) => w.dispose());
		this.watchers = [];
		if (globs.length === 0) {
			await setContext(ContextKeys.extraFirmwareNames, []);
			return;
		}
		const pattern = globs.length === 1 ? globs[0] : `{${globs.join(',')}}`;
		const found = await vscode.workspace.findFiles(pattern, EXCLUDE, MAX_NAMES);
		const names = [...new Set(found.map((uri) => uri.path.split('/').pop() ?? ''))].filter(Boolean);
		await setContext(ContextKeys.extraFirmwareNames, names);
		this.values = { extnames, names };
		const watcher = vscode.workspace.createFileSystemWatcher(pattern, false, true, false);
		watcher.onDidCreate(() => this.schedule());
		watcher.onDidDelete(() => this.schedule());
		this.watchers.push(watcher);
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.watchers.forEach((w) => w.dispose());
		this.disposables.forEach((d) => d.dispose());
	}
}
