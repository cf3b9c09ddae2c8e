// The upload path's third-party code loads on first use (vendor.ts), which puts that load inside the first upload of
// an extension-host session. Every upload command starts with pickers (file, suffix, confirmations) during which the
// host is idle: loading the files there takes them out of the user's wait (docs/performance.md, Mechanisms).
import { formData, popRpcClient } from './vendor';

/** Loads the vendor files an upload uses: pop-core's RPC client (the ticket and every API call) and form-data (the PostObject body). */
export function loadUploadPath(): void {
	popRpcClient();
	formData();
}

/**
 * A function that, on its first call only, loads the upload path's vendor files on a later turn of the event loop (the
 * caller's picker is up by then and the process idle). A failed load is ignored: the upload loads them again and reports.
 * The load waits for the timers the caller's turn set: the extension host of a remote window (SSH, WSL, a container,
 * code-server) sends the picker's request to the window on such a timer (its protocol writer's `setTimeout`), and a
 * load before it would only delay the picker by what it takes off the upload.
 */
export function uploadPathPreloader(load: () => void = loadUploadPath): () => void {
	let scheduled = false;
	return () => {
		if (scheduled) {
			return;
		}
		scheduled = true;
		setImmediate(() =>
			setTimeout(() => {
				try {
					load();
				} catch {
					// The upload's own load reports it.
				}
			}, 0),
		);
	};
}
