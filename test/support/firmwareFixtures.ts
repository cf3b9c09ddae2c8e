// Writes ESP-IDF and MCUboot images and archives for the image-reader tests, byte by byte as esptool elf2image /
// espsecure and imgtool sign lay them out (docs/protocols.md §Firmware image formats). Nothing binary is checked in.
import { createHash, generateKeyPairSync, sign, constants as cryptoConstants, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, crc32 } from 'node:zlib';
import * as tarStream from 'tar-stream';
import * as yazl from 'yazl';
import { inspectFirmware, type FirmwareIdentity, type InspectOptions, type IntegrityCheck } from '../../src/core/image';

// ---------------------------------------------------------------------------------------------------- ESP-IDF

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

// ---------------------------------------------------------------------------------------------------- MCUboot

export interface McubootVersion {
	major: number;
	minor: number;
	revision: number;
	build: number;
}

export type McubootSignature = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-3072' | 'ed25519';

export interface McubootImageOptions {
	version?: McubootVersion;
	body?: Buffer;
	/** imgtool --header-size (Zephyr uses 0x200). */
	headerSize?: number;
	loadAddress?: number;
	flags?: number;
	/** A protected SEC_CNT TLV (imgtool --security-counter). */
	securityCounter?: number;
	/** The hash TLV; false leaves it out. */
	hash?: 'sha256' | 'sha384' | 'sha512' | false;
	signature?: McubootSignature;
	/** Erased (0xFF) bytes after the TLVs, as imgtool --pad leaves them. */
	trailingBytes?: number;
}

const keys = new Map<McubootSignature, { privateKey: KeyObject; publicKey: KeyObject }>();

export function keyFor(kind: McubootSignature): { privateKey: KeyObject; publicKey: KeyObject } {
	let pair = keys.get(kind);
	if (!pair) {
		pair =
			kind === 'ed25519'
				? generateKeyPairSync('ed25519')
				: kind.startsWith('ecdsa')
					? generateKeyPairSync('ec', { namedCurve: kind === 'ecdsa-p256' ? 'prime256v1' : 'secp384r1' })
					: generateKeyPairSync('rsa', { modulusLength: kind === 'rsa-2048' ? 2048 : 3072 });
		keys.set(kind, pair);
	}
	return pair;
}

const SIGNATURE_TLV: Record<McubootSignature, number> = {
	'rsa-2048': 0x20,
	'ecdsa-p256': 0x22,
	'ecdsa-p384': 0x22,
	'rsa-3072': 0x23,
	ed25519: 0x24,
};

/** imgtool's signatures: ECDSA and RSA-PSS (salt 32) over the image digest, Ed25519 of the digest itself. */
function signImage(kind: McubootSignature, payload: Buffer, digest: Buffer): Buffer {
	const { privateKey } = keyFor(kind);
	if (kind === 'ed25519') {
		return sign(null, digest, privateKey);
	}
	if (kind.startsWith('rsa')) {
		return sign('sha256', payload, { key: privateKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
	}
	return sign(kind === 'ecdsa-p384' ? 'sha384' : 'sha256', payload, privateKey);
}

function tlv(type: number, value: Buffer): Buffer {
	const head = Buffer.alloc(4);
	head.writeUInt16LE(type, 0);
	head.writeUInt16LE(value.length, 2);
	return Buffer.concat([head, value]);
}

export function tlvArea(magic: number, tlvs: Buffer[]): Buffer {
	const body = Buffer.concat(tlvs);
	const info = Buffer.alloc(4);
	info.writeUInt16LE(magic, 0);
	info.writeUInt16LE(body.length + 4, 2);
	return Buffer.concat([info, body]);
}

export function mcubootImage(options: McubootImageOptions = {}): Buffer {
	const version = options.version ?? { major: 1, minor: 4, revision: 2, build: 7 };
	const body = options.body ?? pattern(3000, 9);
	const headerSize = options.headerSize ?? 0x200;
	const counter = Buffer.alloc(4);
	counter.writeUInt32LE(options.securityCounter ?? 0, 0);
	const protectedArea = options.securityCounter === undefined ? Buffer.alloc(0) : tlvArea(0x6908, [tlv(0x50, counter)]);
	// imgtool sign --pad-header fills the header space past the 32-byte header with the erased value, 0xFF.
	const header = Buffer.alloc(headerSize, 0xff);
	header.fill(0, 0, 32);
	header.writeUInt32LE(0x96f3b83d, 0);
	header.writeUInt32LE(options.loadAddress ?? 0, 4);
	header.writeUInt16LE(headerSize, 8);
	header.writeUInt16LE(protectedArea.length, 10);
	header.writeUInt32LE(body.length, 12);
	header.writeUInt32LE(options.flags ?? 0, 16);
	header[20] = version.major;
	header[21] = version.minor;
	header.writeUInt16LE(version.revision, 22);
	header.writeUInt32LE(version.build, 24);
	const payload = Buffer.concat([header, body, protectedArea]);
	const hash = options.hash ?? (options.signature === 'ecdsa-p384' ? 'sha384' : 'sha256');
	const digest = createHash(hash || 'sha256')
		.update(payload)
		.digest();
	const tlvs: Buffer[] = hash ? [tlv({ sha256: 0x10, sha384: 0x11, sha512: 0x12 }[hash], digest)] : [];
	if (options.signature) {
		const publicKey = keyFor(options.signature).publicKey.export({ type: 'spki', format: 'der' });
		tlvs.push(
			tlv(
				0x01,
				createHash(hash || 'sha256')
					.update(publicKey)
					.digest(),
			),
		);
		tlvs.push(tlv(SIGNATURE_TLV[options.signature], signImage(options.signature, payload, digest)));
	}
	return Buffer.concat([payload, tlvArea(0x6907, tlvs), Buffer.alloc(options.trailingBytes ?? 0, 0xff)]);
}

// ---------------------------------------------------------------------------------------------------- archives

export type ArchiveFiles = Array<[name: string, contents: Buffer | string]>;

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

/** A ZIP written by yazl; `store` keeps entries uncompressed (so a flipped byte is a CRC mismatch, not an inflate error). */
export function zipArchive(files: ArchiveFiles, options: { store?: boolean } = {}): Promise<Buffer> {
	const zip = new yazl.ZipFile();
	for (const [name, contents] of files) {
		zip.addBuffer(Buffer.from(contents), name, { compress: !options.store, mtime: new Date(2025, 0, 1) });
	}
	zip.end();
	return collect(zip.outputStream);
}

/** A ustar archive written by tar-stream; names ending in "/" become directories. */
export async function tarArchive(files: ArchiveFiles): Promise<Buffer> {
	const pack = tarStream.pack();
	const done = collect(pack as unknown as NodeJS.ReadableStream);
	for (const [name, contents] of files) {
		if (name.endsWith('/')) {
			pack.entry({ name, type: 'directory', mtime: new Date(2025, 0, 1) });
		} else {
			pack.entry({ name, mtime: new Date(2025, 0, 1) }, Buffer.from(contents));
		}
	}
	pack.finalize();
	return done;
}

export const gzip = (bytes: Buffer): Buffer => gzipSync(bytes);

/** nRF Connect SDK's dfu_application.zip: manifest.json naming app_update.bin and its version_MCUBOOT. */
export function nrfDfuZip(image: Buffer, versionMcuboot: string): Promise<Buffer> {
	const manifest = {
		'format-version': 0,
		time: 1735689600,
		files: [
			{
				type: 'application',
				board: 'nrf52840dk/nrf52840',
				soc: 'nRF52840_xxAA',
				load_address: 49152,
				image_index: '0',
				slot_index_primary: '1',
				slot_index_secondary: '2',
				version_MCUBOOT: versionMcuboot,
				size: image.length,
				file: 'app_update.bin',
				modtime: 1735689600,
			},
		],
		name: 'dfu_application',
	};
	return zipArchive([
		['manifest.json', JSON.stringify(manifest, null, 2)],
		['app_update.bin', image],
	]);
}

// ---------------------------------------------------------------------------------------------------- corruption

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
