import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times (USER_HZ is 100 on every mainstream Linux build). */
const TICKS_PER_SECOND = 100;

export interface MachineCpu {
	/** Ticks any core spent not idle (user, nice, system, irq, softirq, steal). */
	busy: number;
	total: number;
}

/** Whole-machine CPU counters from /proc/stat (undefined where there is no /proc). */
export function machineCpu(): MachineCpu | undefined {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
		return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
	} catch {
		return undefined;
	}
}

/** Percent of all cores busy between two snapshots. */
export function busyPercent(before: MachineCpu | undefined, after: MachineCpu | undefined): number | undefined {
	if (!before || !after || after.total === before.total) {
		return undefined;
	}
	return ((after.busy - before.busy) / (after.total - before.total)) * 100;
}

/** User + system CPU time (ms) a process and all its threads used so far, from /proc/<pid>/stat. */
export function processCpuMs(pid: number | undefined): number | undefined {
	if (pid === undefined) {
		return undefined;
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS_PER_SECOND;
	} catch {
		return undefined;
	}
}
