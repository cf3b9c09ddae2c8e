// Fakes for the watch service's unit tests (watchService.test.ts, watchResume.test.ts): the window's state, the account
// (calls that hang until the watch stops them), and the service with a silent log; the rest runs as in the extension.
import type * as vscode from 'vscode';
import { StateKeys } from '../../../src/vscode/constants';
import type { SecretMask } from '../../../src/vscode/log';
import type { OtaAccess, WatchEvent, WatchGiveUp } from '../../../src/vscode/ota/contract';
import type { WatchServiceDeps } from '../../../src/vscode/ota/watchRegistry';
import type { WindowActivity } from '../../../src/vscode/ota/windowActivity';
import { installVscodeStub } from '../../support/vscodeStub';

export const vscodeStub = installVscodeStub();

/** A window's state whose writes of the saved watches wait for `hold` (when set). */
export class HeldMemento implements vscode.Memento {
	private readonly values = new Map<string, unknown>();
	hold?: Promise<unknown>;
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, defaultValue?: T): T | undefined {
		return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : defaultValue;
	}
	async update(key: string, value: unknown): Promise<void> {
		if (key === StateKeys.watchedJobs && this.hold) {
			await this.hold;
		}
		this.values.set(key, structuredClone(value));
	}
}

export const silentLog = new Proxy({}, { get: () => () => undefined }) as vscode.LogOutputChannel;
const mask = { apply: (text: string) => text, list: () => [] } as unknown as SecretMask;
const activity = { whenActive: async () => undefined } as unknown as WindowActivity;

export function access(over: Partial<OtaAccess>): OtaAccess {
	const never = () => Promise.reject(new Error('not asked in this test'));
	return {
		connect: never,
		connectAt: never,
		current: never,
		forProfile: never,
		hasCredentials: never,
		onDidChange: new vscodeStub.EventEmitter<void>().event,
		onDidChangeProfile: new vscodeStub.EventEmitter<string>().event,
		...over,
	};
}

/** Calls of the job that hang until the watch stops them (their signal aborts); `polled`: the first call was made. */
export function hangingCalls() {
	let polling = () => {};
	const polled = new Promise<void>((resolve) => (polling = resolve));
	const hang = (...args: unknown[]) =>
		new Promise((_, reject) => {
			polling();
			const signal = args.find((arg) => arg instanceof AbortSignal);
			signal?.addEventListener('abort', () => reject(signal.reason));
		});
	return { hang, polled };
}

export async function service(deps: Partial<WatchServiceDeps> & Pick<WatchServiceDeps, 'access' | 'state'>) {
	const { JobWatchService } = await import('../../../src/vscode/ota/watchService.js');
	const watches = new JobWatchService({ activity, log: silentLog, mask, ...deps });
	const events: WatchEvent[] = [];
	const givenUp: WatchGiveUp[] = [];
	watches.onDidChange((e) => events.push(e));
	watches.onDidGiveUp((g) => givenUp.push(g));
	const next = (accept: (e: WatchEvent) => boolean) =>
		new Promise<WatchEvent>((resolve) => watches.onDidChange((e) => accept(e) && resolve(e)));
	return { watches, events, givenUp, next };
}
