// A self-signed certificate for 127.0.0.1, made with Node's crypto (a P-256 key) and a few lines of DER: Node can sign
// but not build an X.509 certificate, and the tests keep no binary fixture. Good for one day from an hour ago.
import { generateKeyPairSync, sign } from 'node:crypto';

const der = (tag: number, ...content: Buffer[]): Buffer => {
	const body = Buffer.concat(content);
	const length =
		body.length < 0x80
			? Buffer.from([body.length])
			: body.length < 0x100
				? Buffer.from([0x81, body.length])
				: Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
	return Buffer.concat([Buffer.from([tag]), length, body]);
};
const sequence = (...content: Buffer[]) => der(0x30, ...content);

function oid(dotted: string): Buffer {
	const [first, second, ...rest] = dotted.split('.').map(Number);
	const bytes = [first * 40 + second];
	for (const arc of rest) {
		const groups = [arc & 0x7f];
		for (let value = arc >> 7; value > 0; value >>= 7) {
			groups.unshift((value & 0x7f) | 0x80);
		}
		bytes.push(...groups);
	}
	return der(0x06, Buffer.from(bytes));
}

const utcTime = (date: Date) => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));

export interface SelfSigned {
	/** PEM, for https.createServer and NODE_EXTRA_CA_CERTS. */
	cert: string;
	key: string;
}

export function selfSignedCertificate(commonName = '127.0.0.1'): SelfSigned {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
	const name = sequence(der(0x31, sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))));
	const now = Date.now();
	const subjectAltName = sequence(oid('2.5.29.17'), der(0x04, sequence(der(0x87, Buffer.from([127, 0, 0, 1])))));
	const tbs = sequence(
		der(0xa0, der(0x02, Buffer.from([2]))),
		der(0x02, Buffer.from([1])),
		ecdsaWithSha256,
		name,
		sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
		name,
		publicKey.export({ type: 'spki', format: 'der' }),
		der(0xa3, sequence(subjectAltName)),
	);
	const signature = sign('sha256', tbs, privateKey);
	const certificate = sequence(tbs, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
	const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
	return {
		cert: `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`,
		key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	};
}
