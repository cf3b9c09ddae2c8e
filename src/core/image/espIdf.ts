// ESP-IDF application images (docs/protocols.md §9.1): a 24-byte header, up to 16 segments,
// an XOR checksum padded to 16 bytes, an optional SHA-256 of all of it, an optional Secure Boot v2 signature sector.
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { ByteReader } from './byteReader';
import { cString, hex32, hex8, integrityOf, named, signatureOf, truncated } from './checks';
import type { ContentInfo, EspImageDetails, IntegrityCheck } from './types';

const IMAGE_MAGIC = 0xe9;
const HEADER_BYTES = 24;
const SEGMENT_HEADER_BYTES = 8;
const MAX_SEGMENTS = 16;
const CHECKSUM_SEED = 0xef;
const APP_DESC_MAGIC = 0xabcd5432;
const APP_DESC_BYTES = 256;
const SECTOR_BYTES = 4096;
const SIGNATURE_BLOCK_BYTES = 1216;
const SIGNATURE_BLOCK_CRC_SPAN = 1196;
const MAX_SIGNATURE_BLOCKS = 3;

/** esp_chip_id_t values, named as esptool names the chips. */
const CHIPS: Record<number, string> = {
	0: 'ESP32',
	2: 'ESP32-S2',
	5: 'ESP32-C3',
	9: 'ESP32-S3',
	12: 'ESP32-C2',
	13: 'ESP32-C6',
	16: 'ESP32-H2',
	18: 'ESP32-P4',
	20: 'ESP32-C61',
	23: 'ESP32-C5',
	25: 'ESP32-H21',
	28: 'ESP32-H4',
	31: 'ESP32-E22',
	32: 'ESP32-S31',
};
const SPI_MODES = ['QIO', 'QOUT', 'DIO', 'DOUT', 'FAST_READ', 'SLOW_READ'];
const SPI_SPEEDS: Record<number, string> = { 0: 'DIV_2', 1: 'DIV_3', 2: 'DIV_4', 15: 'DIV_1' };
const FLASH_SIZES = ['1MB', '2MB', '4MB', '8MB', '16MB', '32MB', '64MB', '128MB'];

/** The ESP32-family header (with its extended part): magic, 1–16 segments, a known SPI mode, hash_appended 0 or 1. */
export function looksLikeEspImage(head: Buffer): boolean {
	return (
		head.length >= HEADER_BYTES &&
		head[0] === IMAGE_MAGIC &&
		head[1] >= 1 &&
		head[1] <= MAX_SEGMENTS &&
		head[2] < SPI_MODES.length &&
		head[23] <= 1
	);
}

/** XOR of every byte into `state`, a word at a time where the chunk is aligned (the checksum runs over whole images). */
function xorInto(state: number, chunk: Buffer): number {
	let i = 0;
	while (i < chunk.length && (chunk.byteOffset + i) % 4 !== 0) {
		state ^= chunk[i++];
	}
	const words = Math.floor((chunk.length - i) / 4);
	if (words > 0) {
		const view = new Uint32Array(chunk.buffer, chunk.byteOffset + i, words);
		let folded = 0;
		for (let w = 0; w < words; w++) {
			folded ^= view[w];
		}
		state ^= (folded ^ (folded >>> 8) ^ (folded >>> 16) ^ (folded >>> 24)) & 0xff;
		i += words * 4;
	}
	while (i < chunk.length) {
		state ^= chunk[i++];
	}
	return state;
}

function parseAppDescription(desc: Buffer): EspImageDetails['appDescription'] {
	return {
		secureVersion: desc.readUInt32LE(4),
		version: cString(desc.subarray(16, 48)),
		projectName: cString(desc.subarray(48, 80)),
		time: cString(desc.subarray(80, 96)),
		date: cString(desc.subarray(96, 112)),
		idfVersion: cString(desc.subarray(112, 144)),
		elfSha256: desc.toString('hex', 144, 176),
	};
}

/** Secure Boot v2 signature blocks at the start of the sector after the image (espsecure's layout). */
function signatureKinds(sector: Buffer): string[] {
	const kinds: string[] = [];
	for (
		let offset = 0;
		offset + SIGNATURE_BLOCK_BYTES <= sector.length && kinds.length < MAX_SIGNATURE_BLOCKS;
		offset += SIGNATURE_BLOCK_BYTES
	) {
		const block = sector.subarray(offset, offset + SIGNATURE_BLOCK_BYTES);
		const crcOk =
			typeof zlib.crc32 !== 'function' ||
			zlib.crc32(block.subarray(0, SIGNATURE_BLOCK_CRC_SPAN)) === block.readUInt32LE(SIGNATURE_BLOCK_CRC_SPAN);
		if (block[0] !== 0xe7 || !crcOk) {
			break;
		}
		if (block[1] === 0x02) {
			kinds.push('Secure Boot v2 RSA-3072 (PSS)');
		} else if (block[1] === 0x03) {
			kinds.push(`Secure Boot v2 ECDSA-${['P192', 'P256', 'P384'][block[36] - 1] ?? `curve ${block[36]}`}`);
		} else {
			break;
		}
	}
	return kinds;
}

export async function parseEspImage(reader: ByteReader): Promise<ContentInfo> {
	const imageHash = createHash('sha256');
	const take = async (n: number): Promise<Buffer> => {
		const bytes = await reader.read(n);
		imageHash.update(bytes);
		return bytes;
	};
	const header = await take(HEADER_BYTES);
	const chipId = header.readUInt16LE(12);
	const details: EspImageDetails = {
		chipId,
		segments: header[1],
		spiMode: SPI_MODES[header[2]],
		spiSpeed: SPI_SPEEDS[header[3] & 0x0f] ?? `code ${header[3] & 0x0f}`,
		flashSize: FLASH_SIZES[header[3] >> 4] ?? `code ${header[3] >> 4}`,
		entryAddress: hex32(header.readUInt32LE(4)),
		minChipRevision: revision(header.readUInt16LE(15)),
		maxChipRevision: revision(header.readUInt16LE(17)),
		hashAppended: header[23] === 1,
		imageLength: 0,
		trailingBytes: 0,
	};
	const chip = CHIPS[chipId] ?? `unknown chip id ${chipId}`;
	const checks: IntegrityCheck[] = [];
	const finish = (): ContentInfo => espContent(details, chip, checks, []);

	let checksum = CHECKSUM_SEED;
	for (let index = 0; index < details.segments; index++) {
		const segmentHeader = await take(SEGMENT_HEADER_BYTES);
		if (segmentHeader.length < SEGMENT_HEADER_BYTES) {
			checks.push(truncated('esp-structure', reader.position, reader.position - segmentHeader.length + SEGMENT_HEADER_BYTES));
			return finish();
		}
		const length = segmentHeader.readUInt32LE(4);
		let remaining = length;
		if (index === 0) {
			const start = await take(Math.min(APP_DESC_BYTES, length));
			checksum = xorInto(checksum, start);
			remaining -= start.length;
			if (start.length === APP_DESC_BYTES && start.readUInt32LE(0) === APP_DESC_MAGIC) {
				details.appDescription = parseAppDescription(start);
			}
		}
		const passed = await reader.pass(remaining, (chunk) => {
			imageHash.update(chunk);
			checksum = xorInto(checksum, chunk);
		});
		if (passed < remaining) {
			checks.push(truncated('esp-structure', reader.position, reader.position - passed + remaining));
			return finish();
		}
	}
	const padding = 15 - (reader.position % 16);
	const tail = await take(padding + 1);
	if (tail.length < padding + 1) {
		checks.push(truncated('esp-structure', reader.position, reader.position - tail.length + padding + 1));
		return finish();
	}
	const stored = tail[padding];
	checks.push({
		...named({ kind: 'esp-checksum' }),
		status: stored === checksum ? 'verified' : 'mismatch',
		stored: hex8(stored),
		computed: hex8(checksum),
	});
	if (details.hashAppended) {
		const computed = imageHash.digest('hex');
		const digest = await reader.read(32);
		if (digest.length < 32) {
			checks.push(truncated('esp-structure', reader.position, reader.position - digest.length + 32));
			return finish();
		}
		const storedDigest = digest.toString('hex');
		checks.push({
			...named({ kind: 'esp-sha256' }),
			status: storedDigest === computed ? 'verified' : 'mismatch',
			stored: storedDigest,
			computed,
		});
	}
	details.imageLength = reader.position;
	const toSector = (SECTOR_BYTES - (reader.position % SECTOR_BYTES)) % SECTOR_BYTES;
	const skipped = await reader.pass(toSector);
	const sector = skipped === toSector ? await reader.read(SIGNATURE_BLOCK_BYTES * MAX_SIGNATURE_BLOCKS) : Buffer.alloc(0);
	details.trailingBytes = skipped + sector.length + (await reader.drain());
	return espContent(details, chip, checks, signatureKinds(sector));
}

function revision(full: number): string {
	return `v${Math.floor(full / 100)}.${full % 100}`;
}

function espContent(details: EspImageDetails, chip: string, checks: IntegrityCheck[], signatures: string[]): ContentInfo {
	const app = details.appDescription;
	return {
		format: 'esp-idf',
		chip,
		project: app?.projectName || undefined,
		version: app?.version || undefined,
		versionSource: app?.version ? 'esp-app-desc' : undefined,
		buildDate: app && (app.date || app.time) ? `${app.date} ${app.time}`.trim() : undefined,
		toolchain: app?.idfVersion ? `ESP-IDF ${app.idfVersion}` : undefined,
		integrity: integrityOf(checks),
		signature: signatureOf(signatures),
		esp: details,
		warnings: app ? [] : ['No esp_app_desc_t at the start of the first segment (a bootloader, or an image not built by ESP-IDF).'],
	};
}
