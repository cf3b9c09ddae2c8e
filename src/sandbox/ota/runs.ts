/**
 * Run-length encoding for the lifecycle's saved state: a 100,000-task job is a few columns of runs
 * (most tasks share their status, progress, versions, devices in sequence), so saving it costs
 * milliseconds and little memory instead of 100,000 row strings.
 */

/** Equal neighbours as [value, count] pairs. */
export class Runs<T> {
	readonly runs: Array<[T, number]> = [];

	push(value: T): void {
		const last = this.runs[this.runs.length - 1];
		if (last && last[0] === value) {
			last[1] += 1;
		} else {
			this.runs.push([value, 1]);
		}
	}
}

/** Consecutive integers as [first, count] pairs (device positions of a job are mostly in sequence). */
export class Steps {
	readonly runs: Array<[number, number]> = [];

	push(value: number): void {
		const last = this.runs[this.runs.length - 1];
		if (last && last[0] + last[1] === value) {
			last[1] += 1;
		} else {
			this.runs.push([value, 1]);
		}
	}
}

export function expandRuns<T>(runs: ReadonlyArray<readonly [T, number]>): T[] {
	const values: T[] = [];
	for (const [value, count] of runs) {
		for (let i = 0; i < count; i++) {
			values.push(value);
		}
	}
	return values;
}

export function expandSteps(runs: ReadonlyArray<readonly [number, number]>): number[] {
	const values: number[] = [];
	for (const [first, count] of runs) {
		for (let i = 0; i < count; i++) {
			values.push(first + i);
		}
	}
	return values;
}
