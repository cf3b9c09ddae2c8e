// A usually quick step (reading an image, a lookup, a listing) that shows a notification with Cancel once it takes a
// while; a quick one shows nothing. Upload and Create OTA Firmware both run their slow steps through it.
import type { Services } from '../commands/services';

/** Shown once a step takes longer than this; a quick one shows nothing. */
const NOTIFY_AFTER_MS = 500;

/**
 * Runs a step that is usually quick and, once it takes a while, shows a notification (the prompt `id`) whose Cancel
 * aborts it.
 */
export async function cancellable<T>(s: Services, id: string, title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	const running = work(controller.signal);
	const timer = setTimeout(() => s.prompter.slowStep(id, title, running, controller), NOTIFY_AFTER_MS);
	try {
		return await running;
	} finally {
		clearTimeout(timer);
	}
}
