// One multi-file package is one CreateOTAFirmware in one account and instance: in a multi-root workspace whose folders
// set their own iotOta.region / endpoint / iotInstanceId, its files must all resolve to the same connection.
import path from 'node:path';
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import type { Services } from '../commands/services';
import { connectionConflict, connectionDifferences } from '../credentials/folderConnection';
import type { ProfileRecord } from '../model';
import { connectionChoice } from '../workspaceTrust';

/** Refuses, before any question or request, files whose folders' settings choose different connections for `profile`. */
export function assertOneConnection(s: Services, uris: readonly vscode.Uri[], profile: ProfileRecord): void {
	const files = uris.map((uri) => ({
		name: path.posix.basename(uri.path),
		connection: connectionChoice(profile, s.settings, uri, s.endpointDeclines.list()),
	}));
	const conflict = connectionConflict(files);
	if (!conflict) {
		return;
	}
	const [first, other] = conflict;
	const differences = connectionDifferences(first.connection, other.connection, vscode.l10n.t('(not set)')).join(', ');
	throw new OtaError({
		code: 'PackageConnectionsDiffer',
		source: 'validation',
		message: vscode.l10n.t(
			'{0} and {1} are in folders whose settings choose different connections ({2}), and one package is registered in one account and instance. Upload them as a package per file, or give the folders the same settings.',
			first.name,
			other.name,
			differences,
		),
	});
}
