// What the user sees of a watch paused while the window has been unfocused for long (src/vscode/ota/windowActivity.ts):
// the job-watch status-bar item (the extension's WatchStatusBar over real status-bar items, as the test build records
// them) says paused, no request is made meanwhile, and polling and the item go on once the window is focused again.
// The window's focus cannot be driven from a test (a headless browser's focus is not the user's): the watch service is
// the test's own (helpers/otaWatch.ts testWatchService), whose focus source the test drives, as otaWatchPolling does.
import * as assert from 'node:assert/strict';
import { WATCH_STATUS_ITEM_ID } from '../../src/vscode/constants';
import { WatchStatusBar } from '../../src/vscode/ota/watchStatusBar';
import { StatusItemRecorder } from '../extension/statusItems';
import { FAST_WATCH } from './helpers/otaFleet';
import { jobGoesOnFor, jobRequests, names, testWatchService, useWatchSuite } from './helpers/otaWatch';

const PAUSED = 'paused while the window is in the background';

describe('OTA watch paused while the window is in the background', function () {
	this.timeout(180_000);
	const ctx = useWatchSuite();

	it('the status-bar item says paused, and goes on watching (and polling) once the window is focused', async () => {
		const idle = testWatchService(ctx, { focused: false, pauseAfterMs: 1 });
		const items = new StatusItemRecorder();
		const bar = new WatchStatusBar(idle.service, ctx.api.settings, items.create);
		const shown = () => items.shown(WATCH_STATUS_ITEM_ID);
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(300, 40) }, maximumPerMinute: 10 });
		try {
			const paused = idle.events((e) => e.jobId === jobId && e.type === 'paused');
			await idle.service.watch({ jobId });
			await paused;
			const whilePaused = shown();
			assert.equal(whilePaused.visible, true);
			assert.match(whilePaused.text, /^\$\(debug-pause\) OTA /, whilePaused.text);
			assert.ok(whilePaused.tooltip.includes(jobId), whilePaused.tooltip);
			assert.ok(whilePaused.tooltip.includes(PAUSED), whilePaused.tooltip);

			ctx.sandbox.requests.clear();
			await jobGoesOnFor(ctx, jobId, 2 * FAST_WATCH.maxMs);
			assert.equal(jobRequests(ctx, jobId).length, 0, 'no refresh while paused, over two of the longest intervals');
			assert.deepEqual(shown(), whilePaused, 'the item still says paused');

			const resumed = idle.events((e) => e.jobId === jobId && e.type === 'resumed');
			const counted = idle.events((e) => e.jobId === jobId && e.type === 'progress');
			idle.focus(true);
			await resumed;
			const watching = shown();
			assert.match(watching.text, /^\$\(eye\) OTA /, watching.text);
			assert.equal(watching.tooltip.includes(PAUSED), false, watching.tooltip);
			await counted;
			assert.ok(jobRequests(ctx, jobId).length > 0, 'polling went on after the focus came back');
		} finally {
			bar.dispose();
			idle.dispose();
			await ctx.fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
		}
	});
});
