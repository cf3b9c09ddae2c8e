import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MB = 1024 * 1024;

/** Random-content test files, cached between runs (outside git) so only the first run pays for them. */
export async function ensureTestFile(cacheDir: string, sizeMb: number): Promise<string> {
	mkdirSync(cacheDir, { recursive: true });
	const file = path.join(cacheDir, `random-${sizeMb}mb.bin`);
	if (existsSync(file) && statSync(file).size === sizeMb * MB) {
		return file;
	}
	const partial = `${file}.partial`;
	const out = createWriteStream(partial);
	const chunk = Buffer.allocUnsafe(MB);
	for (let i = 0; i < sizeMb; i++) {
		randomFillSync(chunk);
		if (!out.write(chunk)) {
			await new Promise<void>((resolve) => out.once('drain', () => resolve()));
		}
	}
	await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
	renameSync(partial, file);
	return file;
}

export interface FileDigests {
	md5: string;
	sha256: string;
}

/** MD5 and SHA-256 of a test file (what every upload must report), cached next to it. */
export async function fileDigests(file: string): Promise<FileDigests> {
	const cacheFile = `${file}.digests.json`;
	const { size, mtimeMs } = statSync(file);
	if (existsSync(cacheFile)) {
		const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as FileDigests & { size: number; mtimeMs: number };
		if (cached.size === size && cached.mtimeMs === mtimeMs) {
			return { md5: cached.md5, sha256: cached.sha256 };
		}
	}
	const md5 = createHash('md5');
	const sha256 = createHash('sha256');
	for await (const chunk of createReadStream(file, { highWaterMark: MB })) {
		md5.update(chunk as Buffer);
		sha256.update(chunk as Buffer);
	}
	const digests = { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
	writeFileSync(cacheFile, JSON.stringify({ ...digests, size, mtimeMs }));
	return digests;
}
