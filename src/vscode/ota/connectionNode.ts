// The root rows of the OTA Packages view when the open folders' settings (iotOta.region / endpoint / iotInstanceId)
// choose more than one connection for the active profile: one per connection, its products below it. No `vscode` import.
import type { ConnectionChoice } from '../credentials/folderConnection';
import type { OtaPlace } from './contract';
import { otaContextValue, type OtaRef } from './refs';

export class ConnectionNode {
	readonly kind = 'connection';
	readonly parent = undefined;
	constructor(
		/** folderConnection.ts connectionKey. */
		readonly key: string,
		public connection: ConnectionChoice,
		/** The names of the folders whose settings choose it. */
		public folders: string[],
		/** Where its rows' commands reach the platform: the first of its folders. */
		public place: OtaPlace,
		/** The settings that differ between the view's connections (`iotOta.region`…). */
		public differing: string[],
		/** Its label shows its endpoint's scheme (viewGroups.ts). */
		public showsScheme = false,
	) {}
	get id(): string {
		return `ota:connection:${this.key}`;
	}
	get group(): ConnectionNode {
		return this;
	}
	get ref(): OtaRef {
		return {};
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}

/** A node's id under its connection's row (unchanged without one: a single connection shows no such rows). */
export function scopedId(group: ConnectionNode | undefined, id: string): string {
	return group ? `${group.id}/${id}` : id;
}
