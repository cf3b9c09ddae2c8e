// Byte helpers and a private fixture folder shared by the firmware fixture builders and their tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectFirmware, type FirmwareIdentity, type InspectOptions, type IntegrityCheck } from '../../../src/core/image';

/** Deterministic filler so that checksums and digests are not of all-zero data. */
export function pattern(length: number, seed = 1): Buffer {
	const bytes = Buffer.alloc(length);
	let x = seed;
	for (let i = 0; i < length; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		bytes[i] = x >>> 24;
	}
	return bytes;
}

/** A copy with the byte at `offset` (negative: from the end) inverted. */
export function flipByte(bytes: Buffer, offset: number): Buffer {
	const copy = Buffer.from(bytes);
	const at = offset < 0 ? copy.length + offset : offset;
	copy[at] ^= 0xff;
	return copy;
}

/** Files in a private temporary folder, removed by dispose(). */
export class FixtureDir {
	readonly dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-image-'));

	write(name: string, bytes: Buffer | string): string {
		const file = path.join(this.dir, name);
		writeFileSync(file, bytes);
		return file;
	}

	/** Writes `bytes` as `name` and inspects the file. */
	inspect(name: string, bytes: Buffer | string, options?: InspectOptions): Promise<FirmwareIdentity> {
		return inspectFirmware(this.write(name, bytes), options);
	}

	dispose(): void {
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** "name: status" of each check, for compact assertions. */
export const checkStatuses = (checks: IntegrityCheck[]): string[] => checks.map((c) => `${c.name}: ${c.status}`);
