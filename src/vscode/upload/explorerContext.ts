import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import { explorerPatterns } from '../firmwarePatternSetting';
import { setContext } from '../setContext';
import { Settings } from '../settings';

const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_NAMES = 2000;

/**
 * Mirrors iotOta.firmwarePatterns into context keys for the explorer menu's `when` clause (which cannot read
 * settings): extensions go to a list for `resourceExtname in …`; other patterns are resolved, per workspace folder, to
 * file names (kept fresh by a watcher) for `resourceFilename in …`.
 */
export class FirmwarePatternContext implements vscode.Disposable {
	private readonly disposables: vscode.Disposable[] = [];
	private watchers: vscode.Disposable[] = [];
	private timer: NodeJS.Timeout | undefined;
	private values = { extnames: [] as string[], names: [] as string[] };

	constructor(private readonly settings: Settings) {
		this.disposables.push(
			settings.onDidChange((event) => {
				if (Settings.affectsFirmwarePatterns(event)) {
					this.schedule();
				}
			}),
			vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()),
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
		const folders = vscode.workspace.workspaceFolders ?? [];
		const perFolder = folders.map((folder) => ({ folder, ...explorerPatterns(this.settings.firmwarePatterns(folder.uri)) }));
		const extnames = [...new Set(perFolder.flatMap((p) => p.extnames))];
		await setContext(ContextKeys.extraFirmwareExtnames, extnames);
		this.values = { extnames, names: [] };
		this.watchers.forEach((w) => w.dispose());
		this.watchers = [];
		const searches = perFolder
			.filter((p) => p.globs.length > 0)
			.map(({ folder, globs }) => new vscode.RelativePattern(folder, globs.length === 1 ? globs[0] : `{${globs.join(',')}}`));
		if (searches.length === 0) {
			await setContext(ContextKeys.extraFirmwareNames, []);
			return;
		}
		const found = (await Promise.all(searches.map((pattern) => vscode.workspace.findFiles(pattern, EXCLUDE, MAX_NAMES)))).flat();
		const names = [...new Set(found.map((uri) => uri.path.split('/').pop() ?? ''))].filter(Boolean);
		await setContext(ContextKeys.extraFirmwareNames, names);
		this.values = { extnames, names };
		for (const pattern of searches) {
			const watcher = vscode.workspace.createFileSystemWatcher(pattern, false, true, false);
			watcher.onDidCreate(() => this.schedule());
			watcher.onDidDelete(() => this.schedule());
			this.watchers.push(watcher);
		}
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.watchers.forEach((w) => w.dispose());
		this.disposables.forEach((d) => d.dispose());
	}
}
