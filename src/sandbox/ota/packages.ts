import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { compileVersionMarker, LenientVersionMarker, readEmbeddedVersion } from '../../core/image';
import { silentLogger, type Logger } from '../../core/logger';

/**
 * What a simulated device does with a push before installing it: download the package through the
 * push's signed URL, check its size and digest against the push, and read the version compiled into
 * it. Devices of a fleet receive identical packages, so the verdict is computed once per package
 * (object, size, sign) and reused by every device that downloads it (docs/protocols.md §10.3,
 * A17); a failed transfer is only reused for a few seconds.
 */

/** The device-side push (`/ota/device/upgrade`), docs/protocols.md §10.2. */
export interface PushMessage {
	size: number;
	version: string;
	url: string;
	md5?: string;
	sign: string;
	signMethod: 'Md5' | 'SHA256';
	/** Omitted for the default module. */
	module?: string;
	isDiff?: 1;
	extData?: Record<string, string>;
}

export type Verdict =
	| { ok: true; /** The version read from the image; undefined when the reader found none. */ version: string | undefined }
	| { ok: false; step: -2 | -3; desc: string };

export interface PackageChecker {
	/** The verdict when this package was already checked (no I/O). */
	known(push: PushMessage, objectKey: string): Verdict | undefined;
	check(push: PushMessage, objectKey: string): Promise<Verdict>;
	/** Waits for the downloads in progress (their temp files are gone then). */
	settled?(): Promise<void>;
}

/** Reads the version embedded in a firmware image; undefined when it declares none. */
export type FirmwareVersionReader = (filePath: string) => Promise<string | undefined>;

/**
 * The version a device finds in the image it installs: what the core image reader reads (ESP-IDF app
 * description, MCUboot header, archive manifest, the version marker when one is given; docs/protocols.md §9).
 * An image that declares none, or that the reader cannot read, makes the device report the pushed version; a marker
 * too slow to search an image is logged once and not used again (core/image/marker.ts, LenientVersionMarker).
 */
export function imageVersionReader(versionMarker?: string, logger: Logger = silentLogger): FirmwareVersionReader {
	if (versionMarker) {
		compileVersionMarker(versionMarker); // a bad marker is refused here, before any device reads an image
	}
	const markers = new LenientVersionMarker((error) =>
		logger.warn(`sandbox: devices read images without the version marker from now on: ${error.describe()}`),
	);
	return (filePath) =>
		markers
			.read(versionMarker || undefined, (marker) => readEmbeddedVersion(filePath, { versionMarker: marker?.regex }))
			.catch(() => undefined);
}

const TRANSFER_FAILURE_TTL_MS = 5_000;

export class HttpPackageChecker implements PackageChecker {
	private readonly verdicts = new Map<string, { verdict: Verdict; until: number }>();
	private readonly inFlight = new Map<string, Promise<Verdict>>();

	constructor(
		private readonly tmpDir: string,
		private readonly readVersion: FirmwareVersionReader,
	) {}

	known(push: PushMessage, objectKey: string): Verdict | undefined {
		const entry = this.verdicts.get(cacheKey(push, objectKey));
		return entry && entry.until > Date.now() ? entry.verdict : undefined;
	}

	check(push: PushMessage, objectKey: string): Promise<Verdict> {
		const key = cacheKey(push, objectKey);
		const known = this.known(push, objectKey);
		if (known) {
			return Promise.resolve(known);
		}
		let pending = this.inFlight.get(key);
		if (!pending) {
			pending = this.download(push).then((verdict) => {
				const ttl = !verdict.ok && verdict.step === -2 ? TRANSFER_FAILURE_TTL_MS : Number.POSITIVE_INFINITY;
				this.verdicts.set(key, { verdict, until: Date.now() + ttl });
				this.inFlight.delete(key);
				return verdict;
			});
			this.inFlight.set(key, pending);
		}
		return pending;
	}

	/** Waits for downloads in progress. */
	async settled(): Promise<void> {
		await Promise.all(this.inFlight.values());
	}

	private async download(push: PushMessage): Promise<Verdict> {
		const file = path.join(this.tmpDir, `device-${randomBytes(8).toString('hex')}.bin`);
		const md5 = createHash('md5');
		const sha256 = createHash('sha256');
		let size = 0;
		try {
			const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
				get(push.url, resolve).on('error', reject),
			);
			if (res.statusCode !== 200) {
				const body = await readText(res);
				const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '';
				return { ok: false, step: -2, desc: `download failed: HTTP ${res.statusCode} ${code}`.trim() };
			}
			const tap = new Transform({
				transform(chunk: Buffer, _enc, done) {
					size += chunk.length;
					md5.update(chunk);
					sha256.update(chunk);
					done(null, chunk);
				},
			});
			await pipeline(res, tap, createWriteStream(file));
			if (size !== push.size) {
				return { ok: false, step: -3, desc: `check failed: size ${size} differs from ${push.size}` };
			}
			const digest = push.signMethod === 'Md5' ? md5.digest('hex') : sha256.digest('hex');
			if (
				digest !== push.sign.toLowerCase() ||
				(push.md5 !== undefined && push.signMethod !== 'Md5' && md5.digest('hex') !== push.md5)
			) {
				return { ok: false, step: -3, desc: `check failed: ${push.signMethod} of the download differs from the push` };
			}
			return { ok: true, version: await this.readVersion(file) };
		} catch (error) {
			return { ok: false, step: -2, desc: `download failed: ${error instanceof Error ? error.message : String(error)}` };
		} finally {
			await fs.rm(file, { force: true });
		}
	}
}

function cacheKey(push: PushMessage, objectKey: string): string {
	return `${objectKey}\n${push.size}\n${push.sign}`;
}

async function readText(res: import('node:http').IncomingMessage): Promise<string> {
	let text = '';
	for await (const chunk of res) {
		if (text.length < 4096) {
			text += String(chunk);
		}
	}
	return text;
}
