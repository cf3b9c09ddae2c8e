// When a watch goes on and when it ends: the errors no retry can mend, the wait before a retry, what a persisted watch
// must hold, whether a Watch Job sets another guard.
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import type { GuardPolicy } from '../../core/lifecycle';
import type { WatchedJob } from './contract';

/** The wait before retrying after the n-th failed refresh in a row: 5 s doubling up to 5 min. */
export const defaultRetryDelay = (failures: number) => Math.min(300_000, 5000 * 2 ** Math.min(failures - 1, 6));

/**
 * Errors no retry can mend: the job is gone (docs/protocols.md §11.10), or the watch's profile has no credentials, or
 * its AccessKey is unknown (§5.1).
 */
export const PERMANENT = new Set(['NoCredentials', 'iot.ota.InvalidJobId', 'InvalidAccessKeyId.NotFound']);

export const sameGuard = (a: GuardPolicy | undefined, b: GuardPolicy | undefined) =>
	a?.failurePercent === b?.failurePercent && a?.minFinished === b?.minFinished;

/** The watch's profile was removed, or its secret is missing on this machine. */
export const profileGone = (profile: string) =>
	new OtaError({
		code: 'NoCredentials',
		source: 'credentials',
		message: vscode.l10n.t('Profile "{0}" of this watch has no credentials on this machine.', profile),
	});

/** Why the watches of the Local Sandbox's profile ended when the user stopped it (none restarts it). */
export const sandboxStoppedReason = () => vscode.l10n.t('The Local sandbox was stopped.');

export function isWatchedJob(value: unknown): value is WatchedJob {
	const v = value as Partial<WatchedJob> | undefined;
	return typeof v?.jobId === 'string' && typeof v.profile === 'string' && typeof v.since === 'number';
}
