// A self-signed certificate for 127.0.0.1 (the tests keep no binary fixture), made by the `selfsigned` package.
import { generate } from 'selfsigned';

export interface SelfSigned {
	/** PEM, for https.createServer and NODE_EXTRA_CA_CERTS. */
	cert: string;
	key: string;
}

export async function selfSignedCertificate(commonName = '127.0.0.1'): Promise<SelfSigned> {
	const now = Date.now();
	const { cert, private: key } = await generate([{ name: 'commonName', value: commonName }], {
		keyType: 'ec',
		algorithm: 'sha256',
		notBeforeDate: new Date(now - 3_600_000),
		notAfterDate: new Date(now + 86_400_000),
		extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
	});
	return { cert, key };
}
