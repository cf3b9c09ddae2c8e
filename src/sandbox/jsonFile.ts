import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/** Writes JSON so readers only ever see the old or the new file: temp file in the same dir, then rename. */
export async function writeJsonAtomic(filePath: string, data: unknown, mode = 0o600): Promise<void> {
	const temp = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	try {
		await fs.writeFile(temp, `${JSON.stringify(data, null, '\t')}\n`, { mode });
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
