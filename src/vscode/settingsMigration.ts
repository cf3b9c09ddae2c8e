import * as vscode from 'vscode';
import { CONFIG_SECTION, StateKeys } from './constants';
import {
	LEGACY_PATTERN_SETTINGS,
	migrationConsent,
	migrationScopes,
	planScopeMigration,
	type LegacyPatternKey,
	type ScopeMigration,
} from './firmwarePatternSetting';
import { SettingKeys } from './settings';
import { PromptIds, type Prompter } from './ui/prompter';

type Inspected = ReturnType<vscode.WorkspaceConfiguration['inspect']>;

interface Scope {
	kind: 'user' | 'workspace' | 'folder';
	/** For the log. */
	label: string;
	/** For the question. */
	title: string;
	target: vscode.ConfigurationTarget;
	config: vscode.WorkspaceConfiguration;
	valueOf: (inspected: Inspected) => unknown;
}

/** A scope with old values to move. */
interface Planned {
	scope: Scope;
	plan: ScopeMigration;
	legacy: Partial<Record<LegacyPatternKey, unknown>>;
}

export interface MigrationDeps {
	log: vscode.LogOutputChannel;
	prompter: Prompter;
	/** workspaceState: which old workspace values the user chose to keep (not asked about again). */
	state: vscode.Memento;
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
		kind: scope.kind,
		label: scope.kind === 'folder' ? `settings of folder ${scope.folder.name}` : `${scope.kind} settings`,
		title:
			scope.kind === 'folder'
				? vscode.l10n.t('settings of folder {0}', scope.folder.name)
				: scope.kind === 'workspace'
					? vscode.l10n.t('workspace settings')
					: vscode.l10n.t('user settings'),
		config: vscode.workspace.getConfiguration(CONFIG_SECTION, scope.kind === 'folder' ? scope.folder.uri : undefined),
		...AT[scope.kind],
	}));
}

function planned(): Planned[] {
	return scopes().flatMap((scope) => {
		const legacy: Partial<Record<LegacyPatternKey, unknown>> = Object.fromEntries(
			LEGACY_PATTERN_SETTINGS.map(({ key }) => [key, scope.valueOf(scope.config.inspect(key))]),
		);
		const plan = planScopeMigration({ current: scope.valueOf(scope.config.inspect(SettingKeys.firmwarePatterns)), legacy });
		return plan ? [{ scope, plan, legacy }] : [];
	});
}

async function apply(items: readonly Planned[], log: vscode.LogOutputChannel): Promise<void> {
	for (const { scope, plan } of items) {
		try {
			await scope.config.update(SettingKeys.firmwarePatterns, plan.patterns, scope.target);
			for (const key of plan.remove) {
				await scope.config.update(key, undefined, scope.target);
			}
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
}

/** One question per set of old workspace values: "Move" writes, "Keep Them" is remembered, a dismissal asks next time. */
async function askToMove(deps: MigrationDeps, items: readonly Planned[], asked: Set<string>): Promise<boolean> {
	const values = JSON.stringify(items.map(({ scope, legacy }) => [scope.label, legacy]));
	if (asked.has(values) || deps.state.get<string>(StateKeys.patternMoveDeclined) === values) {
		return false;
	}
	asked.add(values);
	const where = items.flatMap(({ scope, plan }) => plan.remove.map((key) => `${CONFIG_SECTION}.${key} (${scope.title})`)).join(', ');
	const move = vscode.l10n.t('Move');
	const keep = vscode.l10n.t('Keep Them');
	const choice = await deps.prompter.message(
		PromptIds.movePatterns,
		'info',
		vscode.l10n.t(
			'This workspace sets {0}, replaced by {1}. Move the values there? Until then they keep applying.',
			where,
			`${CONFIG_SECTION}.${SettingKeys.firmwarePatterns}`,
		),
		{},
		move,
		keep,
	);
	if (choice === keep) {
		await deps.state.update(StateKeys.patternMoveDeclined, values);
		deps.log.info(`[settings] Keeping ${where} where they are, as asked.`);
	}
	return choice === move;
}

/**
 * Moves iotOta.extraFirmwarePatterns and iotOta.firmwareGlobs into iotOta.firmwarePatterns at each scope they are set
 * in (docs/extension.md): user settings at once; workspace and folder settings (files of the repository) only in a
 * trusted workspace and after asking. A write that fails is logged and retried next time; meanwhile, and for values
 * left where they are, Settings.firmwarePatterns() still reads the old keys, so nothing the user set stops working.
 * Migrates now, whenever an old key is set again (a pasted setting, a workspace opened later) and once trust is granted.
 */
export function watchLegacyPatternSettings(deps: MigrationDeps): vscode.Disposable {
	const asked = new Set<string>();
	let running = Promise.resolve();
	// One migration at a time; a question left open (a notification nobody answers) holds none of them up.
	const enqueue = (work: () => Promise<unknown>) => {
		running = running.then(work).then(
			() => undefined,
			(error: unknown) => {
				deps.log.warn(`[settings] Firmware pattern migration failed: ${error instanceof Error ? error.message : String(error)}`);
			},
		);
	};
	const withConsent = (consent: ReturnType<typeof migrationConsent>) =>
		planned().filter(({ scope }) => migrationConsent(scope.kind, vscode.workspace.isTrusted) === consent);
	const migrate = () =>
		enqueue(async () => {
			await apply(withConsent('move'), deps.log);
			const repository = withConsent('ask');
			if (repository.length > 0) {
				void askToMove(deps, repository, asked).then(
					(move) => move && enqueue(() => apply(withConsent('ask'), deps.log)),
					(error: unknown) => deps.log.warn(`[settings] Could not ask about the old firmware pattern settings: ${String(error)}`),
				);
			}
		});
	migrate();
	return vscode.Disposable.from(
		vscode.workspace.onDidChangeConfiguration((event) => {
			if (LEGACY_PATTERN_SETTINGS.some(({ key }) => event.affectsConfiguration(`${CONFIG_SECTION}.${key}`))) {
				migrate();
			}
		}),
		vscode.workspace.onDidChangeWorkspaceFolders(migrate),
		vscode.workspace.onDidGrantWorkspaceTrust(migrate),
	);
}
