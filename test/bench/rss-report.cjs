// Preloaded into a measured Node process: on exit, writes its peak RSS (MB) and CPU time (ms, all threads) to $BENCH_RSS_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
	const target = process.env.BENCH_RSS_FILE;
	if (target) {
		const usage = process.resourceUsage();
		writeFileSync(target, JSON.stringify({ rssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
	}
});
