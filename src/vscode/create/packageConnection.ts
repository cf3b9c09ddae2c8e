// One multi-file package is one CreateOTAFirmware in one account and instance: in a multi-root workspace whose folders
// set their own iotOta.region / endpoint / iotInstanceId, its files must all resolve to the same connection.
import path from 'node:path';
import type * as vscode from 'vscode';
import type { Services } from '../commands/services';
import { connectionConflict } from '../credentials/folderConnection';
import { differenceValues, shellRefusal } from '../errorWordingsShell';
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
	throw shellRefusal('PackageConnectionsDiffer', 'package-connections-differ', {
		first: first.name,
		other: other.name,
		...differenceValues(first.connection, other.connection),
	});
}
