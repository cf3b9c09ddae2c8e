import * as vscode from 'vscode';
import type { Credentials } from '../../core/types';
import { SecretKeys, StateKeys } from '../constants';
import type { ProfileRecord } from '../model';

/** What changed: a profile's record or secrets (saved, replaced, removed), or only which profile is active. */
export interface ProfileChange {
	/** The profile whose record or secrets changed; undefined when only the active profile changed. */
	profile?: string;
}

/** The profile a SecretStorage key of ours belongs to (read from SecretKeys, the one place its form is written). */
function profileOfSecretKey(key: string): string | undefined {
	for (const keyOf of [SecretKeys.accessKeySecret, SecretKeys.securityToken]) {
		const [head, tail] = keyOf('\u0000').split('\u0000');
		if (key.length > head.length + tail.length && key.startsWith(head) && key.endsWith(tail)) {
			return key.slice(head.length, key.length - tail.length);
		}
	}
	return undefined;
}

/**
 * Credential profiles: ids, region and endpoint in globalState (no secrets), the AccessKey Secret and
 * the STS token in SecretStorage only. `onDidChange` fires once after this store's save or removal of a
 * profile (its last write), and when another window changes one of our secrets, naming the profile whose
 * record or secrets changed.
 */
export class ProfileStore {
	private readonly emitter = new vscode.EventEmitter<ProfileChange>();
	private readonly subscription: vscode.Disposable;
	readonly onDidChange = this.emitter.event;
	/**
	 * The profiles this store is writing, with how many writers each. SecretStorage reports this window's own writes
	 * before each returns, while the record is still the old one: a listener must not read a half-saved profile.
	 */
	private readonly writing = new Map<string, number>();

	constructor(
		private readonly globalState: vscode.Memento,
		private readonly secrets: vscode.SecretStorage,
	) {
		this.subscription = secrets.onDidChange((event) => {
			const profile = profileOfSecretKey(event.key);
			if (profile !== undefined && !this.writing.has(profile)) {
				this.emitter.fire({ profile });
			}
		});
	}

	list(): ProfileRecord[] {
		const raw = this.globalState.get<unknown>(StateKeys.profiles);
		return Array.isArray(raw) ? raw.filter(isProfileRecord).map((record) => ({ ...record })) : [];
	}

	get(name: string): ProfileRecord | undefined {
		return this.list().find((record) => record.name === name);
	}

	/** The active profile, or the only one when none was chosen explicitly. */
	active(): ProfileRecord | undefined {
		const profiles = this.list();
		const name = this.globalState.get<string>(StateKeys.activeProfile);
		return profiles.find((record) => record.name === name) ?? (profiles.length === 1 ? profiles[0] : undefined);
	}

	async setActive(name: string): Promise<void> {
		if (!this.get(name)) {
			throw new Error(`Unknown profile "${name}".`);
		}
		await this.globalState.update(StateKeys.activeProfile, name);
		this.emitter.fire({});
	}

	/** Creates or replaces a profile; the secret (and token) go to SecretStorage, never into the record. */
	async save(record: ProfileRecord, secret: string, securityToken?: string): Promise<void> {
		const clean: ProfileRecord = {
			name: record.name,
			accessKeyId: record.accessKeyId,
			region: record.region,
			iotInstanceId: record.iotInstanceId || undefined,
			endpoint: record.endpoint || undefined,
			hasSecurityToken: Boolean(securityToken),
			kind: record.kind,
		};
		await this.writingProfile(clean.name, async () => {
			await this.secrets.store(SecretKeys.accessKeySecret(clean.name), secret);
			if (securityToken) {
				await this.secrets.store(SecretKeys.securityToken(clean.name), securityToken);
			} else {
				await this.secrets.delete(SecretKeys.securityToken(clean.name));
			}
			const others = this.list().filter((existing) => existing.name !== clean.name);
			await this.globalState.update(StateKeys.profiles, [...others, clean]);
		});
	}

	/** Deletes the profile's secrets and record; the active profile moves to another one (or none). */
	async remove(name: string): Promise<void> {
		await this.writingProfile(name, async () => {
			await this.secrets.delete(SecretKeys.accessKeySecret(name));
			await this.secrets.delete(SecretKeys.securityToken(name));
			const remaining = this.list().filter((record) => record.name !== name);
			await this.globalState.update(StateKeys.profiles, remaining);
			if (this.globalState.get<string>(StateKeys.activeProfile) === name) {
				await this.globalState.update(StateKeys.activeProfile, remaining[0]?.name);
			}
		});
	}

	/** Runs the writes of a profile's save or removal, then fires one change once its last writer is done (also after a failed write). */
	private async writingProfile(name: string, writes: () => Promise<void>): Promise<void> {
		this.writing.set(name, (this.writing.get(name) ?? 0) + 1);
		try {
			await writes();
		} finally {
			const left = (this.writing.get(name) ?? 1) - 1;
			if (left > 0) {
				this.writing.set(name, left);
			} else {
				this.writing.delete(name);
				this.emitter.fire({ profile: name });
			}
		}
	}

	/** Credentials of the named (default: active) profile; undefined when the record or its secret is missing. */
	async getCredentials(name?: string): Promise<Credentials | undefined> {
		const record = name === undefined ? this.active() : this.get(name);
		if (!record) {
			return undefined;
		}
		const accessKeySecret = await this.secrets.get(SecretKeys.accessKeySecret(record.name));
		if (!accessKeySecret) {
			return undefined;
		}
		const securityToken = record.hasSecurityToken ? await this.secrets.get(SecretKeys.securityToken(record.name)) : undefined;
		if (record.hasSecurityToken && !securityToken) {
			return undefined;
		}
		return securityToken
			? { accessKeyId: record.accessKeyId, accessKeySecret, securityToken }
			: { accessKeyId: record.accessKeyId, accessKeySecret };
	}

	dispose(): void {
		this.subscription.dispose();
		this.emitter.dispose();
	}
}

function isProfileRecord(value: unknown): value is ProfileRecord {
	const row = value as Partial<ProfileRecord> | undefined;
	return (
		typeof row === 'object' &&
		row !== null &&
		typeof row.name === 'string' &&
		typeof row.accessKeyId === 'string' &&
		typeof row.region === 'string' &&
		(row.kind === 'user' || row.kind === 'sandbox')
	);
}
