// The workspace endpoints the user declined in this window (workspaceTrust.ts asks before a workspace's or a folder's
// iotOta.endpoint is used). Not asked again until the window reloads: calls go to the user's endpoint or the region's,
// and the OTA Packages view's connection rows show that one (viewGroups.ts). In memory only, so a reload asks again.
// No vscode import: unit-tested in plain Node.
import { EventEmitter } from 'node:events';
import { confirmationKey } from './endpointPolicy';

export class EndpointDeclines {
	private readonly keys = new Set<string>();
	private readonly changed = new EventEmitter();

	/**
	 * `confirmed`: the endpoints the user confirmed (globalState, shared by the windows). One confirmed since, in another
	 * window, wins over this window's decline, as it does in endpointPolicy's planEndpoint: the rows must show it too.
	 */
	constructor(private readonly confirmed: () => readonly string[] = () => []) {}

	/** The declines as endpointPolicy's `declined` input takes them, without those confirmed since. */
	list(): string[] {
		const confirmed = new Set(this.confirmed());
		return [...this.keys].filter((key) => !confirmed.has(key));
	}

	/** The user declined `endpoint`: listeners hear of it the first time only. */
	add(endpoint: string): void {
		const key = confirmationKey(endpoint, 'workspace');
		if (!this.keys.has(key)) {
			this.keys.add(key);
			this.changed.emit('change');
		}
	}

	onDidChange(listener: () => void): { dispose(): void } {
		this.changed.on('change', listener);
		return { dispose: () => void this.changed.off('change', listener) };
	}
}
