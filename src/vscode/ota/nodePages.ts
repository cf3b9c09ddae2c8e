// A list of the OTA Packages view read a page at a time ("Load more…"): what was read is kept per node until the
// tree forgets it (a refresh, a change).
import type { NodeCache } from './nodeCache';

export abstract class NodePages<State> {
	protected readonly pages = new Map<string, State>();

	constructor(protected readonly cache: NodeCache) {}

	/** Forgets the pages read for a node (all of them without an id). */
	invalidate(id?: string): void {
		if (id === undefined) {
			this.pages.clear();
		} else {
			this.pages.delete(id);
		}
	}
}
