// npm run bench [-- --json] [--only small,link,…] [--sizes 10,100,1000] [--pairs 3] [--quick] …
// What users see, against the local sandbox: small images on loopback (small), real link rates in a shaped network
// namespace (link), the event loop of the uploading process (eventloop), the 100,000-device fleet and a watch of its
// rollout (fleet), the bundle and activation (build), and the 10/100/1,000 MB loopback rows (loopback).
// Parts: see PARTS; --quick: loopback with ours and curl only, no ingest extras. See docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childEnv, sandboxClient } from './benchClient';
import { buildBundles } from './build';
import { measureBuild, type BuildFigures } from './buildFigures';
import type { BenchContext } from './context';
import { runUploadLoop, type UploadLoopFigures } from './eventLoop';
import { runFleet, type FleetFigures } from './fleetWatch';
import { linkUnavailable, runLink, type LinkRow } from './link';
import { hashSpeed, measureIngest, runLoopback, type CpuDetail, type IngestFigures, type LoopbackRow } from './loopback';
import { runSmall, type SmallRow } from './small';
import { startSandboxProcess } from './sandboxProcess';
import { round } from './stats';
import { printReport } from './report';

const PARTS = ['small', 'link', 'eventloop', 'fleet', 'build', 'loopback'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `npm run bench [-- options]   (or: node --import tsx test/bench/run.ts [options])
  --only ${PARTS.join(',')}   run only these parts (default: all)
  --json                 one JSON object on stdout (progress on stderr)
  --small-sizes 1,4,16 --small-rounds 9      small images on loopback
  --link-sizes 4,64,256 --link-rates 100,1000 link mode (root, unshare -n, tc tbf; skipped otherwise)
  --loop-size 1000       event loop during an upload of this many MB
  --devices 100000 --time-scale 60          fleet and its watch
  --sizes 10,100,1000 --pairs 3 --quick     loopback rows (--quick: ours / no-hash / curl only)
See docs/performance.md for what each figure includes.
`;

const root = path.resolve(__dirname, '..', '..');
const numbers = (text: string) => text.split(',').map(Number);

export interface BenchReport {
	results: LoopbackRow[];
	hashOverheadPct?: number;
	hashSizeMb?: number;
	hashMBps?: { md5: number; sha256: number };
	ingest?: IngestFigures;
	cpu: CpuDetail[];
	link: LinkRow[];
	linkSkipped?: string;
	small: SmallRow[];
	eventLoop: { uploadP99Ms?: number; uploadMaxMs?: number; watchP99Ms?: number; watchMaxMs?: number; upload?: UploadLoopFigures };
	fleet?: FleetFigures;
	bundleKb?: number;
	activationMs?: number;
	build?: BuildFigures;
	pairs: number;
	node: string;
	loadAvg: { start: number; end: number };
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			help: { type: 'boolean' },
			json: { type: 'boolean' },
			only: { type: 'string' },
			sizes: { type: 'string', default: '10,100,1000' },
			pairs: { type: 'string', default: '3' },
			quick: { type: 'boolean' },
			'small-sizes': { type: 'string', default: '1,4,16' },
			'small-rounds': { type: 'string', default: '9' },
			'link-sizes': { type: 'string', default: '4,64,256' },
			'link-rates': { type: 'string', default: '100,1000' },
			'loop-size': { type: 'string', default: '1000' },
			devices: { type: 'string', default: '100000' },
			'time-scale': { type: 'string', default: '60' },
		},
	});
	if (values.help) {
		process.stdout.write(USAGE);
		return;
	}
	const only = values.only?.split(',').map((p) => p.trim());
	const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
	if (unknown.length > 0) {
		throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
	}
	const runs = (part: Part) => !only || only.includes(part);
	const pairs = Math.max(1, Number(values.pairs));
	const say = (msg: string) => (values.json ? process.stderr : process.stdout).write(`${msg}\n`);
	const loadAtStart = loadavg()[0];
	if (loadAtStart >= 1) {
		say(`warning: load average ${loadAtStart.toFixed(2)}; other work competes for the CPU and these figures are not final.`);
	}
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-bench-'));
	say('building production bundles…');
	const bundles = await buildBundles(path.join(scratch, 'build'));
	const sandbox = await startSandboxProcess(bundles.cli, path.join(scratch, 'sandbox'));
	const { info } = sandbox;
	const ctx: BenchContext = {
		bundles,
		sandbox,
		client: sandboxClient(info),
		childEnv: childEnv(info),
		cacheDir: path.join(root, '.bench-cache'),
		scratch,
		say,
	};
	const report: BenchReport = {
		results: [],
		cpu: [],
		link: [],
		small: [],
		eventLoop: {},
		pairs,
		node: process.version,
		loadAvg: { start: round(loadAtStart), end: 0 },
	};
	try {
		if (runs('small')) {
			say('small images on loopback…');
			report.small = await runSmall(ctx, numbers(values['small-sizes']), Number(values['small-rounds']));
		}
		if (runs('link')) {
			report.linkSkipped = linkUnavailable();
			if (report.linkSkipped) {
				say(`link mode skipped: ${report.linkSkipped}`);
			} else {
				say('link mode (shaped loopback in a private network namespace)…');
				report.link = await runLink(ctx, numbers(values['link-sizes']), numbers(values['link-rates']), pairs);
			}
		}
		if (runs('eventloop')) {
			say('event loop during a large upload…');
			const upload = await runUploadLoop(ctx, Number(values['loop-size']), pairs);
			report.eventLoop = { ...report.eventLoop, uploadP99Ms: upload.uploadP99Ms, uploadMaxMs: upload.uploadMaxMs, upload };
		}
		if (runs('fleet') || runs('eventloop')) {
			say(`fleet of ${values.devices} devices and a watch of its rollout…`);
			const fleet = await runFleet(bundles, scratch, Number(values.devices), Number(values['time-scale']));
			report.fleet = fleet;
			report.eventLoop = { ...report.eventLoop, watchP99Ms: fleet.watchLoop.p99Ms, watchMaxMs: fleet.watchLoop.maxMs };
		}
		if (runs('build')) {
			report.build = await measureBuild(bundles);
			report.bundleKb = report.build.bundleKb;
			report.activationMs = report.build.activationMs;
		}
		if (runs('loopback')) {
			const sizes = numbers(values.sizes);
			const loopback = await runLoopback(ctx, sizes, Math.max(3, pairs), values.quick === true);
			report.results = loopback.results;
			report.cpu = loopback.cpu;
			if (!values.quick) {
				const largest = loopback.results.find((r) => r.sizeMb === Math.max(...sizes))!;
				report.hashSizeMb = largest.sizeMb;
				report.hashOverheadPct = largest.hashOverheadPct;
				report.hashMBps = hashSpeed();
				report.ingest = await measureIngest(ctx, largest.sizeMb, largest.curlMBps, Math.max(3, pairs));
			}
		}
		report.loadAvg.end = round(loadavg()[0]);
		if (values.json) {
			process.stdout.write(`${JSON.stringify(report)}\n`);
		} else {
			printReport(report, say);
		}
	} finally {
		await sandbox.stop();
		rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
