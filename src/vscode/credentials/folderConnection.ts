// Pure rule for files whose folders may set their own iotOta.region / endpoint / iotInstanceId (no vscode import:
// unit-tested in plain Node). One multi-file package is one CreateOTAFirmware in one account and instance, so its
// files must all resolve to one connection.
import { shownEndpoint } from '../../core/regions';

/** What a file's folder settings make of the connection (undefined: the profile's value, or the region endpoint). */
export interface ConnectionChoice {
	region: string;
	endpoint?: string;
	iotInstanceId?: string;
}

export interface FileConnection {
	name: string;
	connection: ConnectionChoice;
}

/** Endpoints compare as URLs do (case, trailing slash); region and instance ids as typed (settings.ts trims them). */
const normalise = (key: keyof ConnectionChoice, value: string | undefined): string =>
	key === 'endpoint' ? (value ?? '').replace(/\/+$/, '').toLowerCase() : (value ?? '');

const KEYS = ['region', 'endpoint', 'iotInstanceId'] as const;

/** A setting that chooses the connection. */
export type ConnectionSetting = (typeof KEYS)[number];

/** The settings that choose the connection, in the order texts name them. */
export const CONNECTION_SETTINGS: readonly ConnectionSetting[] = KEYS;

/** The settings whose values differ between `a` and `b`, as compared. */
export function differingKeys(a: ConnectionChoice, b: ConnectionChoice): ConnectionSetting[] {
	return KEYS.filter((key) => normalise(key, a[key]) !== normalise(key, b[key]));
}

/** How output may show a setting's value: an endpoint without user name, password or secret query (shownEndpoint). */
export const shownSetting = (key: ConnectionSetting, value: string): string => (key === 'endpoint' ? shownEndpoint(value) : value);

/** `iotOta.key "a" ≠ "b"` for each of `keys` (`none` for a value not set), each value as output may show it. */
export function differencesText(
	keys: readonly ConnectionSetting[],
	a: Partial<ConnectionChoice>,
	b: Partial<ConnectionChoice>,
	none: string,
): string[] {
	const shown = (key: ConnectionSetting, value: string | undefined) => (value === undefined ? none : `"${shownSetting(key, value)}"`);
	return keys.map((key) => `iotOta.${key} ${shown(key, a[key])} ≠ ${shown(key, b[key])}`);
}

/** The settings whose values differ, as `iotOta.key "a" ≠ "b"` (differencesText). */
export function connectionDifferences(a: ConnectionChoice, b: ConnectionChoice, none: string): string[] {
	return differencesText(differingKeys(a, b), a, b, none);
}

/** The first file whose connection differs from the first file's, with that first file; undefined when one serves all. */
export function connectionConflict(files: readonly FileConnection[]): [FileConnection, FileConnection] | undefined {
	const [first, ...rest] = files;
	const other = rest.find((file) => differingKeys(first.connection, file.connection).length > 0);
	return other ? [first, other] : undefined;
}

/** One connection with the folders (or files) whose settings choose it. */
export interface ConnectionGroup<T extends FileConnection> {
	/** The connection as compared (normalised region, endpoint, instance): equal keys, one connection. */
	key: string;
	connection: ConnectionChoice;
	members: T[];
}

/** A connection's comparison key: its values as connectionDifferences compares them. */
export function connectionKey(connection: ConnectionChoice): string {
	return KEYS.map((key) => normalise(key, connection[key])).join('|');
}

/** Items grouped by the connection they choose (the rule connectionDifferences applies), groups and members in item order. */
export function connectionGroups<T extends FileConnection>(items: readonly T[]): Array<ConnectionGroup<T>> {
	const groups = new Map<string, ConnectionGroup<T>>();
	for (const item of items) {
		const key = connectionKey(item.connection);
		const group = groups.get(key);
		if (group) {
			group.members.push(item);
		} else {
			groups.set(key, { key, connection: item.connection, members: [item] });
		}
	}
	return [...groups.values()];
}

/** The settings (`iotOta.region`…) whose values are not the same in every one of `connections`. */
export function differingSettings(connections: readonly ConnectionChoice[]): string[] {
	return KEYS.filter((key) => new Set(connections.map((connection) => normalise(key, connection[key]))).size > 1).map(
		(key) => `iotOta.${key}`,
	);
}
