// Shared by the sandbox fuzz suites (fuzzSandboxRpc, fuzzSandboxPostObject): raw HTTP requests with a per-case
// deadline, and PostObject forms built from parts, then garbled structurally (parts dropped, swapped, renamed…) and
// byte-wise (truncated, flipped, spliced).
import { request } from 'node:http';
import fc from 'fast-check';

export const CASE_DEADLINE_MS = 3000;

export interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends raw bytes; resolves with the answer, or with status 0 when the server closed the connection. */
export function send(url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
	return new Promise((resolve) => {
		// An explicit length: without it Node sends GET/DELETE bodies unframed, a malformed request of our own making.
		const framed = body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers };
		const req = request(url, { method, headers: framed, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
			);
			res.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
		});
		req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
		req.end(body);
	});
}

// ── PostObject forms and their mutations ─────────────────────────────────────────────────────────

export type Part = { name: string; value: Buffer; filename?: string; headers?: string[] };

export function encodeForm(parts: Part[], boundary: string, eol: string): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
		const head = [
			`--${boundary}`,
			disposition,
			...(part.headers ?? []),
			...(part.filename !== undefined ? ['Content-Type: application/octet-stream'] : []),
		].join(eol);
		chunks.push(Buffer.from(`${head}${eol}${eol}`, 'latin1'), part.value, Buffer.from(eol));
	}
	chunks.push(Buffer.from(`--${boundary}--${eol}`));
	return Buffer.concat(chunks);
}

export type Mutation =
	| { kind: 'truncate'; at: number }
	| { kind: 'flip'; at: number; xor: number }
	| { kind: 'insert'; at: number; bytes: Uint8Array }
	| { kind: 'drop'; part: number }
	| { kind: 'swap'; a: number; b: number }
	| { kind: 'duplicate'; part: number }
	| { kind: 'rename'; part: number; name: string }
	| { kind: 'header'; part: number; header: string }
	| { kind: 'key'; key: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
	fc.record({
		kind: fc.constant('insert' as const),
		at: fc.nat(),
		bytes: fc.oneof(
			fc.uint8Array({ minLength: 1, maxLength: 40 }),
			fc.constantFrom('\r\n', '--', '\r\n--', '"', ';', '\0').map((s) => new Uint8Array(Buffer.from(s))),
		),
	}),
	fc.record({ kind: fc.constant('drop' as const), part: fc.nat() }),
	fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
	fc.record({ kind: fc.constant('duplicate' as const), part: fc.nat() }),
	fc.record({
		kind: fc.constant('rename' as const),
		part: fc.nat(),
		name: fc.oneof(
			fc.constantFrom('file', 'FILE', 'key', 'policy', 'Signature', 'OSSAccessKeyId', 'success_action_status', 'x-oss-meta-a', ''),
			fc.string({ maxLength: 8 }),
		),
	}),
	fc.record({
		kind: fc.constant('header' as const),
		part: fc.nat(),
		header: fc.oneof(
			fc.constantFrom(
				'Content-Type: text/plain',
				'Content-Transfer-Encoding: base64',
				'Content-Disposition: form-data; name="file"; filename="../../x"',
				'X: y',
			),
			fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')),
		),
	}),
	fc.record({
		kind: fc.constant('key' as const),
		key: fc.constantFrom('../escape.bin', '/abs.bin', 'ota/../../x', 'ota\\..\\x', 'a\0b', '', 'ota/' + 'k'.repeat(1100)),
	}),
);

export function applyStructural(parts: Part[], mutations: readonly Mutation[]): Part[] {
	let out = parts.map((p) => ({ ...p, headers: [...(p.headers ?? [])] }));
	for (const m of mutations) {
		const n = out.length;
		if (n === 0) {
			break;
		}
		switch (m.kind) {
			case 'drop':
				out.splice(m.part % n, 1);
				break;
			case 'swap': {
				const [a, b] = [m.a % n, m.b % n];
				[out[a], out[b]] = [out[b], out[a]];
				break;
			}
			case 'duplicate':
				out.splice(m.part % n, 0, { ...out[m.part % n] });
				break;
			case 'rename':
				out[m.part % n] = { ...out[m.part % n], name: m.name.replace(/["\r\n]/g, '') };
				break;
			case 'header':
				out[m.part % n].headers?.push(m.header);
				break;
			case 'key':
				out = out.map((p) => (p.name === 'key' ? { ...p, value: Buffer.from(m.key) } : p));
				break;
			default:
				break;
		}
	}
	return out;
}

export function applyBytes(body: Buffer, mutations: readonly Mutation[]): Buffer {
	let out = body;
	for (const m of mutations) {
		if (out.length === 0) {
			break;
		}
		if (m.kind === 'truncate') {
			out = out.subarray(0, m.at % out.length);
		} else if (m.kind === 'flip') {
			out = Buffer.from(out);
			out[m.at % out.length] ^= m.xor;
		} else if (m.kind === 'insert') {
			const at = m.at % (out.length + 1);
			out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
		}
	}
	return out;
}
