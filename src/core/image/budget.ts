// How much work reading one file may cost: archives are inflated as they are read, and a small ZIP or gzip bomb would
// otherwise make inspect, upload and the extension's Firmware Files view inflate a terabyte (docs/protocols.md §9.3).
import { formatBytes, formatCount } from '../format';
import { named } from './checks';
import type { IntegrityCheck } from './types';

/** Inflated bytes allowed per file: ten times its own size, and never less than this. */
export const MIN_INFLATED_BYTES = 256 * 1024 * 1024;
export const INFLATION_RATIO = 10;
/** Archive entries examined per file (ZIP and tar, nested ones included). */
export const MAX_ARCHIVE_ENTRIES = 10_000;

/** Thrown where a limit is reached; the outermost archive turns it into an `unverifiable` check and keeps what it read. */
export class BudgetExceeded extends Error {
	constructor(readonly check: IntegrityCheck) {
		super(check.detail);
		this.name = 'BudgetExceeded';
	}
}

export class InspectionBudget {
	private inflated = 0;
	private entries = 0;
	readonly maxInflatedBytes: number;

	constructor(fileSize: number) {
		this.maxInflatedBytes = Math.max(MIN_INFLATED_BYTES, INFLATION_RATIO * fileSize);
	}

	/** Counts `n` bytes that came out of a decompressor. */
	inflate(n: number): void {
		this.inflated += n;
		if (this.inflated > this.maxInflatedBytes) {
			throw new BudgetExceeded({
				...named({ kind: 'archive-contents' }),
				status: 'unverifiable',
				detail: `they inflate to more than ${formatBytes(this.maxInflatedBytes)}; the rest was not read`,
			});
		}
	}

	/** Counts one archive entry. */
	entry(): void {
		this.entries++;
		if (this.entries > MAX_ARCHIVE_ENTRIES) {
			throw new BudgetExceeded({
				...named({ kind: 'archive-entries' }),
				status: 'unverifiable',
				detail: `more than ${formatCount(MAX_ARCHIVE_ENTRIES)} entries; the rest were not read`,
			});
		}
	}
}
