/**
 * Every request the sandbox received, in arrival order: the Action (or OSS operation) and its business
 * parameters. Signing and envelope parameters are left out, so two runs that asked the same thing log the same
 * entries. Tests compare these logs; GET /__sandbox/requests serves them to other processes.
 */

export interface LoggedRequest {
	target: 'api' | 'oss';
	/** API: the Action; OSS: PostObject or GetObject. */
	action: string;
	/** API: the caller's AccessKeyId (tells a test's own calls apart); OSS: omitted. */
	accessKeyId?: string;
	params: Record<string, string>;
}

const ENVELOPE = new Set([
	'Action',
	'AccessKeyId',
	'Format',
	'SecurityToken',
	'Signature',
	'SignatureMethod',
	'SignatureNonce',
	'SignatureType',
	'SignatureVersion',
	'Timestamp',
	'Version',
]);

/** Oldest entries are dropped beyond this, so a sandbox running for a whole session stays small. */
const MAX_ENTRIES = 1000;

export class RequestLog {
	readonly entries: LoggedRequest[] = [];

	api(params: Readonly<Record<string, string>>): void {
		const kept = Object.entries(params).filter(([name]) => !ENVELOPE.has(name));
		this.push({ target: 'api', action: params.Action ?? '', accessKeyId: params.AccessKeyId, params: Object.fromEntries(kept) });
	}

	oss(action: string, params: Record<string, string> = {}): void {
		this.push({ target: 'oss', action, params });
	}

	clear(): void {
		this.entries.length = 0;
	}

	private push(entry: LoggedRequest): void {
		this.entries.push(entry);
		if (this.entries.length > MAX_ENTRIES) {
			this.entries.splice(0, this.entries.length - MAX_ENTRIES);
		}
	}
}
