// The page a paged action is asked for, held to the action's largest PageSize from ACTION_FACTS (docs/protocols.md
// §12.1) before any call, so a bad page number or size gets one clear message instead of a platform error.
import { OtaError } from '../errors';
import { listingTooLong, RESPONSE_LIMITS } from '../responseBounds';
import { type ListAction, MAX_CURRENT_PAGE, maxPageSize, type PagedAction } from './actions';

export interface PageQuery {
	currentPage?: number;
	pageSize?: number;
}

export interface PageRequest {
	currentPage: number;
	pageSize: number;
}

/** PageSize when the caller gives none (the CLI's help states it). */
export const DEFAULT_PAGE_SIZE = 20;

/** The page of `action` that `q` asks for (PageSize default DEFAULT_PAGE_SIZE, at most the action's maxPageSize). */
export function actionPage(action: PagedAction, q: PageQuery, maxCurrentPage = Number.MAX_SAFE_INTEGER): PageRequest {
	const limit = maxPageSize(action);
	const currentPage = q.currentPage ?? 1;
	const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
	if (!Number.isInteger(currentPage) || currentPage < 1 || currentPage > maxCurrentPage) {
		const range = maxCurrentPage < Number.MAX_SAFE_INTEGER ? `from 1 to ${maxCurrentPage}` : '≥ 1';
		throw new OtaError({
			code: 'InvalidCurrentPage',
			source: 'validation',
			message: `The page number must be a whole number ${range} (got ${currentPage}).`,
		});
	}
	if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > limit) {
		throw new OtaError({
			code: 'InvalidPageSize',
			source: 'validation',
			message: `The page size must be a whole number from 1 to ${limit} (got ${pageSize}).`,
		});
	}
	return { currentPage, pageSize };
}

/** The page of a ListOTAFirmware or QueryProductList call: its PageSize maximum, CurrentPage up to MAX_CURRENT_PAGE. */
export function listPage(action: ListAction, q: PageQuery): PageRequest {
	return actionPage(action, q, MAX_CURRENT_PAGE);
}

/**
 * Every item of a paged action, read in its largest pages until a short page or the total is reached, or `maxPages`
 * pages were read (a listing a platform fact bounds: what they hold is the answer); a server whose pages go on past
 * RESPONSE_LIMITS.listingItems is refused (docs/protocols.md §14.1).
 */
export async function everyPage<T>(
	action: PagedAction,
	read: (page: PageRequest) => Promise<{ items: T[]; total: number }>,
	options: { maxPages?: number } = {},
): Promise<T[]> {
	const pageSize = maxPageSize(action);
	const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
	const items: T[] = [];
	for (let currentPage = 1; ; currentPage++) {
		const page = await read({ currentPage, pageSize });
		items.push(...page.items);
		if (page.items.length < pageSize || items.length >= page.total || currentPage >= maxPages) {
			return items;
		}
		if (items.length >= RESPONSE_LIMITS.listingItems) {
			throw listingTooLong(action, RESPONSE_LIMITS.listingItems);
		}
	}
}
