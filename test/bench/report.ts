// The bench's text report: one table or line per part that ran.
import type { BenchReport } from './run';
import { table } from './stats';

export function printReport(r: BenchReport, say: (line: string) => void): void {
	const dash = (x: number | undefined) => (x === undefined ? '-' : x);
	if (r.small.length > 0) {
		say('');
		say(
			'Small images on loopback (ms, medians; warm: a process that uploaded once before; parts of ours: ticket / upload to the last byte / after it)',
		);
		say(
			table(
				[
					'size MB',
					'ours ms',
					'curl ms',
					'ratio',
					'ours − curl ms',
					'warm ms',
					'warm − curl ms',
					'ours: ticket',
					'upload',
					'after',
					'curl: ticket',
					'upload',
					'after',
				],
				r.small.map((s) => [
					s.sizeMb,
					s.oursMs,
					s.curlMs,
					s.ratio,
					s.fixedCostMs,
					s.oursWarmMs,
					s.warmFixedCostMs,
					s.ours.ticketMs,
					s.ours.uploadMs,
					s.ours.afterMs,
					s.curl.ticketMs,
					s.curl.uploadMs,
					s.curl.afterMs,
				]),
			),
		);
	}
	if (r.linkSkipped) {
		say(`\nLink mode skipped: ${r.linkSkipped}`);
	} else if (r.link.length > 0) {
		say('');
		say('Shaped link (tbf on a private loopback), MB/s medians');
		say(
			table(
				['Mbit/s', 'size MB', 'ours', 'no-hash', 'curl', 'ratio', 'hash overhead %', 'warm', 'warm ratio'],
				r.link.map((l) => [
					l.rateMbit,
					l.sizeMb,
					l.oursMBps,
					l.noHashMBps,
					l.curlMBps,
					l.ratio,
					l.hashOverheadPct,
					dash(l.warmMBps),
					dash(l.warmRatio),
				]),
			),
		);
	}
	const loop = r.eventLoop;
	if (loop.upload || loop.watchP99Ms !== undefined) {
		say('');
		if (loop.upload) {
			say(
				`event loop during a ${loop.upload.sizeMb} MB upload: p99 ${loop.uploadP99Ms} ms, max ${loop.uploadMaxMs} ms (peak RSS ${loop.upload.peakRssMb} MB)`,
			);
		}
		if (loop.watchP99Ms !== undefined) {
			say(`event loop of the watcher: p99 ${loop.watchP99Ms} ms, max ${dash(loop.watchMaxMs)} ms`);
		}
	}
	const f = r.fleet;
	if (f) {
		say(
			`fleet: ${f.devices} devices ready in ${f.startMs} ms at ${dash(f.rssMb)} MB RSS (peak ${dash(f.sandboxPeakRssMb)} MB during the rollout, ×${f.timeScale} clock)`,
		);
		say(
			`watch of ${f.tasks} tasks (${f.outcome}): ${f.refreshes} refreshes, at most ${f.callsPerRefresh} calls each (mean ${f.callsPerRefreshMean}), first complete count after ${f.firstCountMs} ms, watched for ${f.watchMs} ms, watcher peak RSS ${f.watcherRssMb} MB`,
		);
	}
	if (r.build) {
		const b = r.build;
		say('');
		say(
			`bundle extension.js (production): ${b.bundleKb} KB (+ ${b.lazyKb} KB in vendor/ and sandbox.js, loaded on first use; at activation: ${b.activation.lazyLoaded.join(', ') || 'none'}); activation (load + activate): ${b.activationMs} ms = require ${b.activation.requireMs} + activate() ${b.activation.activateMs} (Node built-ins, loaded before: ${b.activation.builtinsMs} ms)`,
		);
	}
	if (r.results.length > 0) {
		say('');
		say('Loopback, MB/s medians');
		say(
			table(
				[
					'size MB',
					'ours',
					'curl',
					'ratio',
					'CLI',
					'CLI ratio',
					'naive',
					'no-hash',
					'no-hash ratio',
					'hash overhead %',
					'peak RSS MB: ours',
					'CLI',
					'naive',
					'curl',
				],
				r.results.map((x) => [
					x.sizeMb,
					x.oursMBps,
					x.curlMBps,
					x.ratio,
					x.cliMBps,
					x.cliRatio,
					x.naiveMBps,
					x.noHashMBps,
					x.noHashRatio,
					x.hashOverheadPct,
					x.peakRssMb,
					x.cliPeakRssMb,
					x.naivePeakRssMb,
					x.curlPeakRssMb,
				]),
			),
		);
		say('');
		say(
			table(
				['size MB', 'CPU s (client+sandbox): ours', 'no-hash', 'curl', 'busy %: ours', 'no-hash', 'curl', 'CPU-bound ratio'],
				r.cpu.map((d) => [
					d.sizeMb,
					...[d.ours, d.noHash, d.curl].map((c) => `${dash(c.clientCpuS)}+${dash(c.sandboxCpuS)}`),
					...[d.ours, d.noHash, d.curl].map((c) => dash(c.busyPct)),
					d.cpuBoundRatio,
				]),
			),
		);
	}
	if (r.hashMBps && r.ingest) {
		const i = r.ingest;
		say('');
		say(
			`hash overhead (MD5+SHA-256 on vs off, ${r.hashSizeMb} MB): ${r.hashOverheadPct} %; one core hashes MD5 at ${r.hashMBps.md5} MB/s, SHA-256 at ${r.hashMBps.sha256} MB/s`,
		);
		say(
			`sandbox ingest (curl) vs cat > file: ${i.sandboxIngestRatio} (cat ${i.catMBps} MB/s); vs cat | cat > file: ${i.sandboxIngestPipeRatio} (${i.catPipeMBps} MB/s); bare Node HTTP sink ${i.bareSinkMBps} MB/s = ${i.bareSinkRatio} of cat > file`,
		);
	}
	say(
		`\nmedians of ${r.pairs} alternating rounds (loopback: at least 3); load average ${r.loadAvg.start} at start, ${r.loadAvg.end} at end`,
	);
}
