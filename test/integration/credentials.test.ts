// Configure / switch / clear credentials through the real prompts (answered by the test seam).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { Credentials } from '../../src/core/types';
import { ProfileStore } from '../../src/vscode/credentials/profileStore';
import type { ProfileRecord } from '../../src/vscode/model';
import { credentialAnswers, MemoryMemento, resetExtensionState, signIn, useSuite } from './helpers/ota';

describe('IoT OTA credentials', () => {
	const ctx = useSuite({}, { signedIn: false });

	it('stores the secret and STS token in SecretStorage only, never in state or settings', async () => {
		const { api } = ctx;
		const secret = 'Secret-Value-For-Test-1234567890';
		const token = 'STS-Token-For-Test-abcdefghijklmnop';
		api.testSeam.queue(
			...credentialAnswers('factory', 'STS.TestKeyId12345', secret, { token, region: 'cn-beijing', instance: 'iot-0123abcd' }),
		);
		const record = (await vscode.commands.executeCommand(Commands.configureCredentials)) as { name: string } | undefined;
		assert.equal(record?.name, 'factory');
		const secretCall = api.testSeam.calls.find((c) => c.id === 'credentials.secret');
		assert.equal(secretCall?.answer, '***', 'password inputs are not recorded in clear');
		const instanceCall = api.testSeam.calls.find((c) => c.id === 'credentials.iotInstanceId');
		assert.match(instanceCall?.text ?? '', /IotInstanceId/);

		const credentials = await api.profiles.getCredentials('factory');
		assert.deepEqual(credentials, { accessKeyId: 'STS.TestKeyId12345', accessKeySecret: secret, securityToken: token });
		const profile = api.profiles.active();
		assert.equal(profile?.region, 'cn-beijing');
		assert.equal(profile?.iotInstanceId, 'iot-0123abcd');
		assert.equal(profile?.hasSecurityToken, true);

		const persisted = api.persistedState();
		assert.ok(!persisted.includes(secret) && !persisted.includes(token), 'a secret reached globalState/workspaceState');
		const settings = JSON.stringify(vscode.workspace.getConfiguration('iotOta'));
		assert.ok(!settings.includes(secret) && !settings.includes(token), 'a secret reached the settings');
	});

	it('requires an IotInstanceId in Enterprise-only regions (validated while typing)', async () => {
		const { api } = ctx;
		api.testSeam.queue(
			...credentialAnswers('ent', 'LTAI5tEnterpriseKey', 'secret-ent-123456', { region: 'cn-shenzhen', instance: '' }),
		);
		await vscode.commands.executeCommand(Commands.configureCredentials);
		const call = api.testSeam.calls.find((c) => c.id === 'credentials.iotInstanceId');
		assert.match(call?.validation ?? '', /IotInstanceId/);
		assert.equal(
			api.profiles.list().some((p) => p.name === 'ent'),
			false,
			'nothing saved after the blocked answer',
		);
	});

	it('imports from environment variables', async () => {
		const { api } = ctx;
		process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAI5tFromEnvironment';
		process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-secret-0123456789';
		try {
			api.testSeam.queue(
				{ id: 'credentials.source', pick: 'Import from environment variables' },
				{ id: 'credentials.profileName', input: 'from-env' },
				{ id: 'credentials.region', pick: 'cn-shanghai' },
				{ id: 'credentials.iotInstanceId', input: '' },
			);
			await vscode.commands.executeCommand(Commands.configureCredentials);
		} finally {
			delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
			delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
		}
		assert.equal((await api.profiles.getCredentials('from-env'))?.accessKeySecret, 'env-secret-0123456789');
		const source = api.testSeam.calls.find((c) => c.id === 'credentials.source');
		assert.ok(source?.options?.some((o) => o.includes('Import from environment variables')));
	});

	it('imports an AK profile of the aliyun CLI config', async () => {
		const { api } = ctx;
		const home = mkdtempSync(path.join(os.tmpdir(), 'iot-ota-home-'));
		mkdirSync(path.join(home, '.aliyun'));
		writeFileSync(
			path.join(home, '.aliyun', 'config.json'),
			JSON.stringify({
				current: 'dev',
				profiles: [
					{
						name: 'dev',
						mode: 'AK',
						access_key_id: 'LTAI5tFromAliyunCli',
						access_key_secret: 'cli-secret-0123456789',
						region_id: 'ap-southeast-1',
					},
				],
			}),
		);
		const previousHome = process.env.HOME;
		process.env.HOME = home;
		try {
			api.testSeam.queue(
				{ id: 'credentials.source', pick: 'Import from aliyun CLI profile' },
				{ id: 'credentials.profileName', input: 'dev' },
				{ id: 'credentials.region', pick: 'ap-southeast-1' },
				{ id: 'credentials.iotInstanceId', input: '' },
			);
			await vscode.commands.executeCommand(Commands.configureCredentials);
		} finally {
			process.env.HOME = previousHome;
			rmSync(home, { recursive: true, force: true });
		}
		const source = api.testSeam.calls.find((c) => c.id === 'credentials.source');
		assert.ok(
			source?.options?.some((o) => /Import from aliyun CLI profile/.test(o)),
			JSON.stringify(source),
		);
		assert.equal(api.testSeam.calls.find((c) => c.id === 'credentials.profileName')?.value, 'dev', 'the CLI profile name is suggested');
		assert.equal(
			api.testSeam.calls.find((c) => c.id === 'credentials.region')?.options?.[0],
			'ap-southeast-1',
			"the CLI profile's region comes first",
		);
		assert.equal((await api.profiles.getCredentials('dev'))?.accessKeySecret, 'cli-secret-0123456789');
	});

	it('switches between several profiles', async () => {
		const { api } = ctx;
		assert.ok(api.profiles.list().length >= 2);
		api.testSeam.queue({ id: 'profile.pick', pick: 'factory' });
		await vscode.commands.executeCommand(Commands.switchProfile);
		assert.equal(api.profiles.active()?.name, 'factory');
		await vscode.commands.executeCommand(Commands.switchProfile, { profile: api.profiles.list().find((p) => p.name === 'from-env') });
		assert.equal(api.profiles.active()?.name, 'from-env');
	});

	it('clears credentials only after a confirmation, deleting the secret', async () => {
		const { api } = ctx;
		api.testSeam.queue({ id: 'profile.pick', pick: 'factory' }, { id: 'profile.clearConfirm', cancel: true });
		await vscode.commands.executeCommand(Commands.clearCredentials);
		assert.ok(await api.profiles.getCredentials('factory'), 'kept when the confirmation is dismissed');
		api.testSeam.queue({ id: 'profile.pick', pick: 'factory' }, { id: 'profile.clearConfirm', button: 'Delete' });
		await vscode.commands.executeCommand(Commands.clearCredentials);
		assert.equal(await api.profiles.getCredentials('factory'), undefined);
		assert.equal(
			api.profiles.list().some((p) => p.name === 'factory'),
			false,
		);
	});

	it('walks through configuration when an upload finds no credentials', async () => {
		const { api, sandbox } = ctx;
		await resetExtensionState(api);
		await signIn(ctx, 'walked');
		await resetExtensionState(api);
		await vscode.workspace.getConfiguration('iotOta').update('endpoint', sandbox.endpoint, vscode.ConfigurationTarget.Global);
		const firmware = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'firmware.bin');
		api.testSeam.queue(
			{ id: 'upload.suffix', pick: 'bin' },
			...credentialAnswers('walked', sandbox.accessKeyId, sandbox.accessKeySecret),
		);
		const entry = (await vscode.commands.executeCommand(Commands.uploadFirmware, firmware)) as
			{ status: string; profile: string } | undefined;
		assert.equal(entry?.status, 'uploaded');
		assert.equal(entry?.profile, 'walked');
		const source = api.testSeam.calls.find((c) => c.id === 'credentials.source');
		assert.match(source?.text ?? '', /No IoT OTA credentials/);
	});

	it('tells a profile saved or removed once, after its last write (never half-saved); another window’s secret change still arrives', async () => {
		// The real SecretStorage reports this window's own writes before each returns; a second store over it stands for
		// another window, which learns of the change only through those reports.
		const { secrets } = ctx.api.context;
		const store = new ProfileStore(new MemoryMemento(), secrets);
		const otherWindow = new ProfileStore(new MemoryMemento(), secrets);
		const name = 'half-saved';
		const heard: Array<Promise<{ record?: ProfileRecord; credentials?: Credentials }>> = [];
		// What a listener reads when told: the record at once, the credentials from then on.
		store.onDidChange((change) => {
			if (change.profile === name) {
				const record = store.get(name);
				heard.push(store.getCredentials(name).then((credentials) => ({ record, credentials })));
			}
		});
		let otherTold = 0;
		otherWindow.onDidChange((change) => change.profile === name && otherTold++);
		const base = { name, region: 'cn-shanghai', kind: 'user', hasSecurityToken: false } as const;
		/** What the listener read each time it was told since the last call. */
		const told = async () => {
			const seen = await Promise.all(heard.splice(0));
			return seen.map(({ record, credentials }) => ({ accessKeyId: record?.accessKeyId, credentials }));
		};
		try {
			await store.save({ ...base, accessKeyId: 'STS.HalfSavedKey' }, 'half-secret-1', 'half-token-1');
			assert.deepEqual(await told(), [
				{
					accessKeyId: 'STS.HalfSavedKey',
					credentials: { accessKeyId: 'STS.HalfSavedKey', accessKeySecret: 'half-secret-1', securityToken: 'half-token-1' },
				},
			]);
			assert.ok(otherTold > 0, 'another window was not told');
			otherTold = 0;
			// STS to a plain AccessKey: another AccessKeyId, the token deleted.
			await store.save({ ...base, accessKeyId: 'LTAI5tHalfSavedKey' }, 'half-secret-2');
			assert.deepEqual(await told(), [
				{ accessKeyId: 'LTAI5tHalfSavedKey', credentials: { accessKeyId: 'LTAI5tHalfSavedKey', accessKeySecret: 'half-secret-2' } },
			]);
			assert.ok(otherTold > 0, 'another window was not told');
			otherTold = 0;
			await store.remove(name);
			assert.deepEqual(await told(), [{ accessKeyId: undefined, credentials: undefined }]);
			assert.ok(otherTold > 0, 'another window was not told');
		} finally {
			await store.remove(name);
			store.dispose();
			otherWindow.dispose();
		}
	});
});
