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
 */
export function uploadPathPreloader(load: () => void = loadUploadPath): () => void {
	let scheduled = false;
	return () => {
		if (scheduled) {
			return;
		}
		scheduled = true;
		setImmediate(() => {
			try {
				load();
			} catch {
				// The upload's own load reports it.
			}
		});
	};
}
