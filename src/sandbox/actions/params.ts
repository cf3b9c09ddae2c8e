import { maxPageSize, type PagedAction } from '../../core/iot/actions';
import { platformLength } from '../../core/otaFacts';
import type { RpcParams } from '../popSignature';
import { businessErrors, gatewayErrors, type BusinessError } from '../rpcErrors';

/**
 * The one validation toolkit of the RPC handlers: reads a request's parameters (lists flattened as
 * `Name.N`, object lists as `Name.N.Sub`, docs/protocols.md §11.0) and refuses bad ones with the shape
 * the platform uses: a missing required parameter is the gateway's `Missing<Name>`, a bad value
 * `iot.check.InvalidFormattedParameter` unless the caller names the documented code, paging
 * `iot.common.InvalidPageParams`.
 */

type Refusal = () => BusinessError;

export interface IntRule {
	min: number;
	max: number;
	/** The documented refusal for this parameter, when there is one. */
	error?: Refusal;
}

export interface ListRule {
	/** A required parameter: no item at all is the gateway's `Missing<Name>`. */
	required?: boolean;
	/** Fewer items than this (default 0) and more than `max` are refused. */
	min?: number;
	max: number;
	/** Duplicates are refused. */
	unique?: boolean;
	error?: Refusal;
}

export interface PageRule {
	/** The action paged: its largest PageSize is the core's fact (docs/protocols.md §12.1). */
	action: PagedAction;
	/** CurrentPage and PageSize are required parameters (else they default to 1 and `defaultPageSize`). */
	required?: boolean;
	defaultPageSize?: number;
	/** CurrentPage × PageSize may not exceed this. */
	maxProduct?: number;
}

export interface Page {
	currentPage: number;
	pageSize: number;
}

export class ParamReader {
	/** IotInstanceId, already checked by the dispatcher. */
	readonly instanceId: string | undefined;

	constructor(readonly raw: RpcParams) {
		this.instanceId = raw.IotInstanceId || undefined;
	}

	/** The region the call was sent to (the RegionId common parameter). */
	get regionId(): string {
		return this.raw.RegionId ?? '';
	}

	has(name: string): boolean {
		return this.optional(name) !== undefined;
	}

	optional(name: string): string | undefined {
		const value = this.raw[name];
		return value === undefined || value === '' ? undefined : value;
	}

	required(name: string): string {
		const value = this.optional(name);
		if (value === undefined) {
			throw gatewayErrors.missing(name);
		}
		return value;
	}

	/** A string of `max` characters at most, counted as the platform counts (docs/protocols.md §13.1). */
	text(name: string, max: number, error?: Refusal): string | undefined {
		const value = this.optional(name);
		if (value !== undefined && platformLength(value) > max) {
			throw error ? error() : businessErrors.invalidParameter(name, `must be at most ${max} characters.`);
		}
		return value;
	}

	integer(name: string, rule: IntRule): number | undefined {
		const value = this.optional(name);
		if (value === undefined) {
			return undefined;
		}
		const n = Number(value);
		if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < rule.min || n > rule.max) {
			throw rule.error ? rule.error() : businessErrors.invalidParameter(name, `must be an integer from ${rule.min} to ${rule.max}.`);
		}
		return n;
	}

	boolean(name: string): boolean | undefined {
		const value = this.optional(name)?.toLowerCase();
		if (value === undefined) {
			return undefined;
		}
		if (value !== 'true' && value !== 'false') {
			throw businessErrors.invalidParameter(name, 'must be true or false.');
		}
		return value === 'true';
	}

	choice<T extends string>(name: string, values: readonly T[], error?: Refusal): T | undefined {
		const value = this.optional(name);
		if (value !== undefined && !(values as readonly string[]).includes(value)) {
			throw error ? error() : businessErrors.invalidParameter(name, `must be one of ${values.join(', ')}.`);
		}
		return value as T | undefined;
	}

	/** `Name.1`, `Name.2`, … in index order; an empty item is refused. */
	list(name: string, rule: ListRule): string[] {
		const items = this.indexed(name, '').map(([, value]) => value);
		if (rule.required && items.length === 0) {
			throw gatewayErrors.missing(name);
		}
		const refuse = (why: string): never => {
			throw rule.error ? rule.error() : businessErrors.invalidParameter(`${name}.N`, why);
		};
		if (items.some((item) => item === '')) {
			refuse('an item is empty.');
		}
		if (items.length < (rule.min ?? 0) || items.length > rule.max) {
			refuse(rule.min ? `give ${rule.min} to ${rule.max} items.` : `give at most ${rule.max} items.`);
		}
		if (rule.unique && new Set(items).size !== items.length) {
			refuse('the items must be unique.');
		}
		return items;
	}

	/** `Name.N.Sub` object lists, e.g. `Tag.1.Key` / `Tag.1.Value`, in index order. */
	objects<K extends string>(name: string, keys: readonly K[]): Array<Partial<Record<K, string>>> {
		const byIndex = new Map<number, Partial<Record<K, string>>>();
		for (const key of keys) {
			for (const [index, value] of this.indexed(name, `.${key}`)) {
				byIndex.set(index, { ...byIndex.get(index), [key]: value } as Partial<Record<K, string>>);
			}
		}
		return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
	}

	page(rule: PageRule): Page {
		if (rule.required) {
			this.required('CurrentPage');
			this.required('PageSize');
		}
		const refuse = (why: string): BusinessError => businessErrors.invalidPage(why);
		const limit = maxPageSize(rule.action);
		const currentPage =
			this.integer('CurrentPage', {
				min: 1,
				max: Number.MAX_SAFE_INTEGER,
				error: () => refuse('CurrentPage must be an integer of at least 1.'),
			}) ?? 1;
		const pageSize =
			this.integer('PageSize', {
				min: 1,
				max: limit,
				error: () => refuse(`PageSize must be an integer from 1 to ${limit}.`),
			}) ??
			rule.defaultPageSize ??
			10;
		if (rule.maxProduct !== undefined && currentPage * pageSize > rule.maxProduct) {
			throw refuse(`CurrentPage × PageSize must be at most ${rule.maxProduct}.`);
		}
		return { currentPage, pageSize };
	}

	/** [index, value] of every `Name.<index><suffix>` parameter, by index. */
	private indexed(name: string, suffix: string): Array<[number, string]> {
		const prefix = `${name}.`;
		const found: Array<[number, string]> = [];
		for (const [key, value] of Object.entries(this.raw)) {
			if (!key.startsWith(prefix) || !key.endsWith(suffix)) {
				continue;
			}
			const index = key.slice(prefix.length, key.length - suffix.length);
			if (/^[1-9]\d{0,5}$/.test(index)) {
				found.push([Number(index), value]);
			}
		}
		return found.sort((a, b) => a[0] - b[0]);
	}
}

/** The items of page `currentPage` (1-based) of `all`. */
export function pageOf<T>(all: readonly T[], page: Page): T[] {
	const start = (page.currentPage - 1) * page.pageSize;
	return all.slice(start, start + page.pageSize);
}

/** The counts a paged answer carries; QueryDevice and QueryDeviceListByDeviceGroup name the page `Page`. */
export function pageCounts(total: number, page: Page, pageField: 'CurrentPage' | 'Page' = 'CurrentPage'): Record<string, number> {
	return { [pageField]: page.currentPage, PageSize: page.pageSize, PageCount: Math.ceil(total / page.pageSize), Total: total };
}
