// Preloaded into a measured Node process: on exit, writes its peak RSS (MB) to $BENCH_RSS_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
	const target = process.env.BENCH_RSS_FILE;
	if (target) {
		writeFileSync(target, String(process.resourceUsage().maxRSS / 1024));
	}
});
