// ESP-IDF application images as esptool elf2image lays them out, with espsecure's Secure Boot v2 sector
// (docs/protocols.md §9.1).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { pattern } from './bytes';

export interface EspAppDescription {
	version: string;
	projectName: string;
	time: string;
	date: string;
	idfVersion: string;
	secureVersion: number;
	elfSha256: Buffer;
}

export const DEFAULT_APP: EspAppDescription = {
	version: '1.2.0',
	projectName: 'smart_plug',
	time: '12:34:56',
	date: 'Mar  1 2025',
	idfVersion: 'v5.3.1',
	secureVersion: 0,
	elfSha256: createHash('sha256').update('smart_plug.elf').digest(),
};

export interface EspImageOptions {
	/** esp_chip_id_t (9 = ESP32-S3). */
	chipId?: number;
	/** The app description at the start of the first segment; false for none (a bootloader-like image). */
	app?: Partial<EspAppDescription> | false;
	/** Data of the segments after the first (lengths must be multiples of 4). */
	segments?: Buffer[];
	hashAppended?: boolean;
	/** flash_mode byte (2 = DIO). */
	spiMode?: number;
	/** flash_size_freq byte: size in the high nibble, clock divider in the low one (0x20 = 4MB, DIV_2). */
	flashSizeFreq?: number;
	/** Appends a Secure Boot v2 signature sector (espsecure sign_data layout, blocks with valid CRCs). */
	signature?: 'rsa' | 'ecdsa-p256';
}

function fixedString(text: string, length: number): Buffer {
	const bytes = Buffer.alloc(length);
	bytes.write(text, 'latin1');
	return bytes;
}

export function espAppDescription(app: Partial<EspAppDescription> = {}): Buffer {
	const a = { ...DEFAULT_APP, ...app };
	const desc = Buffer.alloc(256);
	desc.writeUInt32LE(0xabcd5432, 0);
	desc.writeUInt32LE(a.secureVersion, 4);
	fixedString(a.version, 32).copy(desc, 16);
	fixedString(a.projectName, 32).copy(desc, 48);
	fixedString(a.time, 16).copy(desc, 80);
	fixedString(a.date, 16).copy(desc, 96);
	fixedString(a.idfVersion, 32).copy(desc, 112);
	a.elfSha256.copy(desc, 144);
	return desc;
}

function espSignatureSector(kind: 'rsa' | 'ecdsa-p256', imageDigest: Buffer): Buffer {
	const block = Buffer.alloc(1216);
	block[0] = 0xe7;
	block[1] = kind === 'rsa' ? 0x02 : 0x03;
	imageDigest.copy(block, 4);
	if (kind === 'ecdsa-p256') {
		block[36] = 2; // curve id P-256
	}
	pattern(1196 - 37, 7).copy(block, 37);
	block.writeUInt32LE(crc32(block.subarray(0, 1196)), 1196);
	return Buffer.concat([block, Buffer.alloc(4096 - 1216, 0xff)]);
}

export function espImage(options: EspImageOptions = {}): Buffer {
	const hashAppended = options.hashAppended ?? true;
	const first = Buffer.concat([options.app === false ? pattern(256, 3) : espAppDescription(options.app), pattern(64, 4)]);
	const data = [first, ...(options.segments ?? [pattern(1024, 5), pattern(36, 6)])];
	const header = Buffer.alloc(24);
	header[0] = 0xe9;
	header[1] = data.length;
	header[2] = options.spiMode ?? 2;
	header[3] = options.flashSizeFreq ?? 0x20;
	header.writeUInt32LE(0x40375a00, 4);
	header[8] = 0xee;
	header.writeUInt16LE(options.chipId ?? 9, 12);
	header.writeUInt16LE(0, 15);
	header.writeUInt16LE(99, 17);
	header[23] = hashAppended ? 1 : 0;
	const parts: Buffer[] = [header];
	let checksum = 0xef;
	data.forEach((segment, index) => {
		const segmentHeader = Buffer.alloc(8);
		segmentHeader.writeUInt32LE(index === 0 ? 0x3c000020 : 0x3fc88000 + index * 0x1000, 0);
		segmentHeader.writeUInt32LE(segment.length, 4);
		parts.push(segmentHeader, segment);
		for (const byte of segment) {
			checksum ^= byte;
		}
	});
	const length = parts.reduce((sum, p) => sum + p.length, 0);
	parts.push(Buffer.alloc(15 - (length % 16)), Buffer.from([checksum]));
	let image = Buffer.concat(parts);
	if (hashAppended) {
		image = Buffer.concat([image, createHash('sha256').update(image).digest()]);
	}
	if (options.signature) {
		const padded = Buffer.concat([image, Buffer.alloc((4096 - (image.length % 4096)) % 4096, 0xff)]);
		image = Buffer.concat([padded, espSignatureSector(options.signature, createHash('sha256').update(padded).digest())]);
	}
	return image;
}
