// Small images on loopback (1, 4, 16 MB): a typical firmware, where fixed costs are most of the time. Ours (the core
// uploader in a fresh process, API client warmed by one call) against curl (ticket from the bench's warm client),
// each split into ticket, upload to the last byte, and what remains after it. Also ours in a process that uploaded
// the file once before (the extension host from its second upload on): the fresh process's first-use costs apart.
import { curlWithTicket } from './curl';
import { checkDigests, pause, type BenchContext, type OursRun } from './context';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure } from './measure';
import { median, round } from './stats';
import { clearObjects } from './sandboxProcess';

interface Split {
	ticketMs: number;
	uploadMs: number;
	afterMs: number;
}

export interface SmallRow {
	sizeMb: number;
	oursMs: number;
	curlMs: number;
	/** ours MB/s ÷ curl MB/s. */
	ratio: number;
	/** oursMs − curlMs: what ours costs on top of curl per upload. */
	fixedCostMs: number;
	/** Ours in a process that has uploaded once before, and that minus curlMs. */
	oursWarmMs: number;
	warmFixedCostMs: number;
	/** Medians of each part (so they need not add up to the median total). */
	ours: Split;
	oursWarm: Split;
	curl: Split;
}

export async function runSmall(ctx: BenchContext, sizes: number[], rounds: number): Promise<SmallRow[]> {
	const rows: SmallRow[] = [];
	for (const sizeMb of sizes) {
		const file = await ensureTestFile(ctx.cacheDir, sizeMb);
		await fileDigests(file);
		const ours: Array<Split & { ms: number }> = [];
		const oursWarm: Array<Split & { ms: number }> = [];
		const curl: Array<Split & { ms: number }> = [];
		for (let i = 0; i < rounds; i++) {
			// Spaced so the tickets stay under the sandbox's 10 calls per second.
			await pause(150);
			for (const [runs, warm] of [
				[ours, '0'],
				[oursWarm, '1'],
			] as const) {
				const m = await measure(process.execPath, [ctx.bundles.childOurs, file], {
					...ctx.childEnv,
					BENCH_HASH: '1',
					BENCH_WARM: warm,
				});
				const run = lastJson<OursRun>(m.stdout);
				await checkDigests(file, run);
				runs.push(run);
				await pause(150);
			}
			await pause(150);
			const post = await curlWithTicket(ctx.client, file, { trace: true });
			const uploadMs = post.lastByteMs ?? post.totalMs;
			curl.push({ ms: post.ticketMs + post.totalMs, ticketMs: post.ticketMs, uploadMs, afterMs: post.totalMs - uploadMs });
			clearObjects(ctx.sandbox.info.dataDir);
		}
		const med = (runs: Array<Split & { ms: number }>, pick: (s: Split & { ms: number }) => number) => round(median(runs.map(pick)), 1);
		const split = (runs: Array<Split & { ms: number }>): Split => ({
			ticketMs: med(runs, (r) => r.ticketMs),
			uploadMs: med(runs, (r) => r.uploadMs),
			afterMs: med(runs, (r) => r.afterMs),
		});
		const oursMs = med(ours, (r) => r.ms);
		const oursWarmMs = med(oursWarm, (r) => r.ms);
		const curlMs = med(curl, (r) => r.ms);
		rows.push({
			sizeMb,
			oursMs,
			curlMs,
			ratio: round(curlMs / oursMs, 3),
			fixedCostMs: round(oursMs - curlMs, 1),
			oursWarmMs,
			warmFixedCostMs: round(oursWarmMs - curlMs, 1),
			ours: split(ours),
			oursWarm: split(oursWarm),
			curl: split(curl),
		});
		ctx.say(`  small ${sizeMb} MB: ours ${oursMs} ms (warm process ${oursWarmMs} ms), curl ${curlMs} ms (${rounds} rounds)`);
	}
	return rows;
}
