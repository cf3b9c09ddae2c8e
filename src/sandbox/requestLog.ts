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
/** Longer values are cut (with a note of their length): 1,000 entries stay a few MB whatever clients send. */
const MAX_VALUE_CHARS = 4096;
/** Parameters kept per entry (the largest real request, a 200-name device list, has about 210). */
const MAX_PARAMS = 500;

function bounded(value: string): string {
	return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} characters)` : value;
}

export class RequestLog {
	readonly entries: LoggedRequest[] = [];

	api(params: Readonly<Record<string, string>>): void {
		const kept = Object.entries(params)
			.filter(([name]) => !ENVELOPE.has(name))
			.slice(0, MAX_PARAMS)
			.map(([name, value]) => [bounded(name), bounded(value)]);
		this.push({
			target: 'api',
			action: bounded(params.Action ?? ''),
			accessKeyId: params.AccessKeyId === undefined ? undefined : bounded(params.AccessKeyId),
			params: Object.fromEntries(kept),
		});
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
