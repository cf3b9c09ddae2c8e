// Finding the node a reference names in the OTA Packages view, loading the path to it (product → package → job → task
// group): what reveal shows. With one row per connection, under the row of the reference's place.
import { OtaError } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import { FIRMWARE_NOT_FOUND, JOB_NOT_FOUND } from '../../core/apiErrorCodes';
import type { LifecycleClient } from '../../core/lifecycle';
import type { OtaPlace } from './contract';
import type { ConnectionNode, JobNode, OtaNode, OtaRef, PackageNode, ProductNode } from './nodes';

/** What locating reads of the tree (treeData.ts). */
export interface TreeReader {
	children(node?: OtaNode): Promise<readonly OtaNode[]>;
	/** A child of `parent` (the root when undefined); a list read before the child existed is read once more. */
	findChild<T extends OtaNode>(parent: OtaNode | undefined, match: (node: OtaNode) => node is T): Promise<T | undefined>;
	/** The lifecycle client of a connection row (the active profile's without one). */
	lifecycle(group?: ConnectionNode): Promise<LifecycleClient>;
	groupKey(place: OtaPlace): string | undefined;
}

/**
 * The node `ref` names most specifically. When the view lists several connections: under the row of `place`'s
 * connection, or without a place under the first row that has it.
 */
export async function locate(tree: TreeReader, ref: OtaRef, place?: OtaPlace): Promise<OtaNode> {
	const groups = await connectionRows(tree);
	if (groups.length === 0) {
		return locateUnder(tree, undefined, ref);
	}
	const key = place && tree.groupKey(place);
	const [found] = await underRows(tree, place ? groups.filter((group) => group.key === key) : groups, ref, 'first');
	return found.node;
}

/**
 * The connection rows that show `ref` (each looked in as locate looks without a place), in the view's order; none when
 * the view lists one connection. No row shows it: locate's refusal.
 */
export async function rowsShowing(tree: TreeReader, ref: OtaRef): Promise<ConnectionNode[]> {
	const groups = await connectionRows(tree);
	return groups.length === 0 ? [] : (await underRows(tree, groups, ref, 'every')).map(({ group }) => group);
}

async function connectionRows(tree: TreeReader): Promise<ConnectionNode[]> {
	return (await tree.children()).filter((n): n is ConnectionNode => n.kind === 'connection');
}

/**
 * The node of `ref` under `groups`, row by row: a row that does not have it (notUnder) is passed over; when none has it,
 * the last row's answer stands. `first`: stop at the first row that has it.
 */
async function underRows(
	tree: TreeReader,
	groups: readonly ConnectionNode[],
	ref: OtaRef,
	rows: 'first' | 'every',
): Promise<Array<{ group: ConnectionNode; node: OtaNode }>> {
	const found: Array<{ group: ConnectionNode; node: OtaNode }> = [];
	let missing: unknown = notInView(ref.firmwareId ?? ref.jobId ?? ref.productKey);
	for (const group of groups) {
		try {
			found.push({ group, node: await locateUnder(tree, group, ref) });
		} catch (error) {
			if (!notUnder(error)) {
				throw error;
			}
			missing = error;
			continue;
		}
		if (rows === 'first') {
			break;
		}
	}
	if (found.length === 0) {
		throw missing;
	}
	return found;
}

async function locateUnder(tree: TreeReader, group: ConnectionNode | undefined, ref: OtaRef): Promise<OtaNode> {
	let { productKey, firmwareId } = ref;
	if (ref.jobId && (!productKey || !firmwareId)) {
		const job = await (await tree.lifecycle(group)).queryJob(ref.jobId);
		productKey ??= job.productKey;
		firmwareId ??= job.firmwareId;
	}
	if (firmwareId && !productKey) {
		productKey = (await (await tree.lifecycle(group)).queryFirmware(firmwareId)).productKey;
	}
	const product = await tree.findChild(group, (n): n is ProductNode => n.kind === 'product' && n.productKey === productKey);
	if (!product) {
		throw notInView(productKey);
	}
	if (!firmwareId) {
		return product;
	}
	const pkg = await tree.findChild(product, (n): n is PackageNode => n.kind === 'package' && n.firmware.firmwareId === firmwareId);
	if (!pkg) {
		throw notInView(firmwareId);
	}
	if (!ref.jobId) {
		return pkg;
	}
	const job = await tree.findChild(pkg, (n): n is JobNode => n.kind === 'job' && n.jobId === ref.jobId);
	if (!job) {
		throw notInView(ref.jobId);
	}
	if (!ref.taskStatus) {
		return job;
	}
	return (await tree.children(job)).find((n) => n.kind === 'taskGroup' && n.status === ref.taskStatus) ?? job;
}

/**
 * The reference is not under this row: not in its lists, or its connection does not know the job or package asked for
 * (QueryOTAJob / QueryOTAFirmware of another instance or region), so the next row may have it.
 */
function notUnder(error: unknown): boolean {
	return error instanceof OtaError && [NOT_IN_VIEW, JOB_NOT_FOUND, FIRMWARE_NOT_FOUND].includes(error.code);
}

const NOT_IN_VIEW = 'NotFound';

function notInView(what: string | undefined): OtaError {
	return shellRefusal(NOT_IN_VIEW, 'not-in-ota-view', { what: what ?? '?' });
}
