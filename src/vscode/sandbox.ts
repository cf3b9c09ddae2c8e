import path from 'node:path';
import * as vscode from 'vscode';
import { usableVersionMarker } from '../core/image/marker';
import type { BehaviourShare, Sandbox } from '../sandbox';
import { ContextKeys, SANDBOX_PROFILE, StateKeys } from './constants';
import { shareProblemValues, shellRefusal } from './errorWordingsShell';
import type { ProfileStore } from './credentials/profileStore';
import { coreLogger, type SecretMask } from './log';
import type { ProfileRecord } from './model';
import { setContext } from './setContext';
import type { SandboxFleetSettings } from './sandboxFleet';

export { SANDBOX_PROFILE };

/**
 * "Start/Stop Local Sandbox": the emulator runs inside the extension host on free loopback ports, with
 * its data under globalStorage, and a 'sandbox' profile pointing at it becomes the active profile. On
 * stop (and on deactivate) the sandbox shuts down and the previously active profile comes back.
 */
export class SandboxController implements vscode.Disposable {
	private sandbox: Sandbox | undefined;
	private starting: Promise<Sandbox> | undefined;
	private readonly emitter = new vscode.EventEmitter<void>();
	readonly onDidChange = this.emitter.event;
	private readonly stopEmitter = new vscode.EventEmitter<string>();
	/**
	 * Stop Local Sandbox was asked (not a deactivation), with the sandbox profile's name: fired before the emulator stops,
	 * so what would reconnect that profile (and so start the sandbox again) ends first.
	 */
	readonly onWillStop = this.stopEmitter.event;

	constructor(
		private readonly context: vscode.ExtensionContext,
		private readonly profiles: ProfileStore,
		private readonly log: vscode.LogOutputChannel,
		private readonly mask: SecretMask,
		/** iotOta.sandbox.*: the fleet to seed; iotOta.image.versionMarker: how its devices read unknown formats. */
		private readonly fleet: () => SandboxFleetSettings & { versionMarker?: string },
	) {}

	get running(): boolean {
		return this.sandbox !== undefined;
	}

	async start(): Promise<Sandbox> {
		if (this.sandbox) {
			return this.sandbox;
		}
		this.starting ??= this.doStart().finally(() => (this.starting = undefined));
		return this.starting;
	}

	private async doStart(): Promise<Sandbox> {
		const { shareProblem, startSandbox } = await import('../sandbox/index.js');
		const dataDir = path.join(this.context.globalStorageUri.fsPath, 'sandbox');
		const fleet = this.fleet();
		const behaviours = Object.entries(fleet.behaviours).map(([behaviour, percent]) => ({ behaviour, percent }) as BehaviourShare);
		const problem = shareProblem(behaviours);
		if (problem) {
			throw shellRefusal('InvalidSetting', 'sandbox-behaviours', shareProblemValues(problem));
		}
		// A bad marker must not take the emulator (and every call of the sandbox profile) down with it.
		const marker = usableVersionMarker(fleet.versionMarker);
		if (fleet.versionMarker !== undefined && !marker) {
			this.log.warn(
				"iotOta.image.versionMarker is not a valid regular expression: the Local Sandbox's devices read images without it.",
			);
		}
		const sandbox = await startSandbox({
			dataDir,
			logger: coreLogger(this.log, this.mask, 'sandbox'),
			devices: fleet.devices,
			behaviours,
			timeScale: fleet.timeScale,
			versionMarker: marker?.pattern,
		});
		this.mask.add(sandbox.accessKeySecret, sandbox.sts.accessKeySecret, sandbox.sts.securityToken);
		const previous = this.profiles.active();
		if (previous && previous.kind !== 'sandbox') {
			await this.context.globalState.update(StateKeys.profileBeforeSandbox, previous.name);
		}
		const record: ProfileRecord = {
			name: SANDBOX_PROFILE,
			accessKeyId: sandbox.accessKeyId,
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			hasSecurityToken: false,
			kind: 'sandbox',
		};
		await this.profiles.save(record, sandbox.accessKeySecret);
		await this.profiles.setActive(SANDBOX_PROFILE);
		this.sandbox = sandbox;
		await setContext(ContextKeys.sandboxRunning, true);
		this.log.info(
			`Local sandbox running: API ${sandbox.endpoint}, OSS ${sandbox.ossHost}, data ${dataDir}, ProductKey ${sandbox.productKey}; ` +
				`fleet of ${fleet.devices} devices${behaviours.length ? ` (${behaviours.map((b) => `${b.behaviour} ${b.percent} %`).join(', ')})` : ''}, time ×${fleet.timeScale}.`,
		);
		this.emitter.fire();
		return sandbox;
	}

	async stop(): Promise<boolean> {
		const sandbox = this.sandbox ?? (await this.starting?.catch(() => undefined));
		if (!sandbox) {
			return false;
		}
		this.stopEmitter.fire(SANDBOX_PROFILE);
		this.sandbox = undefined;
		await sandbox.stop();
		await setContext(ContextKeys.sandboxRunning, false);
		const previous = this.context.globalState.get<string>(StateKeys.profileBeforeSandbox);
		if (this.profiles.active()?.kind === 'sandbox' && previous && this.profiles.list().some((p) => p.name === previous)) {
			await this.profiles.setActive(previous);
		}
		this.log.info('Local sandbox stopped.');
		this.emitter.fire();
		return true;
	}

	dispose(): void {
		// Deactivating is no Stop Local Sandbox: the watches of its profile are kept for the next session.
		this.stopEmitter.dispose();
		void this.stop();
		this.emitter.dispose();
	}
}
