// Which connections the OTA Packages view lists: the active profile's, once per distinct connection that the open
// folders' settings (iotOta.region / endpoint / iotInstanceId) choose (credentials/folderConnection.ts's rule), a
// folder's endpoint that the user declined in this window being the one its calls use instead (the user's, the region's). One
// connection (the common case, a window without folders, the Local sandbox profile): none, the view lists it as ever.
import * as vscode from 'vscode';
import { connectionGroups, connectionKey, differingSettings, type ConnectionChoice } from '../credentials/folderConnection';
import type { EndpointDeclines } from '../credentials/endpointDeclines';
import type { ProfileRecord } from '../model';
import type { Settings } from '../settings';
import { connectionChoice } from '../workspaceTrust';
import { placeAt } from './access';
import type { OtaPlace } from './contract';
import { schemeTellsApart } from './presentation';

export interface ViewGroup {
	key: string;
	connection: ConnectionChoice;
	/** The names of the folders that choose it. */
	folders: string[];
	/** Its first folder's place. */
	place: OtaPlace;
	/** The settings that differ between the groups. */
	differing: string[];
	/** Its label shows its endpoint's scheme: that is what tells it from another group (presentation.ts schemeTellsApart). */
	showsScheme: boolean;
}

export interface ViewGroupSource {
	profiles: { active(): ProfileRecord | undefined; get(name: string): ProfileRecord | undefined };
	settings: Settings;
	declines: Pick<EndpointDeclines, 'list'>;
}

/** The view's connections; empty when the open folders choose one (or none). */
export function viewGroups({ profiles, settings, declines }: ViewGroupSource): ViewGroup[] {
	const profile = profiles.active();
	const folders = profile ? (vscode.workspace.workspaceFolders ?? []) : [];
	if (!profile || folders.length < 2) {
		return [];
	}
	const declined = declines.list();
	const groups = connectionGroups(
		folders.map((folder) => ({
			name: folder.name,
			uri: folder.uri,
			connection: connectionChoice(profile, settings, folder.uri, declined),
		})),
	);
	if (groups.length < 2) {
		return [];
	}
	const connections = groups.map((group) => group.connection);
	const differing = differingSettings(connections);
	return groups.map(({ key, connection, members }) => ({
		key,
		connection,
		folders: members.map((member) => member.name),
		place: placeAt(profile.name, members[0].uri),
		differing,
		showsScheme: schemeTellsApart(connection, connections),
	}));
}

/**
 * The place of the first open folder whose settings choose `connection` for the profile `name` (the rule of the rows),
 * undefined when none does: where a watch whose folder was removed polls on (watchRules.ts placeInstead).
 */
export function placeChoosing(
	{ profiles, settings, declines }: ViewGroupSource,
	name: string,
	connection: ConnectionChoice,
): OtaPlace | undefined {
	const profile = profiles.get(name);
	const key = connectionKey(connection);
	const folder =
		profile &&
		(vscode.workspace.workspaceFolders ?? []).find(
			(candidate) => connectionKey(connectionChoice(profile, settings, candidate.uri, declines.list())) === key,
		);
	return folder ? placeAt(name, folder.uri) : undefined;
}

/** The connection key of a place (its file's folder settings, the window's without a file); undefined: its profile is gone. */
export function placeKey({ profiles, settings, declines }: ViewGroupSource, place: OtaPlace): string | undefined {
	const profile = profiles.get(place.profile);
	const scope = place.scope === undefined ? undefined : vscode.Uri.parse(place.scope);
	return profile && connectionKey(connectionChoice(profile, settings, scope, declines.list()));
}
