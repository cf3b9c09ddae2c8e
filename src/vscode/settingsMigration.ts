import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';
import { LEGACY_PATTERN_SETTINGS, migrationScopes, planScopeMigration, type LegacyPatternKey } from './firmwarePatternSetting';
import { SettingKeys } from './settings';

type Inspected = ReturnType<vscode.WorkspaceConfiguration['inspect']>;

interface Scope {
	label: string;
	target: vscode.ConfigurationTarget;
	config: vscode.WorkspaceConfiguration;
	valueOf: (inspected: Inspected) => unknown;
}

/** Per kind of scope: where an update writes and which of inspect()'s values it reads. */
const AT = {
	user: { target: vscode.ConfigurationTarget.Global, valueOf: (i: Inspected) => i?.globalValue },
	workspace: { target: vscode.ConfigurationTarget.Workspace, valueOf: (i: Inspected) => i?.workspaceValue },
	folder: { target: vscode.ConfigurationTarget.WorkspaceFolder, valueOf: (i: Inspected) => i?.workspaceFolderValue },
};

/** Where each scope's values are read and written. */
function scopes(): Scope[] {
	const folders = vscode.workspace.workspaceFolders ?? [];
	return migrationScopes(folders, vscode.workspace.workspaceFile !== undefined).map((scope) => ({
		label: scope.kind === 'folder' ? `settings of folder ${scope.folder.name}` : `${scope.kind} settings`,
		config: vscode.workspace.getConfiguration(CONFIG_SECTION, scope.kind === 'folder' ? scope.folder.uri : undefined),
		...AT[scope.kind],
	}));
}

/**
 * Moves iotOta.extraFirmwarePatterns and iotOta.firmwareGlobs into iotOta.firmwarePatterns at each scope they are set
 * in (docs/extension.md). A write that fails is logged and retried next time; meanwhile Settings.firmwarePatterns()
 * still reads the old values, so nothing the user set stops working. Resolves with the number of scopes moved.
 */
export async function migrateFirmwarePatternSettings(log: vscode.LogOutputChannel): Promise<number> {
	let moved = 0;
	for (const scope of scopes()) {
		const legacy: Partial<Record<LegacyPatternKey, unknown>> = Object.fromEntries(
			LEGACY_PATTERN_SETTINGS.map(({ key }) => [key, scope.valueOf(scope.config.inspect(key))]),
		);
		const plan = planScopeMigration({ current: scope.valueOf(scope.config.inspect(SettingKeys.firmwarePatterns)), legacy });
		if (!plan) {
			continue;
		}
		try {
			await scope.config.update(SettingKeys.firmwarePatterns, plan.patterns, scope.target);
			for (const key of plan.remove) {
				await scope.config.update(key, undefined, scope.target);
			}
			moved++;
			const from = plan.remove.map((key) => `${CONFIG_SECTION}.${key}`).join(' and ');
			log.info(
				`[settings] Moved ${from} (${scope.label}) into ${CONFIG_SECTION}.${SettingKeys.firmwarePatterns}` +
					`${plan.added.length > 0 ? `: added ${plan.added.join(', ')}` : ' (nothing new to add)'}.`,
			);
		} catch (error) {
			log.warn(
				`[settings] Could not move the old firmware pattern settings in ${scope.label} (they still apply): ${error instanceof Error ? error.message : String(error)}`,
			);
		}
	}
	return moved;
}

/** Migrates now and whenever an old key is set again (a pasted setting, a workspace opened later). */
export function watchLegacyPatternSettings(log: vscode.LogOutputChannel): vscode.Disposable {
	let running = Promise.resolve(0);
	const migrate = () => {
		running = running
			.then(() => migrateFirmwarePatternSettings(log))
			.catch((error: unknown) => {
				log.warn(`[settings] Firmware pattern migration failed: ${error instanceof Error ? error.message : String(error)}`);
				return 0;
			});
	};
	migrate();
	return vscode.Disposable.from(
		vscode.workspace.onDidChangeConfiguration((event) => {
			if (LEGACY_PATTERN_SETTINGS.some(({ key }) => event.affectsConfiguration(`${CONFIG_SECTION}.${key}`))) {
				migrate();
			}
		}),
		vscode.workspace.onDidChangeWorkspaceFolders(migrate),
	);
}
