// MCUboot images as `imgtool sign --pad-header` writes them, signed with imgtool's algorithms
// (docs/protocols.md §9.2).
import { createHash, generateKeyPairSync, sign, constants as cryptoConstants, type KeyObject } from 'node:crypto';
import { pattern } from './bytes';

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
