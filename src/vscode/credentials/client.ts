import * as vscode from 'vscode';
import type { IotClient } from '../../core/iotClient';
import type { Credentials } from '../../core/types';
import type { Services } from '../commands/services';
import { shellRefusal } from '../errorWordingsShell';
import { coreLogger } from '../log';
import type { ProfileRecord } from '../model';
import { resolveConnection, type ResolvedConnection } from '../workspaceTrust';
import { configureCredentials } from './configure';
import { maskAccessKeyId } from '../../core/format';

export interface Account {
	profile: ProfileRecord;
	credentials: Credentials;
}

/** The active profile's credentials; when there are none, walks the user through "Configure Credentials". */
export async function requireAccount(s: Services): Promise<Account> {
	const active = s.profiles.active();
	const credentials = active ? await s.profiles.getCredentials(active.name) : undefined;
	if (active && credentials) {
		s.mask.add(credentials.accessKeySecret, credentials.securityToken);
		return { profile: active, credentials };
	}
	const reason = active
		? vscode.l10n.t('The secret of profile "{0}" is missing on this machine: configure it again', active.name)
		: vscode.l10n.t('No IoT OTA credentials yet: configure a profile to continue');
	s.log.info(
		active
			? `Profile "${active.name}" has no secret in SecretStorage; asking for credentials.`
			: 'No credential profile; asking for credentials.',
	);
	const profile = await configureCredentials(s, reason);
	const fresh = await s.profiles.getCredentials(profile.name);
	if (!fresh) {
		throw shellRefusal('CredentialsNotReadBack', 'credentials-not-read-back', {}, 'credentials');
	}
	return { profile, credentials: fresh };
}

/** An IotClient for the account (the core, with pop-core, is loaded only now). */
export async function createIotClient(
	s: Services,
	account: Account,
	scope?: vscode.Uri,
): Promise<{ client: IotClient; connection: ResolvedConnection }> {
	let { profile, credentials } = account;
	if (profile.kind === 'sandbox' && !s.sandbox.running) {
		// The sandbox profile's endpoint died with the last session: bring the emulator back (same data, new port).
		s.log.info(`Profile "${profile.name}" is the local sandbox, which is not running: starting it.`);
		await s.sandbox.start();
		profile = s.profiles.get(profile.name) ?? profile;
		credentials = (await s.profiles.getCredentials(profile.name)) ?? credentials;
	}
	const connection = await resolveConnection(
		profile,
		{ globalState: s.context.globalState, settings: s.settings, prompter: s.prompter, log: s.log, declines: s.endpointDeclines },
		scope,
	);
	const { IotClient } = await import('../../core/iotClient.js');
	const client = new IotClient({
		region: connection.region,
		endpoint: connection.endpoint,
		iotInstanceId: connection.iotInstanceId,
		allowInsecure: connection.allowInsecure,
		credentials,
		logger: coreLogger(s.log, s.mask, 'iot'),
	});
	s.log.info(
		`Profile "${profile.name}" (AccessKey ID ${maskAccessKeyId(credentials.accessKeyId)}${credentials.securityToken ? ', STS' : ''}), ` +
			`region ${connection.region}, endpoint ${client.endpoint} (${connection.endpointSource})${connection.iotInstanceId ? `, instance ${connection.iotInstanceId}` : ''}` +
			`${connection.folderSettings ? `; ${connection.folderSettings}` : ''}.`,
	);
	return { client, connection };
}
