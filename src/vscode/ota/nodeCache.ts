import type { OtaNode } from './nodes';

/**
 * The tree's nodes by id. VS Code refreshes and reveals an element by identity, so a reloaded list hands out the same
 * objects (updated) for the same ids; what left a list is forgotten with everything below it, so a long watch of a
 * 100,000-device job keeps only the rows on screen.
 */
export class NodeCache {
	private readonly byId = new Map<string, OtaNode>();
	private readonly childIds = new Map<string, string[]>();

	/** The cached node of `created.id` updated by `update`, or `created` itself the first time. */
	reuse<T extends OtaNode>(created: T, update?: (existing: T) => void): T {
		const existing = this.byId.get(created.id) as T | undefined;
		if (existing && existing.kind === created.kind) {
			update?.(existing);
			return existing;
		}
		this.byId.set(created.id, created);
		return created;
	}

	get(id: string): OtaNode | undefined {
		return this.byId.get(id);
	}

	/** Records `parent`'s children; those it had before and no longer has are dropped with their descendants. */
	setChildren(parentId: string, children: readonly OtaNode[]): readonly OtaNode[] {
		const ids = children.map((child) => child.id);
		const kept = new Set(ids);
		for (const old of this.childIds.get(parentId) ?? []) {
			if (!kept.has(old)) {
				this.forget(old);
			}
		}
		this.childIds.set(parentId, ids);
		return children;
	}

	/** Children recorded for `parentId` (undefined: never loaded). */
	children(parentId: string): OtaNode[] | undefined {
		return this.childIds.get(parentId)?.flatMap((id) => this.byId.get(id) ?? []);
	}

	/** Drops a node and everything below it. */
	forget(id: string): void {
		for (const child of this.childIds.get(id) ?? []) {
			this.forget(child);
		}
		this.childIds.delete(id);
		this.byId.delete(id);
	}

	clear(): void {
		this.byId.clear();
		this.childIds.clear();
	}

	/** Nodes held (tests and the benchmark check that paging bounds it). */
	get size(): number {
		return this.byId.size;
	}

	*all(): IterableIterator<OtaNode> {
		yield* this.byId.values();
	}
}
