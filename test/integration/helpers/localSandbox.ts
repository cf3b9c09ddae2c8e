// The Local Sandbox as the watch suites use it: started as the user does (with a fleet and a package of its own) and
// forgotten after the test, and the extension's account access with a job's first call held.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LifecycleClient } from '../../../src/core/lifecycle';
import { Commands, SANDBOX_PROFILE } from '../../../src/vscode/constants';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { setSetting, signIn } from './ota';
import { Fleet } from './otaFleet';
import { accessWith, names, type WatchSuite } from './otaWatch';

/**
 * Runs `body` with the Local Sandbox started as the user does (a fleet of `devices`, a verified package of its own;
 * `rollOut(from)` rolls it out to two devices from dev-`from`), then disposes the test's watch service (whose watches
 * would start the sandbox again), stops the sandbox and forgets it: its profile, the settings, its data (no test sees
 * another's packages and jobs).
 */
export async function withLocalSandbox(
	ctx: WatchSuite,
	devices: number,
	test: vscode.Disposable,
	body: (rollOut: (from: number) => Promise<string>) => Promise<void>,
): Promise<void> {
	const dataDir = path.join(ctx.api.context.globalStorageUri.fsPath, 'sandbox');
	assert.equal(ctx.api.localSandbox.running, false, 'the Local Sandbox runs already');
	rmSync(dataDir, { recursive: true, force: true });
	let localFleet: Fleet | undefined;
	try {
		await setSetting('sandbox.devices', devices);
		await setSetting('sandbox.timeScale', 60);
		await vscode.commands.executeCommand(Commands.startSandbox);
		const local = await ctx.api.sandbox();
		assert.ok(local, 'the Local Sandbox did not start');
		const fleet = (localFleet = new Fleet(local));
		const firmwareId = (await fleet.registerFirmware()).firmwareId;
		await fleet.verify(firmwareId, ['dev-00001']);
		await body((from) => fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(from, 2) }, needConfirm: true }));
	} finally {
		test.dispose();
		localFleet?.dispose();
		await vscode.commands.executeCommand(Commands.stopSandbox);
		await signIn(ctx);
		await ctx.api.profiles.remove(SANDBOX_PROFILE);
		await setSetting('sandbox.devices', undefined);
		await setSetting('sandbox.timeScale', undefined);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/**
 * The extension's access, counting the profiles it makes clients for (`asked`); the first call of job `held.jobId`
 * (its QueryOTAJob) is answered, then held until `held.release()`.
 */
export function heldAccess(ctx: WatchSuite) {
	const real = ctx.api.ota.access;
	const asked: string[] = [];
	const held = { jobId: '', release: () => {}, answered: Promise.resolve() };
	let answered = () => {};
	held.answered = new Promise<void>((resolve) => (answered = resolve));
	const released = new Promise<void>((resolve) => (held.release = resolve));
	const wrapped = new WeakMap<OtaConnection, OtaConnection>();
	const wrap = (connection: OtaConnection): OtaConnection => {
		const lifecycle = Object.create(connection.lifecycle) as LifecycleClient;
		lifecycle.queryJob = async (jobId, signal) => {
			const job = await connection.lifecycle.queryJob(jobId, signal);
			if (jobId === held.jobId) {
				answered();
				await released;
			}
			return job;
		};
		return { ...connection, lifecycle };
	};
	const access = accessWith(ctx, {
		forProfile: async (name) => {
			asked.push(name);
			const connection = await real.forProfile(name);
			if (connection && !wrapped.has(connection)) {
				wrapped.set(connection, wrap(connection));
			}
			return connection && wrapped.get(connection);
		},
	});
	return { access, asked, held };
}
