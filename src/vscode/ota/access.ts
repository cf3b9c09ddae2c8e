import * as vscode from 'vscode';
import type { Credentials } from '../../core/types';
import type { Services } from '../commands/services';
import type { OtaAccess, OtaConnection } from './contract';

/**
 * The one way OTA commands, views and watches reach the core lifecycle: through the same requireAccount /
 * createIotClient as uploads (sandbox restart, endpoint trust rules, the AccessKeyId's shared QPS limiters). A
 * connection is kept per profile until the profiles, the settings or the sandbox change, so a view refresh does not
 * log a new connection each time. The core (pop-core) is loaded on the first use, never at activation.
 */
export class OtaAccessService implements OtaAccess, vscode.Disposable {
	private readonly connections = new Map<string, Promise<OtaConnection>>();
	private readonly emitter = new vscode.EventEmitter<void>();
	readonly onDidChange = this.emitter.event;
	private readonly subscriptions: vscode.Disposable[];

	/** `changes`: the profiles, settings and sandbox events after which connections are made anew. */
	constructor(
		private readonly services: () => Services,
		changes: ReadonlyArray<(listener: () => void) => vscode.Disposable>,
	) {
		const changed = () => {
			this.connections.clear();
			this.emitter.fire();
		};
		this.subscriptions = [...changes.map((event) => event(changed)), this.emitter];
	}

	async connect(): Promise<OtaConnection> {
		const s = this.services();
		const { requireAccount } = await import('../credentials/client.js');
		const account = await requireAccount(s);
		return this.open(account.profile.name, async () => account);
	}

	async current(): Promise<OtaConnection | undefined> {
		const active = this.services().profiles.active();
		return active ? this.forProfile(active.name) : undefined;
	}

	async forProfile(name: string): Promise<OtaConnection | undefined> {
		const s = this.services();
		const profile = s.profiles.get(name);
		const credentials = profile ? await s.profiles.getCredentials(name) : undefined;
		if (!profile || !credentials) {
			return undefined;
		}
		s.mask.add(credentials.accessKeySecret, credentials.securityToken);
		return this.open(name, async () => ({ profile, credentials }));
	}

	private open(
		name: string,
		account: () => Promise<{ profile: OtaConnection['profile']; credentials: Credentials }>,
	): Promise<OtaConnection> {
		const cached = this.connections.get(name);
		if (cached) {
			return cached;
		}
		const opening = (async () => {
			const s = this.services();
			const [{ createIotClient }, { LifecycleClient }] = await Promise.all([
				import('../credentials/client.js'),
				import('../../core/lifecycle/client.js'),
			]);
			const { client, connection } = await createIotClient(s, await account());
			// createIotClient may have restarted the sandbox, which changes the profile's endpoint.
			const profile = s.profiles.get(name) ?? (await account()).profile;
			return { profile, iot: client, lifecycle: new LifecycleClient(client), connection };
		})();
		this.connections.set(name, opening);
		opening.catch(() => this.connections.get(name) === opening && this.connections.delete(name));
		return opening;
	}

	dispose(): void {
		vscode.Disposable.from(...this.subscriptions).dispose();
	}
}
