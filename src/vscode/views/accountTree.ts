import * as vscode from 'vscode';
import { printableTreeItem } from '../ui/printableTreeItem';
import { findRegion, isLoopbackHost, regionEndpoint, shownEndpoint } from '../../core/regions';
import { Commands } from '../constants';
import type { ProfileStore } from '../credentials/profileStore';
import type { ProfileRecord } from '../model';
import { maskAccessKeyId } from '../../core/format';

/** contextValue `account.profile`; menus read `profile`. */
export class ProfileNode {
	readonly type = 'profile';
	constructor(
		readonly profile: ProfileRecord,
		readonly active: boolean,
		/** Whether SecretStorage holds the secret (and token) — a boolean, never the value. */
		readonly hasSecret: boolean | undefined,
	) {}
}

/** contextValue `account.signedOut`: profiles exist but none is active. */
export class SignedOutNode {
	readonly type = 'signedOut';
}

export class OtherProfilesNode {
	readonly type = 'others';
	constructor(readonly profiles: ProfileRecord[]) {}
}

/** contextValue `account.sandbox.running` / `account.sandbox.stopped`. */
export class SandboxNode {
	readonly type = 'sandbox';
	constructor(readonly running: boolean) {}
}

/** A fact about the active profile (region, endpoint…); contextValue `account.detail`. */
export class AccountDetailNode {
	readonly type = 'detail';
	constructor(
		readonly id: string,
		readonly label: string,
		readonly description: string,
		readonly icon: vscode.ThemeIcon,
		readonly command?: vscode.Command,
	) {}
}

export type AccountNode = ProfileNode | SignedOutNode | OtherProfilesNode | SandboxNode | AccountDetailNode;

export interface AccountDeps {
	profiles: ProfileStore;
	sandboxRunning: () => boolean;
	onDidChangeSandbox: vscode.Event<void>;
}

export type EndpointKind = 'cloud' | 'sandbox' | 'custom';

export function endpointKind(profile: ProfileRecord): { kind: EndpointKind; host: string } {
	if (!profile.endpoint) {
		return { kind: profile.kind === 'sandbox' ? 'sandbox' : 'cloud', host: new URL(regionEndpoint(profile.region)).host };
	}
	let host = shownEndpoint(profile.endpoint);
	let loopback = false;
	try {
		const url = new URL(profile.endpoint);
		host = url.host;
		loopback = isLoopbackHost(url.hostname);
	} catch {
		// Shown as typed but without user info or secret query values; the upload command reports invalid endpoints.
	}
	return { kind: profile.kind === 'sandbox' || loopback ? 'sandbox' : 'custom', host };
}

/** Active profile, its region/instance/endpoint/secret state, the other profiles, and the local sandbox. */
export class AccountTreeProvider implements vscode.TreeDataProvider<AccountNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<AccountNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly disposables: vscode.Disposable[] = [this.changed];

	constructor(private readonly deps: AccountDeps) {
		this.disposables.push(
			deps.profiles.onDidChange(() => this.rerender()),
			deps.onDidChangeSandbox(() => this.rerender()),
		);
	}

	rerender(): void {
		this.changed.fire(undefined);
	}

	async getChildren(node?: AccountNode): Promise<AccountNode[]> {
		if (!node) {
			return this.roots();
		}
		switch (node.type) {
			case 'profile':
				return node.active ? this.details(node) : [];
			case 'others':
				return node.profiles.map((profile) => new ProfileNode(profile, false, undefined));
			default:
				return [];
		}
	}

	getTreeItem(node: AccountNode): vscode.TreeItem {
		return printableTreeItem(this.item(node));
	}

	private item(node: AccountNode): vscode.TreeItem {
		switch (node.type) {
			case 'profile':
				return this.profileItem(node);
			case 'signedOut': {
				const item = new vscode.TreeItem(vscode.l10n.t('No active profile'), vscode.TreeItemCollapsibleState.None);
				item.id = 'account:signedOut';
				item.contextValue = 'account.signedOut';
				item.iconPath = new vscode.ThemeIcon('account', new vscode.ThemeColor('list.warningForeground'));
				item.description = vscode.l10n.t('choose one to upload');
				item.command = { command: Commands.switchProfile, title: vscode.l10n.t('Switch Profile') };
				return item;
			}
			case 'others': {
				const item = new vscode.TreeItem(vscode.l10n.t('Other profiles'), vscode.TreeItemCollapsibleState.Collapsed);
				item.id = 'account:others';
				item.contextValue = 'account.otherProfiles';
				item.iconPath = new vscode.ThemeIcon('organization');
				item.description = String(node.profiles.length);
				return item;
			}
			case 'sandbox': {
				const item = new vscode.TreeItem(vscode.l10n.t('Sandbox emulator'), vscode.TreeItemCollapsibleState.None);
				item.id = 'account:sandbox';
				item.contextValue = node.running ? 'account.sandbox.running' : 'account.sandbox.stopped';
				item.iconPath = new vscode.ThemeIcon(
					node.running ? 'vm-running' : 'vm-outline',
					node.running ? new vscode.ThemeColor('testing.iconPassed') : undefined,
				);
				item.description = node.running ? vscode.l10n.t('Running') : vscode.l10n.t('Stopped');
				item.tooltip = node.running
					? vscode.l10n.t(
							'A local emulator of the IoT Platform and OSS is running on 127.0.0.1; uploads with the sandbox profile never leave this machine.',
						)
					: vscode.l10n.t('Start a local emulator of the IoT Platform and OSS to try uploads without an Alibaba Cloud account.');
				if (!node.running) {
					item.command = { command: Commands.startSandbox, title: vscode.l10n.t('Start Local Sandbox') };
				}
				return item;
			}
			case 'detail': {
				const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
				item.id = `account:detail:${node.id}`;
				item.contextValue = 'account.detail';
				item.description = node.description;
				item.iconPath = node.icon;
				item.command = node.command;
				return item;
			}
		}
	}

	dispose(): void {
		vscode.Disposable.from(...this.disposables).dispose();
	}

	private async roots(): Promise<AccountNode[]> {
		const profiles = this.deps.profiles.list();
		const running = this.deps.sandboxRunning();
		if (profiles.length === 0 && !running) {
			return []; // The welcome view explains how to sign in.
		}
		const active = this.deps.profiles.active();
		const nodes: AccountNode[] = [];
		if (active) {
			const hasSecret = (await this.deps.profiles.getCredentials(active.name).catch(() => undefined)) !== undefined;
			nodes.push(new ProfileNode(active, true, hasSecret));
		} else {
			nodes.push(new SignedOutNode());
		}
		const others = profiles.filter((p) => p.name !== active?.name);
		if (others.length > 0) {
			nodes.push(new OtherProfilesNode(others));
		}
		nodes.push(new SandboxNode(running));
		return nodes;
	}

	private details(node: ProfileNode): AccountDetailNode[] {
		const { profile } = node;
		const region = findRegion(profile.region);
		const endpoint = endpointKind(profile);
		const endpointLabel = {
			cloud: vscode.l10n.t('Alibaba Cloud'),
			sandbox: vscode.l10n.t('Local sandbox'),
			custom: vscode.l10n.t('Custom endpoint'),
		}[endpoint.kind];
		const rows = [
			new AccountDetailNode(
				'region',
				vscode.l10n.t('Region'),
				region ? `${profile.region} · ${region.label}` : profile.region,
				new vscode.ThemeIcon('globe'),
			),
			new AccountDetailNode(
				'instance',
				vscode.l10n.t('Instance'),
				profile.iotInstanceId ?? vscode.l10n.t('public instance (no IotInstanceId)'),
				new vscode.ThemeIcon('server'),
			),
			new AccountDetailNode(
				'endpoint',
				vscode.l10n.t('Endpoint'),
				`${endpointLabel} · ${endpoint.host}`,
				new vscode.ThemeIcon(endpoint.kind === 'sandbox' ? 'beaker' : 'cloud'),
			),
			new AccountDetailNode(
				'accessKeyId',
				vscode.l10n.t('AccessKey ID'),
				maskAccessKeyId(profile.accessKeyId),
				new vscode.ThemeIcon('key'),
			),
		];
		if (node.hasSecret) {
			const kind = profile.hasSecurityToken ? vscode.l10n.t('stored (with STS token)') : vscode.l10n.t('stored');
			rows.push(
				new AccountDetailNode(
					'secret',
					vscode.l10n.t('Secret'),
					kind,
					new vscode.ThemeIcon('lock', new vscode.ThemeColor('testing.iconPassed')),
				),
			);
		} else {
			rows.push(
				new AccountDetailNode(
					'secret',
					vscode.l10n.t('Secret'),
					vscode.l10n.t('missing — click to configure'),
					new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
					{
						command: Commands.configureCredentials,
						title: vscode.l10n.t('Configure Credentials'),
					},
				),
			);
		}
		return rows;
	}

	private profileItem(node: ProfileNode): vscode.TreeItem {
		const { profile } = node;
		const state = node.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
		const item = new vscode.TreeItem(profile.name, state);
		item.id = `account:profile:${profile.name}:${node.active ? 'active' : 'other'}`;
		item.contextValue = 'account.profile';
		const sandbox = endpointKind(profile).kind === 'sandbox';
		const warn = node.active && node.hasSecret === false;
		item.iconPath = new vscode.ThemeIcon(
			sandbox ? 'beaker' : 'account',
			warn ? new vscode.ThemeColor('list.warningForeground') : undefined,
		);
		item.description = node.active ? vscode.l10n.t('active · {0}', profile.region) : profile.region;
		item.tooltip = node.active ? vscode.l10n.t('Uploads use this profile.') : vscode.l10n.t('Click to make this the active profile.');
		if (!node.active) {
			item.command = { command: Commands.switchProfile, title: vscode.l10n.t('Switch Profile'), arguments: [node] };
		}
		return item;
	}
}
