import * as vscode from 'vscode';
import { printableTreeItem } from '../ui/printableTreeItem';
import { patternGlob } from '../firmwarePatternSetting';
import { CONFIG_SECTION } from '../constants';
import { Settings, SettingKeys } from '../settings';
import { WATCH_GLOB, type FirmwareKind } from './buildOutputRules';
import { discoverFirmware, type FirmwareFile } from './firmwareDiscovery';
import { escapeMarkdown, formatBytes, formatCount } from '../../core/format';
import type { ImageIdentities } from '../image/identityCache';
import { formatDateTime, formatRelativeTime } from './format';
import { presentImage } from './imagePresentation';

export class FirmwareFolderNode {
	readonly type = 'folder';
	constructor(
		readonly folder: vscode.WorkspaceFolder,
		readonly files: FirmwareFile[],
	) {}
}

/** contextValue `firmwareFile`; menus read `uri`. */
export class FirmwareFileNode {
	readonly type = 'file';
	constructor(readonly file: FirmwareFile) {}
	get uri(): vscode.Uri {
		return this.file.uri;
	}
}

export type FirmwareNode = FirmwareFolderNode | FirmwareFileNode;

const RESCAN_DEBOUNCE_MS = 400;

function kindLabel(kind: FirmwareKind): string {
	switch (kind) {
		case 'platformio':
			return 'PlatformIO';
		case 'esp-idf':
			return 'ESP-IDF';
		case 'zephyr':
			return 'Zephyr';
		case 'build':
			return vscode.l10n.t('Build folder');
		case 'custom':
			return vscode.l10n.t('Custom pattern');
	}
}

/**
 * Build outputs in every workspace folder. The first scan runs when the view first asks for its
 * children; later scans follow file-system and setting changes (debounced).
 */
export class FirmwareTreeProvider implements vscode.TreeDataProvider<FirmwareNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<FirmwareNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly disposables: vscode.Disposable[] = [this.changed];
	private scan: Promise<Map<string, FirmwareFile[]>> | undefined;
	private generation = 0;
	private rescanTimer: ReturnType<typeof setTimeout> | undefined;
	private readonly countChanged = new vscode.EventEmitter<number>();
	/** Fires after every scan with the number of files found. */
	readonly onDidChangeCount = this.countChanged.event;

	constructor(
		private readonly log: vscode.LogOutputChannel,
		private readonly settings: Settings,
		private readonly images: ImageIdentities,
	) {
		// Each image read in the background re-renders the rows (from the last scan; the reads are cached).
		this.disposables.push(
			this.countChanged,
			images.onDidRead(() => this.changed.fire(undefined)),
		);
		const watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
		this.disposables.push(
			watcher,
			watcher.onDidCreate(() => this.scheduleRescan()),
			watcher.onDidChange(() => this.scheduleRescan()),
			watcher.onDidDelete(() => this.scheduleRescan()),
			vscode.workspace.onDidChangeWorkspaceFolders(() => {
				this.watchUserGlobs();
				this.scheduleRescan();
			}),
			settings.onDidChange((event) => {
				if (Settings.affectsFirmwarePatterns(event)) {
					this.watchUserGlobs();
					this.scheduleRescan();
				}
				if (event.affectsConfiguration(`${CONFIG_SECTION}.${SettingKeys.imageVersionMarker}`)) {
					this.changed.fire(undefined); // the rows ask again: reads under another marker are queued
				}
			}),
			{ dispose: () => vscode.Disposable.from(...this.userGlobWatchers).dispose() },
		);
		this.watchUserGlobs();
	}

	/** Starts a new scan now (the Refresh command, setting changes). */
	rescan(): void {
		clearTimeout(this.rescanTimer);
		this.rescanTimer = undefined;
		this.scan = this.runScan();
		this.changed.fire(undefined);
	}

	/** Re-renders from the last scan (relative times), without touching the disk. */
	rerender(): void {
		this.changed.fire(undefined);
	}

	/** The files of the current (or a fresh) scan; tests and commands can await it. */
	async files(): Promise<FirmwareFile[]> {
		this.scan ??= this.runScan();
		return [...(await this.scan).values()].flat();
	}

	getTreeItem(node: FirmwareNode): vscode.TreeItem {
		return printableTreeItem(node.type === 'folder' ? this.folderItem(node) : this.fileItem(node.file));
	}

	async getChildren(node?: FirmwareNode): Promise<FirmwareNode[]> {
		if (node?.type === 'file') {
			return [];
		}
		if (node?.type === 'folder') {
			return node.files.map((file) => new FirmwareFileNode(file));
		}
		this.scan ??= this.runScan();
		const byFolder = await this.scan;
		const folders = vscode.workspace.workspaceFolders ?? [];
		if (folders.length <= 1) {
			return [...byFolder.values()].flat().map((file) => new FirmwareFileNode(file));
		}
		return folders
			.filter((f) => (byFolder.get(f.uri.toString()) ?? []).length > 0)
			.map((f) => new FirmwareFolderNode(f, byFolder.get(f.uri.toString()) ?? []));
	}

	dispose(): void {
		clearTimeout(this.rescanTimer);
		vscode.Disposable.from(...this.disposables).dispose();
	}

	private scheduleRescan(): void {
		if (!this.scan) {
			return; // Nobody looked yet: the first getChildren scans anyway.
		}
		clearTimeout(this.rescanTimer);
		this.rescanTimer = setTimeout(() => this.rescan(), RESCAN_DEBOUNCE_MS);
	}

	/** User patterns may point outside the built-in ones, so each folder's get a watcher of their own. */
	private userGlobWatchers: vscode.Disposable[] = [];
	private watchUserGlobs(): void {
		vscode.Disposable.from(...this.userGlobWatchers).dispose();
		const patterns = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) =>
			this.userGlobs(folder).map((glob) => new vscode.RelativePattern(folder, glob)),
		);
		this.userGlobWatchers = patterns.map((pattern) => {
			const watcher = vscode.workspace.createFileSystemWatcher(pattern);
			const rescan = () => this.scheduleRescan();
			return vscode.Disposable.from(watcher, watcher.onDidCreate(rescan), watcher.onDidChange(rescan), watcher.onDidDelete(rescan));
		});
	}

	/** The folder's iotOta.firmwarePatterns as globs relative to it. */
	private userGlobs(folder: vscode.WorkspaceFolder): string[] {
		return [...new Set(this.settings.firmwarePatterns(folder.uri).map(patternGlob))];
	}

	private async runScan(): Promise<Map<string, FirmwareFile[]>> {
		const generation = ++this.generation;
		const started = Date.now();
		const result = new Map<string, FirmwareFile[]>();
		for (const folder of vscode.workspace.workspaceFolders ?? []) {
			try {
				result.set(folder.uri.toString(), await discoverFirmware(folder, this.userGlobs(folder)));
			} catch (error) {
				this.log.warn(`[views] Firmware scan of ${folder.name} failed: ${error instanceof Error ? error.message : String(error)}`);
				result.set(folder.uri.toString(), []);
			}
		}
		const count = [...result.values()].reduce((sum, files) => sum + files.length, 0);
		if (generation === this.generation) {
			this.images.retain(new Set([...result.values()].flat().map((file) => file.uri.fsPath)));
			this.log.debug(`[views] Firmware scan found ${count} file(s) in ${Date.now() - started} ms.`);
			this.countChanged.fire(count);
		}
		return result;
	}

	private folderItem(node: FirmwareFolderNode): vscode.TreeItem {
		const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
		item.id = `firmwareFolder:${node.folder.uri.toString()}`;
		item.iconPath = new vscode.ThemeIcon('root-folder');
		item.description = String(node.files.length);
		item.contextValue = 'firmwareFolder';
		item.tooltip = node.folder.uri.fsPath;
		return item;
	}

	private fileItem(file: FirmwareFile): vscode.TreeItem {
		const locale = vscode.env.language;
		const name = file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1);
		const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
		item.id = `firmwareFile:${file.uri.toString()}`;
		// resourceUri gives menus `resourceFilename`/`resourceExtname` and the explorer's decorations.
		item.resourceUri = file.uri;
		item.iconPath = new vscode.ThemeIcon('file-binary');
		item.contextValue = 'firmwareFile';
		const origin = file.origin ? `${kindLabel(file.kind)} ${file.origin}` : kindLabel(file.kind);
		// The sidebar is narrow: the env/chip/app name (all PlatformIO outputs are called firmware.bin), then size and age.
		const shortOrigin = file.origin ?? (file.kind === 'zephyr' ? kindLabel(file.kind) : undefined);
		// What the image says about itself, once read in the background (never awaited here).
		const image =
			file.uri.scheme === 'file'
				? this.images.peekOrQueue({ path: file.uri.fsPath, mtime: file.mtime, ctime: file.ctime, size: file.size })
				: undefined;
		const shown = image ? presentImage(image) : undefined;
		item.iconPath = shown?.icon ?? item.iconPath;
		item.description = [shortOrigin, shown?.badge, formatBytes(file.size, locale), formatRelativeTime(file.mtime, Date.now(), locale)]
			.filter(Boolean)
			.join(' · ');
		const tooltip = new vscode.MarkdownString(undefined, true);
		tooltip.appendMarkdown(`$(file-binary) **${escapeMarkdown(name)}**\n\n`);
		tooltip.appendMarkdown(`${escapeMarkdown(file.uri.scheme === 'file' ? file.uri.fsPath : file.uri.toString())}\n\n`);
		tooltip.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Found by: {0}', origin))}  \n`);
		tooltip.appendMarkdown(
			`${escapeMarkdown(vscode.l10n.t('Size: {0} ({1} bytes)', formatBytes(file.size, locale), formatCount(file.size, locale)))}  \n`,
		);
		tooltip.appendMarkdown(escapeMarkdown(vscode.l10n.t('Modified: {0}', formatDateTime(file.mtime, locale))));
		if (shown) {
			tooltip.appendMarkdown(`\n\n${shown.tooltip.join('  \n')}`);
		}
		item.tooltip = tooltip;
		return item;
	}
}
