// Measured child: a watch of one job with the core monitor, as the extension's watch service runs it (its calls,
// intervals and counting plan), in a process of its own so its memory and event loop are the watch's alone.
// Prints calls per refresh, the time to the first complete count, the event-loop delay and the peak RSS.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LifecycleClient } from '../../src/core/lifecycle/client';
import { watchJob } from '../../src/core/lifecycle/monitor';
import { benchClient } from './benchClient';

async function main(): Promise<void> {
	const [jobId] = process.argv.slice(2);
	const api = new LifecycleClient(benchClient());
	// 1 ms timer; each sample is the time between two of its callbacks (idle: ~1.1 ms).
	const loop = monitorEventLoopDelay({ resolution: 1 });
	loop.enable();
	const calls: number[] = [];
	let firstCountMs: number | undefined;
	const started = performance.now();
	const result = await watchJob(api, jobId, {
		onProgress: (progress) => {
			calls.push(progress.calls);
			firstCountMs ??= performance.now() - started;
		},
	});
	const watchMs = performance.now() - started;
	loop.disable();
	const figures = {
		outcome: result.outcome,
		tasks: result.progress.summary.total,
		refreshes: calls.length,
		calls,
		firstCountMs,
		watchMs,
		loop: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6, meanMs: loop.mean / 1e6 },
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	};
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
		process.exit(1);
	},
);
