import { randomFillSync } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
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
