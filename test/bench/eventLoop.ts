// Editor responsiveness during a large upload: the event-loop delay of the process that runs the core uploader
// (child-ours.ts with BENCH_LOOP=1), uploading a 1,000 MB file to the loopback sandbox.
import { checkDigests, pause, type BenchContext, type OursRun } from './context';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure } from './measure';
import { clearObjects } from './sandboxProcess';
import { median, round } from './stats';

export interface UploadLoopFigures {
	sizeMb: number;
	/** Median over the rounds of each upload's p99; the largest single delay seen in any round. */
	uploadP99Ms: number;
	uploadMaxMs: number;
	uploadMeanMs: number;
	peakRssMb: number;
}

export async function runUploadLoop(ctx: BenchContext, sizeMb: number, rounds: number): Promise<UploadLoopFigures> {
	const file = await ensureTestFile(ctx.cacheDir, sizeMb);
	await fileDigests(file);
	const runs: Array<OursRun & { rssMb: number }> = [];
	for (let i = 0; i < rounds; i++) {
		await pause(250);
		const m = await measure(process.execPath, [ctx.bundles.childOurs, file], { ...ctx.childEnv, BENCH_HASH: '1', BENCH_LOOP: '1' });
		const run = lastJson<OursRun>(m.stdout);
		await checkDigests(file, run);
		runs.push({ ...run, rssMb: m.peakRssMb ?? 0 });
		clearObjects(ctx.sandbox.info.dataDir);
		ctx.say(
			`  event loop during ${sizeMb} MB upload ${i + 1}/${rounds}: p99 ${round(run.loop!.p99Ms, 1)} ms, max ${round(run.loop!.maxMs, 1)} ms`,
		);
	}
	return {
		sizeMb,
		uploadP99Ms: round(median(runs.map((r) => r.loop!.p99Ms)), 1),
		uploadMaxMs: round(Math.max(...runs.map((r) => r.loop!.maxMs)), 1),
		uploadMeanMs: round(median(runs.map((r) => r.loop!.meanMs)), 2),
		peakRssMb: round(Math.max(...runs.map((r) => r.rssMb)), 1),
	};
}
