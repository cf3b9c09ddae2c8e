import * as vscode from 'vscode';
import { cancelledError, OtaError } from '../../core/errors';
import { credentialsFromEnv, readAliyunCliProfile, regionFromEnv, validateCredentials } from '../../core/credentials';
import { DEFAULT_REGION, findRegion, IOT_REGIONS, validateRegion } from '../../core/regions';
import type { Credentials } from '../../core/types';
import type { Services } from '../commands/services';
import { maskAccessKeyId } from '../../core/format';
import { shellRefusal } from '../errorWordingsShell';
import type { ProfileRecord } from '../model';
import { PromptIds } from '../ui/prompter';
import { wordedParts } from '../validationText';

type Source = { kind: 'manual' } | { kind: 'import'; credentials: Credentials; region?: string; name?: string; origin: string };

interface SourceItem extends vscode.QuickPickItem {
	source?: Source;
	/** Why the source cannot be read (the core's error). */
	problem?: unknown;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/**
 * Walks through creating (or replacing) a credential profile and makes it active. The AccessKey
 * Secret and STS token go to SecretStorage only; throws a cancellation when the user backs out.
 */
export async function configureCredentials(s: Services, reason?: string): Promise<ProfileRecord> {
	const source = await pickSource(s, reason);
	const imported = source.kind === 'import' ? source : undefined;
	const existing = new Set(s.profiles.list().map((p) => p.name));
	const name = await ask(
		s.prompter.input(PromptIds.credentialsProfileName, {
			title: vscode.l10n.t('Profile name'),
			prompt: vscode.l10n.t('A name for these credentials, e.g. "default" or "factory-prod".'),
			value: imported?.name ?? (existing.size === 0 ? 'default' : ''),
			ignoreFocusOut: true,
			validateInput: (value) => {
				const text = value.trim();
				if (!PROFILE_NAME.test(text)) {
					return vscode.l10n.t('Use 1–64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit.');
				}
				return existing.has(text)
					? {
							message: vscode.l10n.t('Replaces the existing profile "{0}".', text),
							severity: vscode.InputBoxValidationSeverity.Warning,
						}
					: undefined;
			},
		}),
	);
	const region = await pickRegion(s, imported?.region);
	const credentials = imported?.credentials ?? (await askKeys(s));
	const iotInstanceId = await askInstanceId(s, region);
	const valid = validateCredentials(credentials);
	s.mask.add(valid.accessKeySecret, valid.securityToken);
	const record: ProfileRecord = {
		name: name.trim(),
		accessKeyId: valid.accessKeyId,
		region,
		iotInstanceId,
		hasSecurityToken: Boolean(valid.securityToken),
		kind: 'user',
	};
	await s.profiles.save(record, valid.accessKeySecret, valid.securityToken);
	await s.profiles.setActive(record.name);
	s.log.info(
		`Saved profile "${record.name}" (AccessKey ID ${maskAccessKeyId(record.accessKeyId)}, region ${region}${iotInstanceId ? `, instance ${iotInstanceId}` : ''}${imported ? `, imported from ${imported.origin}` : ''}).`,
	);
	void s.prompter.message(
		PromptIds.info,
		'info',
		vscode.l10n.t('IoT OTA profile "{0}" saved and active. The AccessKey Secret is kept in VS Code\'s secret storage.', record.name),
		{},
	);
	return record;
}

async function ask<T>(answer: Promise<T | undefined>): Promise<T> {
	const value = await answer;
	if (value === undefined) {
		throw cancelledError('the credential setup');
	}
	return value;
}

async function pickSource(s: Services, reason?: string): Promise<Source> {
	const items: SourceItem[] = [
		{
			iconPath: new vscode.ThemeIcon('key'),
			label: vscode.l10n.t('Enter an AccessKey'),
			description: vscode.l10n.t('stored in VS Code secret storage'),
			source: { kind: 'manual' },
		},
	];
	try {
		const env = credentialsFromEnv();
		if (env) {
			items.push({
				iconPath: new vscode.ThemeIcon('terminal'),
				label: vscode.l10n.t('Import from environment variables'),
				description: `ALIBABA_CLOUD_ACCESS_KEY_ID = ${maskAccessKeyId(env.accessKeyId)}`,
				source: { kind: 'import', credentials: env, region: regionFromEnv(), origin: 'environment variables' },
			});
		}
	} catch (error) {
		items.push({
			iconPath: new vscode.ThemeIcon('terminal'),
			label: vscode.l10n.t('Import from environment variables'),
			description: problemText(error),
			problem: error,
		});
	}
	try {
		const cli = await readAliyunCliProfile();
		if (cli) {
			items.push({
				iconPath: new vscode.ThemeIcon('file'),
				label: vscode.l10n.t('Import from aliyun CLI profile'),
				description: vscode.l10n.t('profile "{0}" ({1}, {2})', cli.name, cli.mode, maskAccessKeyId(cli.credentials.accessKeyId)),
				source: {
					kind: 'import',
					credentials: cli.credentials,
					region: cli.region,
					name: cli.name,
					origin: `aliyun CLI profile "${cli.name}"`,
				},
			});
		}
	} catch (error) {
		items.push({
			iconPath: new vscode.ThemeIcon('file'),
			label: vscode.l10n.t('Import from aliyun CLI profile'),
			description: problemText(error),
			problem: error,
		});
	}
	const chosen = await ask(
		s.prompter.pick(PromptIds.credentialsSource, items, {
			title: reason ?? vscode.l10n.t('Configure IoT OTA credentials'),
			placeHolder: vscode.l10n.t('Where do the AccessKey credentials come from?'),
			ignoreFocusOut: true,
		}),
	);
	if (!chosen.source) {
		throw sourceUnavailable(chosen.problem);
	}
	return chosen.source;
}

/** Why a credential source cannot be read, in the window's language (the core's English without a reason). */
function problemText(problem: unknown): string {
	return problem instanceof OtaError ? wordedParts(problem, vscode.l10n).message : String((problem as Error).message);
}

/** The refusal of a source that cannot be read: the core's message and hint, worded in the window by the core's reason. */
function sourceUnavailable(problem: unknown): OtaError {
	const code = 'CredentialsSourceUnavailable';
	if (problem instanceof OtaError) {
		const { message, hint, reason, cause } = problem;
		return new OtaError({ code, source: 'credentials', message, hint, reason, cause });
	}
	return problem instanceof Error
		? new OtaError({ code, source: 'credentials', message: problem.message })
		: shellRefusal(code, 'credential-source-unavailable', {}, 'credentials');
}

async function pickRegion(s: Services, preferred?: string): Promise<string> {
	const initial = findRegion(preferred ?? '') ? preferred : (s.settings.region() ?? DEFAULT_REGION);
	const regions = [...IOT_REGIONS].sort((a, b) => Number(b.id === initial) - Number(a.id === initial));
	const other = vscode.l10n.t('Other region id…');
	const items: vscode.QuickPickItem[] = [
		...regions.map((r) => ({
			label: r.id,
			description: r.label,
			detail: r.enterpriseOnly ? vscode.l10n.t('Enterprise instances only: needs an IotInstanceId') : undefined,
			picked: r.id === initial,
		})),
		{ iconPath: new vscode.ThemeIcon('edit'), label: other },
	];
	const chosen = await ask(
		s.prompter.pick(PromptIds.credentialsRegion, items, { title: vscode.l10n.t('IoT Platform region'), ignoreFocusOut: true }),
	);
	if (chosen.label !== other) {
		return chosen.label;
	}
	const typed = await ask(
		s.prompter.input(PromptIds.credentialsRegion, {
			title: vscode.l10n.t('IoT Platform region id'),
			ignoreFocusOut: true,
			validateInput: (value) => {
				try {
					validateRegion(value);
					return undefined;
				} catch (error) {
					return (error as Error).message;
				}
			},
		}),
	);
	return validateRegion(typed);
}

/** One credential prompt (kept open when focus moves away), its answer trimmed; Escape cancels the setup. */
async function askTrimmed(s: Services, id: string, options: vscode.InputBoxOptions): Promise<string> {
	return (await ask(s.prompter.input(id, { ignoreFocusOut: true, ...options }))).trim();
}

/** A validator refusing empty values and values with spaces inside. */
function withoutSpaces(message: string): (value: string) => string | undefined {
	return (value) => (value.trim() === '' || /\s/.test(value.trim()) ? message : undefined);
}

async function askKeys(s: Services): Promise<Credentials> {
	const accessKeyId = await askTrimmed(s, PromptIds.credentialsAccessKeyId, {
		title: vscode.l10n.t('AccessKey ID'),
		prompt: vscode.l10n.t('The AccessKey ID of a RAM user with IoT OTA permissions (usually starts with LTAI).'),
		validateInput: withoutSpaces(vscode.l10n.t('Enter the AccessKey ID without spaces.')),
	});
	const accessKeySecret = await askTrimmed(s, PromptIds.credentialsSecret, {
		title: vscode.l10n.t('AccessKey Secret'),
		prompt: vscode.l10n.t('Stored only in VS Code secret storage, never in settings or logs.'),
		password: true,
		validateInput: withoutSpaces(vscode.l10n.t('Enter the AccessKey Secret without spaces.')),
	});
	s.mask.add(accessKeySecret);
	const temporary = accessKeyId.startsWith('STS.');
	const securityToken = await askTrimmed(s, PromptIds.credentialsToken, {
		title: vscode.l10n.t('STS security token'),
		prompt: temporary
			? vscode.l10n.t('Required: this AccessKey ID is a temporary STS key.')
			: vscode.l10n.t('Optional: only for temporary STS keys. Leave empty for a permanent AccessKey.'),
		password: true,
		validateInput: (value) => (temporary && value.trim() === '' ? vscode.l10n.t('An STS key needs its security token.') : undefined),
	});
	s.mask.add(securityToken);
	return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

async function askInstanceId(s: Services, region: string): Promise<string | undefined> {
	const required = findRegion(region)?.enterpriseOnly === true;
	const value = await ask(
		s.prompter.input(PromptIds.credentialsInstanceId, {
			title: vscode.l10n.t('IotInstanceId'),
			prompt: required
				? vscode.l10n.t('Required in {0}: the id of your Enterprise instance (iot-…), from the IoT Platform console.', region)
				: vscode.l10n.t('Optional: the Enterprise instance id (iot-…). Leave empty for the public instance.'),
			ignoreFocusOut: true,
			validateInput: (text) => {
				const id = text.trim();
				if (!id) {
					return required ? vscode.l10n.t('{0} only has Enterprise instances: enter the IotInstanceId.', region) : undefined;
				}
				return /^[A-Za-z0-9_-]{1,64}$/.test(id)
					? undefined
					: vscode.l10n.t('Use the instance id as shown in the console, e.g. iot-060a0xyz.');
			},
		}),
	);
	return value.trim() || undefined;
}
