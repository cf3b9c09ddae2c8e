import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';
import { effectivePatterns, LEGACY_PATTERN_SETTINGS } from './firmwarePatternSetting';
import { sandboxFleet, type SandboxFleetSettings } from './sandboxFleet';
import { clampNumber, integerSetting, UPLOAD_SETTING_LIMITS } from './settingValues';

/** Keys under the `iotOta` section; package.json `contributes.configuration` declares each one. */
export const SettingKeys = {
	region: 'region',
	endpoint: 'endpoint',
	iotInstanceId: 'iotInstanceId',
	suffixMode: 'suffixMode',
	insertTargets: 'insertTargets',
	firmwarePatterns: 'firmwarePatterns',
	statusBarShowWhenIdle: 'statusBar.showWhenIdle',
	statusBarResultSeconds: 'statusBar.resultSeconds',
	uploadTimeoutSeconds: 'upload.timeoutSeconds',
	uploadMaxAttempts: 'upload.maxAttempts',
	imageVersionMarker: 'image.versionMarker',
	watchPauseWhenUnfocusedMinutes: 'watch.pauseWhenUnfocusedMinutes',
} as const;

export type SuffixMode = 'ask' | 'alwaysInfer';

/** One `iotOta.insertTargets` row: `file` relative to the workspace folder, `path` the key path inside it. */
export interface InsertTarget {
	file: string;
	path: string;
}

/** Where a setting's effective value came from (the most specific scope that sets it). */
export type SettingOrigin = 'default' | 'user' | 'workspace' | 'folder';

export interface ScopedValue<T> {
	/** Value from user (global) settings. */
	user?: T;
	/** Value from workspace or folder settings: the part a cloned repository controls. */
	workspace?: T;
	workspaceOrigin?: 'workspace' | 'folder';
}

/**
 * Typed accessor over `iotOta.*`. Reads are live (no caching) so a changed setting applies to the next
 * command; `scope` selects the folder for resource-scoped settings in multi-root workspaces.
 */
export class Settings {
	constructor(
		// `null`, not undefined, for a window-level read: the same values, without VS Code logging "Accessing a resource
		// scoped configuration without providing a resource" for the resource-scoped connection settings.
		private readonly configuration: (scope?: vscode.ConfigurationScope) => vscode.WorkspaceConfiguration = (scope) =>
			vscode.workspace.getConfiguration(CONFIG_SECTION, scope ?? null),
	) {}

	private get<T>(key: string, fallback: T, scope?: vscode.ConfigurationScope): T {
		const value = this.configuration(scope).get<T>(key);
		return value === undefined || value === null ? fallback : value;
	}

	/** Explicitly set region (the folder's, with a scope), or undefined when only the default applies. */
	region(scope?: vscode.ConfigurationScope): string | undefined {
		const value = this.regionSetting(scope);
		return value.workspace ?? value.user;
	}

	/** Region by origin: unlike endpoint and instance id it is not restricted, so a workspace's value applies untrusted too. */
	regionSetting(scope?: vscode.ConfigurationScope): ScopedValue<string> {
		return this.scoped(SettingKeys.region, scope);
	}

	/**
	 * Endpoint and instance id are split by origin: workspace values need the user's consent (see workspaceTrust.ts).
	 * Region, endpoint and instance id are resource-scoped: with a file's URI as `scope`, its folder's settings apply.
	 */
	endpoint(scope?: vscode.ConfigurationScope): ScopedValue<string> {
		return this.scoped(SettingKeys.endpoint, scope);
	}

	iotInstanceId(scope?: vscode.ConfigurationScope): ScopedValue<string> {
		return this.scoped(SettingKeys.iotInstanceId, scope);
	}

	suffixMode(): SuffixMode {
		return this.get<string>(SettingKeys.suffixMode, 'ask') === 'alwaysInfer' ? 'alwaysInfer' : 'ask';
	}

	insertTargets(scope?: vscode.ConfigurationScope): InsertTarget[] {
		const raw = this.get<unknown>(SettingKeys.insertTargets, [], scope);
		if (!Array.isArray(raw)) {
			return [];
		}
		return raw.filter(
			(row): row is InsertTarget =>
				typeof row === 'object' &&
				row !== null &&
				typeof row.file === 'string' &&
				typeof row.path === 'string' &&
				row.file.trim() !== '' &&
				row.path.trim() !== '',
		);
	}

	/** Appends a target to the folder's settings (workspace settings when there is a single folder). */
	async rememberInsertTarget(folder: vscode.WorkspaceFolder, target: InsertTarget): Promise<void> {
		const config = this.configuration(folder.uri);
		const inspected = config.inspect<InsertTarget[]>(SettingKeys.insertTargets);
		const current = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? [];
		if (current.some((row) => row.file === target.file && row.path === target.path)) {
			return;
		}
		await config.update(SettingKeys.insertTargets, [...current, target], vscode.ConfigurationTarget.WorkspaceFolder);
	}

	/**
	 * iotOta.firmwarePatterns for a folder (or the window), plus what the settings it replaced still hold. Unlike other
	 * lists, the values of user, workspace and folder settings add up: each scope adds patterns, none hides another's
	 * (as the two replaced settings, set at different scopes, both applied).
	 */
	firmwarePatterns(scope?: vscode.ConfigurationScope): string[] {
		const config = this.configuration(scope);
		const allScopes = (key: string): unknown[] => {
			const inspected = config.inspect<unknown>(key);
			return [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].flatMap((value) =>
				Array.isArray(value) ? value : [],
			);
		};
		const legacy = Object.fromEntries(LEGACY_PATTERN_SETTINGS.map(({ key }) => [key, allScopes(key)]));
		return effectivePatterns(allScopes(SettingKeys.firmwarePatterns), legacy);
	}

	/** Whether a change touches the firmware patterns (the setting or one it replaced). */
	static affectsFirmwarePatterns(event: vscode.ConfigurationChangeEvent): boolean {
		return [SettingKeys.firmwarePatterns, ...LEGACY_PATTERN_SETTINGS.map(({ key }) => key)].some((key) =>
			event.affectsConfiguration(`${CONFIG_SECTION}.${key}`),
		);
	}

	/** Whether a change touches how the account is reached (region, endpoint, instance): connections are made anew. */
	static affectsConnections(event: vscode.ConfigurationChangeEvent): boolean {
		return [SettingKeys.region, SettingKeys.endpoint, SettingKeys.iotInstanceId].some((key) =>
			event.affectsConfiguration(`${CONFIG_SECTION}.${key}`),
		);
	}

	statusBarShowWhenIdle(): boolean {
		return this.get<boolean>(SettingKeys.statusBarShowWhenIdle, false) === true;
	}

	/** Seconds the result stays in the status bar; 0 keeps it until the next upload. */
	statusBarResultSeconds(): number {
		return clampNumber(this.get<number>(SettingKeys.statusBarResultSeconds, 10), 0, 3600, 10);
	}

	/** Whole seconds: a fraction is rounded down, as for every integer setting. */
	uploadTimeoutMs(): number {
		const { timeoutSeconds } = UPLOAD_SETTING_LIMITS;
		return integerSetting(this.get<number>(SettingKeys.uploadTimeoutSeconds, timeoutSeconds.fallback), timeoutSeconds) * 1000;
	}

	uploadMaxAttempts(): number {
		const { maxAttempts } = UPLOAD_SETTING_LIMITS;
		return integerSetting(this.get<number>(SettingKeys.uploadMaxAttempts, maxAttempts.fallback), maxAttempts);
	}

	/**
	 * iotOta.image.versionMarker: off (undefined) unless set to a non-empty pattern. A workspace's value only in a
	 * trusted workspace: a cloned repository must not run its own regular expression over every firmware file.
	 */
	versionMarker(trusted = vscode.workspace.isTrusted): string | undefined {
		const pattern = trusted
			? this.get<unknown>(SettingKeys.imageVersionMarker, '')
			: this.configuration().inspect<unknown>(SettingKeys.imageVersionMarker)?.globalValue;
		return typeof pattern === 'string' && pattern.trim() !== '' ? pattern : undefined;
	}

	/** Watches stop polling once the window has been unfocused this long (0: never); they go on when it is focused again. */
	watchPauseWhenUnfocusedMs(): number {
		return clampNumber(this.get<number>(SettingKeys.watchPauseWhenUnfocusedMinutes, 5), 0, 24 * 60, 5) * 60_000;
	}

	/** iotOta.sandbox.*: a workspace's values only in a trusted workspace. */
	sandboxFleet(trusted: boolean): SandboxFleetSettings {
		return sandboxFleet((key) => this.configuration().inspect(key), trusted);
	}

	/** Fires when any `iotOta.*` setting changes. */
	onDidChange(listener: (event: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
		return vscode.workspace.onDidChangeConfiguration((event) => {
			if (event.affectsConfiguration(CONFIG_SECTION)) {
				listener(event);
			}
		});
	}

	private scoped(key: string, scope?: vscode.ConfigurationScope): ScopedValue<string> {
		const inspected = this.configuration(scope).inspect<string>(key);
		const clean = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
		const folder = clean(inspected?.workspaceFolderValue);
		const workspace = clean(inspected?.workspaceValue);
		return {
			user: clean(inspected?.globalValue),
			workspace: folder ?? workspace,
			workspaceOrigin: folder ? 'folder' : workspace ? 'workspace' : undefined,
		};
	}
}
