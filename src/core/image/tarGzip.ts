// gzip (node's zlib checks its CRC-32 and length) and tar (tar-stream checks each header's checksum), both streamed.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { tarStream } from '../vendor';
import { ArchiveCollector, identityOf, type NestedContext } from './archive';
import { BudgetExceeded } from './budget';
import { ByteReader, tap } from './byteReader';
import { integrityOf, named, signatureOf } from './checks';
import { isVersionMarkerTooSlow } from './marker';
import type { ArchiveEntry, CheckKind, ContentInfo, IntegrityCheck } from './types';

const TAR_TYPES: Record<string, ArchiveEntry['type']> = {
	file: 'file',
	'contiguous-file': 'file',
	directory: 'directory',
	link: 'link',
	symlink: 'link',
};

/**
 * Cancellation passes through, and so do a version marker stopped at its time limit (about the pattern, not the data)
 * and a reached limit inside the file (the outermost contents report it); anything else a decoder throws means the data
 * is damaged.
 */
export function rethrowUnlessDamage(error: unknown, ctx: NestedContext): void {
	if (ctx.options.signal?.aborted || (error as Error | undefined)?.name === 'AbortError' || isVersionMarkerTooSlow(error)) {
		throw error;
	}
	if (error instanceof BudgetExceeded && ctx.depth > 0) {
		throw error;
	}
}

/** The check a failure becomes: a reached limit is `unverifiable` (the rest was not read), anything else damage. */
export function failedCheck(error: unknown, kind: CheckKind): IntegrityCheck {
	return error instanceof BudgetExceeded ? error.check : { ...named({ kind }), status: 'mismatch', detail: errorText(error) };
}

export const errorText = (error: unknown): string => (error as Error | undefined)?.message ?? String(error);

export async function inspectGzip(reader: ByteReader, ctx: NestedContext): Promise<ContentInfo> {
	let inner: ContentInfo | undefined;
	const checks: IntegrityCheck[] = [];
	// pipeline reports a failure of its last step as an AbortError: a reached limit or a stopped marker is kept here to be told apart.
	let stopped: unknown;
	try {
		await pipeline(Readable.from(reader.rest()), createGunzip(), async (payload: AsyncIterable<Buffer>) => {
			const inflated = tap(payload, (chunk) => ctx.budget.inflate(chunk.length));
			inner = await ctx.inspect(new ByteReader(inflated), { ...ctx, depth: ctx.depth + 1 }).catch((error: unknown) => {
				stopped = error instanceof BudgetExceeded || isVersionMarkerTooSlow(error) ? error : undefined;
				throw error;
			});
		});
		checks.push({ ...named({ kind: 'gzip-crc' }), status: 'verified' });
	} catch (error) {
		rethrowUnlessDamage(stopped ?? error, ctx);
		checks.push(failedCheck(stopped ?? error, 'gzip-stream'));
	}
	return {
		format: 'gzip',
		...(inner ? identityOf(inner) : {}),
		integrity: integrityOf([...checks, ...(inner?.integrity.checks ?? [])]),
		signature: inner?.signature ?? signatureOf([]),
		inner,
		warnings: inner?.warnings ?? [],
	};
}

export async function inspectTar(reader: ByteReader, ctx: NestedContext): Promise<ContentInfo> {
	const collector = new ArchiveCollector('tar', ctx);
	const extract = tarStream().extract();
	const feeding = pipeline(Readable.from(reader.rest()), extract);
	try {
		for await (const entry of extract) {
			const { name, size, type } = entry.header;
			const kind = TAR_TYPES[type] ?? 'other';
			const entryReader = new ByteReader(entry as AsyncIterable<Uint8Array>);
			await collector.add(name, size, kind, kind === 'file' ? entryReader : undefined);
			await entryReader.drain();
		}
		await feeding;
	} catch (error) {
		extract.destroy();
		await feeding.catch(() => undefined);
		rethrowUnlessDamage(error, ctx);
		collector.check(failedCheck(error, 'tar-structure'));
	}
	return collector.finish();
}
