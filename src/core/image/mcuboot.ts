// MCUboot images (docs/protocols.md §9.2): a 32-byte header padded to hdr_size, the image, then TLV areas
// (protected 0x6908, unprotected 0x6907). The hash TLV covers header + image + protected TLV area.
import { createHash, type Hash } from 'node:crypto';
import type { ByteReader } from './byteReader';
import { hex32, integrityOf, named, problemCheck, signatureOf, truncated } from './checks';
import type { ContentInfo, IntegrityCheck, McubootDetails, McubootTlv } from './types';

const IMAGE_MAGIC = 0x96f3b83d;
const HEADER_BYTES = 32;
const TLV_INFO_MAGIC = 0x6907;
const TLV_PROT_INFO_MAGIC = 0x6908;
const TLV_INFO_BYTES = 4;

const FLAGS: ReadonlyArray<[number, string]> = [
	[0x01, 'PIC'],
	[0x04, 'ENCRYPTED_AES128'],
	[0x08, 'ENCRYPTED_AES256'],
	[0x10, 'NON_BOOTABLE'],
	[0x20, 'RAM_LOAD'],
	[0x100, 'ROM_FIXED'],
	[0x200, 'COMPRESSED_LZMA1'],
	[0x400, 'COMPRESSED_LZMA2'],
	[0x800, 'COMPRESSED_ARM_THUMB_FLT'],
];
const ENCRYPTED_FLAGS = 0x04 | 0x08;

const TLV_NAMES: Record<number, string> = {
	0x01: 'KEYHASH',
	0x02: 'PUBKEY',
	0x10: 'SHA256',
	0x11: 'SHA384',
	0x12: 'SHA512',
	0x20: 'RSA2048_PSS',
	0x21: 'ECDSA224',
	0x22: 'ECDSA_SIG',
	0x23: 'RSA3072_PSS',
	0x24: 'ED25519',
	0x25: 'SIG_PURE',
	0x30: 'ENC_RSA2048',
	0x31: 'ENC_KW',
	0x32: 'ENC_EC256',
	0x33: 'ENC_X25519',
	0x34: 'ENC_X25519_SHA512',
	0x40: 'DEPENDENCY',
	0x50: 'SEC_CNT',
	0x60: 'BOOT_RECORD',
	0x70: 'DECOMP_SIZE',
	0x71: 'DECOMP_SHA',
	0x72: 'DECOMP_SIGNATURE',
	0x73: 'COMP_DEC_SIZE',
	0x74: 'UUID_VID',
	0x75: 'UUID_CID',
};
const HASH_TLVS: Record<number, 'sha256' | 'sha384' | 'sha512'> = { 0x10: 'sha256', 0x11: 'sha384', 0x12: 'sha512' };

/** imgtool writes ECDSA signatures DER-encoded: at most 72 bytes for P-256, 104 for P-384. */
function signatureKind(type: number, length: number): string | undefined {
	switch (type) {
		case 0x20:
			return 'RSA-2048 (PSS)';
		case 0x21:
			return 'ECDSA-P224';
		case 0x22:
			return length <= 72 ? 'ECDSA-P256' : 'ECDSA-P384';
		case 0x23:
			return 'RSA-3072 (PSS)';
		case 0x24:
			return 'Ed25519';
		default:
			return undefined;
	}
}

export function looksLikeMcubootImage(head: Buffer): boolean {
	return head.length >= HEADER_BYTES && head.readUInt32LE(0) === IMAGE_MAGIC;
}

/** imgtool's spelling ("1.2.3+4", "+0" dropped) and mcumgr's ("1.2.3.4"; "1.2.3" when the build is 0). */
export function mcubootVersionText(v: McubootDetails['version']): { version: string; aliases: string[] } {
	const base = `${v.major}.${v.minor}.${v.revision}`;
	return v.build === 0 ? { version: base, aliases: [`${base}+0`] } : { version: `${base}+${v.build}`, aliases: [`${base}.${v.build}`] };
}

interface Tlv extends McubootTlv {
	value: Buffer;
}

/** The TLVs of one area (after its 4-byte info header); undefined when one runs past the end. */
function parseTlvs(area: Buffer, isProtected: boolean): Tlv[] | undefined {
	const tlvs: Tlv[] = [];
	for (let offset = TLV_INFO_BYTES; offset < area.length;) {
		if (offset + 4 > area.length) {
			return undefined;
		}
		const type = area.readUInt16LE(offset);
		const length = area.readUInt16LE(offset + 2);
		const value = area.subarray(offset + 4, offset + 4 + length);
		if (value.length < length) {
			return undefined;
		}
		tlvs.push({ type, name: TLV_NAMES[type] ?? `0x${type.toString(16)}`, length, protected: isProtected, value });
		offset += 4 + length;
	}
	return tlvs;
}

/** Reads one TLV area with its info header; a check explains what is wrong when it cannot be read. */
async function readTlvArea(
	reader: ByteReader,
	magic: number,
	expectedTotal: number | undefined,
	onBytes: (bytes: Buffer) => void,
): Promise<Tlv[] | IntegrityCheck> {
	const start = reader.position;
	const info = await reader.read(TLV_INFO_BYTES);
	onBytes(info);
	if (info.length < TLV_INFO_BYTES) {
		return truncated('mcuboot-tlv-structure', reader.position, start + TLV_INFO_BYTES);
	}
	const [found, total] = [info.readUInt16LE(0), info.readUInt16LE(2)];
	if (found !== magic || (expectedTotal !== undefined && total !== expectedTotal) || total < TLV_INFO_BYTES) {
		const expected = expectedTotal === undefined ? {} : { expectedBytes: expectedTotal };
		const problem = { code: 'tlv-magic', magic: `0x${magic.toString(16)}`, offset: start, ...expected } as const;
		return problemCheck('mcuboot-tlv-area', problem, `magic 0x${found.toString(16)}, ${total} bytes`);
	}
	const body = await reader.read(total - TLV_INFO_BYTES);
	onBytes(body);
	if (body.length < total - TLV_INFO_BYTES) {
		return truncated('mcuboot-tlv-structure', reader.position, start + total);
	}
	const tlvs = parseTlvs(Buffer.concat([info, body]), magic === TLV_PROT_INFO_MAGIC);
	return tlvs ?? problemCheck('mcuboot-tlv-area', { code: 'tlv-overrun', offset: start });
}

export async function parseMcubootImage(reader: ByteReader): Promise<ContentInfo> {
	const hashes: Record<string, Hash> = { sha256: createHash('sha256'), sha384: createHash('sha384'), sha512: createHash('sha512') };
	const hashed = (bytes: Buffer): void => Object.values(hashes).forEach((hash) => hash.update(bytes));
	const header = await reader.read(HEADER_BYTES);
	hashed(header);
	const flags = header.readUInt32LE(16);
	const details: McubootDetails = {
		loadAddress: hex32(header.readUInt32LE(4)),
		headerSize: header.readUInt16LE(8),
		protectedTlvSize: header.readUInt16LE(10),
		imageSize: header.readUInt32LE(12),
		flags: FLAGS.filter(([bit]) => flags & bit).map(([, name]) => name),
		version: { major: header[20], minor: header[21], revision: header.readUInt16LE(22), build: header.readUInt32LE(24) },
		tlvs: [],
		encrypted: (flags & ENCRYPTED_FLAGS) !== 0,
		trailingBytes: 0,
	};
	const checks: IntegrityCheck[] = [];
	const tlvs: Tlv[] = [];
	const finish = (): ContentInfo => mcubootContent(details, checks, tlvs);
	if (details.headerSize < HEADER_BYTES) {
		checks.push(problemCheck('mcuboot-header', { code: 'header-size', headerSize: details.headerSize }));
		return finish();
	}
	const bodyBytes = details.headerSize - HEADER_BYTES + details.imageSize;
	const passed = await reader.pass(bodyBytes, hashed);
	if (passed < bodyBytes) {
		checks.push(truncated('mcuboot-structure', reader.position, details.headerSize + details.imageSize + TLV_INFO_BYTES));
		return finish();
	}
	if (details.protectedTlvSize > 0) {
		const area = await readTlvArea(reader, TLV_PROT_INFO_MAGIC, details.protectedTlvSize, hashed);
		if (!Array.isArray(area)) {
			checks.push(area);
			return finish();
		}
		tlvs.push(...area);
	}
	const area = await readTlvArea(reader, TLV_INFO_MAGIC, undefined, () => undefined);
	if (!Array.isArray(area)) {
		checks.push(area);
		return finish();
	}
	tlvs.push(...area);
	const hashTlv = area.find((tlv) => HASH_TLVS[tlv.type]);
	if (hashTlv) {
		const algorithm = HASH_TLVS[hashTlv.type];
		const name = named({ kind: 'mcuboot-digest', algorithm: algorithm.toUpperCase().replace('SHA', 'SHA-') });
		const stored = hashTlv.value.toString('hex');
		const computed = hashes[algorithm].digest('hex');
		checks.push(
			details.encrypted
				? { ...name, status: 'unverifiable', stored, detail: 'the image is encrypted; the digest covers the plaintext' }
				: { ...name, status: stored === computed ? 'verified' : 'mismatch', stored, computed },
		);
	}
	details.trailingBytes = await reader.drain();
	return finish();
}

function mcubootContent(details: McubootDetails, checks: IntegrityCheck[], tlvs: Tlv[]): ContentInfo {
	details.tlvs = tlvs.map(({ type, name, length, protected: isProtected }) => ({ type, name, length, protected: isProtected }));
	const counter = tlvs.find((tlv) => tlv.type === 0x50 && tlv.length === 4);
	details.securityCounter = counter?.value.readUInt32LE(0);
	const pure = tlvs.some((tlv) => tlv.type === 0x25);
	const kinds = tlvs.flatMap((tlv) => {
		const kind = signatureKind(tlv.type, tlv.length);
		return kind ? [pure ? `${kind} (pure)` : kind] : [];
	});
	const warnings =
		checks.length === 0 && !pure ? ['The TLV area has no SHA-256/384/512 TLV: the image digest cannot be checked.'] : ([] as string[]);
	const { version, aliases } = mcubootVersionText(details.version);
	return {
		format: 'mcuboot',
		version,
		versionSource: 'mcuboot-header',
		versionAliases: aliases,
		integrity: integrityOf(checks),
		signature: signatureOf(kinds),
		mcuboot: details,
		warnings,
	};
}
