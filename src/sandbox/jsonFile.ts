import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const STALE_TEMP = /\.json\.\d+\.[0-9a-f]+\.tmp$/;

/** Removes temp files a crash left between writeFile and rename in `dir`. */
export async function removeStaleJsonTemps(dir: string): Promise<void> {
	for (const name of await fs.readdir(dir)) {
		if (STALE_TEMP.test(name)) {
			await fs.rm(path.join(dir, name), { force: true });
		}
	}
}

/** Writes JSON so readers only ever see the old or the new file: temp file in the same dir, then rename. */
export async function writeJsonAtomic(filePath: string, data: unknown, mode = 0o600): Promise<void> {
	await writeTextAtomic(filePath, `${JSON.stringify(data, null, '\t')}\n`, mode);
}

/** writeJsonAtomic for text the caller serialised itself (e.g. large tables, one row per line). */
export async function writeTextAtomic(filePath: string, text: string, mode = 0o600): Promise<void> {
	const temp = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		await fs.writeFile(temp, text, { mode });
		await fs.rename(temp, filePath);
	} catch (error) {
		await fs.rm(temp, { force: true });
		throw error;
	}
}

/** The parsed file, or undefined when it does not exist. */
export async function readJson(filePath: string): Promise<unknown> {
	try {
		return JSON.parse(await fs.readFile(filePath, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		throw error;
	}
}
