import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { toOtaError, type OtaError } from '../../core/errors';
import type { Services } from '../commands/services';
import { shellRefusal } from '../errorWordingsShell';
import type { Account } from '../credentials/client';
import type { ProfileChange } from '../credentials/profileStore';
import { OUTSIDE_FOLDERS } from '../model';
import type { OtaAccess, OtaConnection, OtaPlace } from './contract';

/** What drops every connection: the settings of how the account is reached (region, endpoint, instance), the sandbox. */
export interface AccessResets {
	settings?: (listener: () => void) => vscode.Disposable;
	/** The sandbox started or stopped. */
	sandbox?: (listener: () => void) => vscode.Disposable;
	/**
	 * The workspace became trusted: its (and its folders') endpoint and instance settings, ignored until then, now count, so
	 * connections and the OTA Packages view's rows are made anew, as after a change of those settings.
	 */
	trust?: (listener: () => void) => vscode.Disposable;
	/** The user declined a workspace endpoint: the OTA Packages view's rows show the one calls use now. */
	declined?: (listener: () => void) => { dispose(): void };
}

/**
 * The one way OTA commands, views and watches reach the core lifecycle: through the same requireAccount /
 * createIotClient as uploads (sandbox restart, endpoint trust rules, the AccessKeyId's shared QPS limiters). A
 * connection is kept per profile while the profile's record and secrets stay what it was made from (switching the
 * active profile keeps every connection), and until the settings or the sandbox change, so a view refresh does not
 * log a new connection each time. A profile that is removed or replaced loses its connection at once, and after a
 * change of those settings every profile is told changed (its watches reconnect at once). The core
 * (pop-core) is loaded on the first use, never at activation.
 */
export class OtaAccessService implements OtaAccess, vscode.Disposable {
	private readonly connections = new Map<string, { account: string; connection: Promise<OtaConnection> }>();
	private readonly emitter = new vscode.EventEmitter<void>();
	private readonly profileEmitter = new vscode.EventEmitter<string>();
	readonly onDidChange = this.emitter.event;
	readonly onDidChangeProfile = this.profileEmitter.event;
	private readonly subscriptions: vscode.Disposable[];

	/**
	 * `resets`: the events after which every connection is made anew (after a change of the settings that shape a
	 * connection, every profile is also told changed, so its watches poll on with a new one at once); `profiles`: the
	 * profile store's.
	 */
	constructor(
		private readonly services: () => Services,
		resets: AccessResets,
		profiles: vscode.Event<ProfileChange>,
	) {
		const reset = () => {
			this.connections.clear();
			this.emitter.fire();
		};
		const reconnect = () => {
			reset();
			for (const { name } of this.services().profiles.list()) {
				this.profileEmitter.fire(name);
			}
		};
		this.subscriptions = [
			...(resets.settings ? [resets.settings(reconnect)] : []),
			...(resets.trust ? [resets.trust(reconnect)] : []),
			...(resets.sandbox ? [resets.sandbox(reset)] : []),
			...(resets.declined ? [resets.declined(reset)] : []),
			profiles((change) => {
				this.emitter.fire();
				const { profile } = change;
				if (profile !== undefined) {
					// SecretStorage can fail (no keyring): say so in the log rather than leave the rejection unhandled.
					void this.profileChanged(profile).catch((error: unknown) => {
						const { log, mask } = this.services();
						log.warn(
							`Reading profile "${profile}" after it changed failed: ${mask.apply(toOtaError(error, mask.list()).describe())}`,
						);
					});
				}
			}),
			this.emitter,
			this.profileEmitter,
		];
	}

	async connect(): Promise<OtaConnection> {
		const s = this.services();
		const { requireAccount } = await import('../credentials/client.js');
		return this.open(await requireAccount(s));
	}

	async connectAt({ profile, scope, folder }: OtaPlace): Promise<OtaConnection> {
		const file = scope === undefined ? undefined : vscode.Uri.parse(scope);
		// The Local sandbox profile is self-contained (workspaceTrust.ts connectionChoice): no folder setting moves it.
		if (this.services().profiles.get(profile)?.kind !== 'sandbox') {
			assertFolderOpen({ profile, scope, folder });
		}
		const account = await this.account(profile);
		if (!account) {
			throw noCredentials(profile);
		}
		this.services().mask.add(account.credentials.accessKeySecret, account.credentials.securityToken);
		return file === undefined ? this.open(account) : this.make(account, file);
	}

	async current(): Promise<OtaConnection | undefined> {
		const active = this.services().profiles.active();
		return active ? this.forProfile(active.name) : undefined;
	}

	async forProfile(name: string): Promise<OtaConnection | undefined> {
		const account = await this.account(name);
		if (!account) {
			this.connections.delete(name);
			return undefined;
		}
		this.services().mask.add(account.credentials.accessKeySecret, account.credentials.securityToken);
		return this.open(account);
	}

	async hasCredentials(name: string): Promise<boolean> {
		return (await this.account(name)) !== undefined;
	}

	/** A profile's record or secrets changed: its connection goes unless they are still what it was made from. */
	private async profileChanged(name: string): Promise<void> {
		const cached = this.connections.get(name);
		const account = cached && (await this.account(name));
		if (cached && this.connections.get(name) === cached && (!account || accountKey(account) !== cached.account)) {
			this.connections.delete(name);
		}
		this.profileEmitter.fire(name);
	}

	private async account(name: string): Promise<Account | undefined> {
		const { profiles } = this.services();
		const profile = profiles.get(name);
		const credentials = profile ? await profiles.getCredentials(name) : undefined;
		return profile && credentials ? { profile, credentials } : undefined;
	}

	private open(account: Account): Promise<OtaConnection> {
		const { name } = account.profile;
		const key = accountKey(account);
		const cached = this.connections.get(name);
		if (cached?.account === key) {
			return cached.connection;
		}
		const opening = this.make(account);
		this.connections.set(name, { account: key, connection: opening });
		opening.catch(() => this.connections.get(name)?.connection === opening && this.connections.delete(name));
		return opening;
	}

	/** A new connection of the account; `scope`: the file whose folder settings apply. */
	private async make(account: Account, scope?: vscode.Uri): Promise<OtaConnection> {
		const s = this.services();
		const [{ createIotClient }, { LifecycleClient }] = await Promise.all([
			import('../credentials/client.js'),
			import('../../core/lifecycle/client.js'),
		]);
		const { client, connection } = await createIotClient(s, account, scope);
		// createIotClient may have restarted the sandbox, which changes the profile's endpoint.
		const profile = s.profiles.get(account.profile.name) ?? account.profile;
		return { profile, iot: client, lifecycle: new LifecycleClient(client), connection };
	}

	dispose(): void {
		vscode.Disposable.from(...this.subscriptions).dispose();
	}
}

/** A profile that is gone, or whose secret is missing on this machine: asked for by name, or the profile of a watch. */
export function noCredentials(profile: string, of: 'request' | 'watch' = 'request'): OtaError {
	const reason = of === 'watch' ? 'watch-profile-no-credentials' : 'profile-no-credentials';
	return shellRefusal('NoCredentials', reason, { profile }, 'credentials');
}

/** The place of a command that reached the platform with `profile` and the folder settings of `file` (and which folder held it). */
export function placeAt(profile: string, file: vscode.Uri): OtaPlace {
	return { profile, scope: file.toString(), ...folderOf(file) };
}

/** The workspace folder holding `file` now, as URI text (what a place and an Uploads row record); none outside every folder. */
export function folderOf(file: vscode.Uri): { folder?: string } {
	const folder = vscode.workspace.getWorkspaceFolder(file)?.uri.toString();
	return folder === undefined ? {} : { folder };
}

/** What an Uploads row records of where `file` was: the folder holding it, or OUTSIDE_FOLDERS. */
export function rowFolderOf(file: vscode.Uri): { folder: string } {
	return { folder: folderOf(file).folder ?? OUTSIDE_FOLDERS };
}

/**
 * Where an Uploads row's package was registered: with the settings of the folder the row recorded (a place refused with
 * FolderNotOpen once that folder is not open); a file that was in no folder, with the window's settings (no scope, even
 * once a folder holding it is open); a row from before folders were recorded, the folder holding the file now.
 */
export function rowPlace(profile: string, { fileUri, folder }: { fileUri: string; folder?: string }): OtaPlace {
	if (folder === OUTSIDE_FOLDERS) {
		return { profile };
	}
	return folder === undefined ? placeAt(profile, vscode.Uri.parse(fileUri)) : { profile, scope: fileUri, folder };
}

/**
 * What an Uploads row registered at `place` (rowPlace) records of its folder: the place's folder, else OUTSIDE_FOLDERS (the
 * window's settings registered it), so a folder added later never moves the row's actions.
 */
export function registeredRowFolder(place: OtaPlace): string {
	return place.folder ?? OUTSIDE_FOLDERS;
}

/** Refuses (FolderNotOpen) a place whose recorded folder no longer holds its file. Not for the Local sandbox profile (connectAt). */
export function assertFolderOpen({ scope, folder }: OtaPlace): void {
	const file = scope === undefined ? undefined : vscode.Uri.parse(scope);
	if (file && folder !== undefined && folderOf(file).folder !== folder) {
		throw folderNotOpen(file, vscode.Uri.parse(folder));
	}
}

/**
 * A place whose folder was removed from the workspace: the window's settings would choose the connection instead, and
 * could reach another instance or region than the command did.
 */
export function folderNotOpen(file: vscode.Uri, folder: vscode.Uri): OtaError {
	return shellRefusal('FolderNotOpen', 'folder-not-open', { folder: posix.basename(folder.path), file: posix.basename(file.path) });
}

/** What a connection is made from, as a digest: the record and the secrets (kept in memory only, never the secret itself). */
function accountKey({ profile, credentials }: Account): string {
	return createHash('sha256')
		.update(JSON.stringify([profile, credentials]))
		.digest('hex');
}
