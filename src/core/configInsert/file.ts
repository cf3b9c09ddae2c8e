/**
 * File-level insertion for the CLI: read, compute, and replace the file atomically
 * (temp file in the same folder + rename), refusing read-only files and never
 * overwriting a file that changed on disk after it was read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs, rmSync, type Stats } from 'node:fs';
import path from 'node:path';
import { OtaError } from '../errors';
import { openChecked, readHandle, readRegularFile } from '../safeFile';
import { configError } from './configError';
import { detectConfigFormat } from './detect';
import { applyTextEdits, planInsert } from './index';
import type { ConfigFormat } from './types';

export interface FileSnapshot {
	/** The real path (symlinks resolved, so the link itself survives the rename). */
	path: string;
	/** Decoded text without a byte-order mark. */
	text: string;
	bom: boolean;
	mode: number;
	uid: number;
	gid: number;
	size: number;
	mtimeMs: number;
	sha256: string;
}

export interface InsertIntoFileResult {
	format: ConfigFormat;
	changed: boolean;
	previousValue?: string;
}

/** Config files are small; a larger one is refused rather than read into memory. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

function notRegular(filePath: string): OtaError {
	return configError('ConfigFileUnreadable', `${filePath} is not a regular file`, undefined, {
		code: 'config-not-regular',
		values: { path: filePath },
	});
}

function fsError(error: unknown, filePath: string): OtaError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT') {
		return configError('ConfigFileNotFound', `Config file not found: ${filePath}`, undefined, {
			code: 'config-file-not-found',
			values: { path: filePath },
		});
	}
	if (code === 'ENOTREGULAR' || code === 'ENXIO') {
		return notRegular(filePath);
	}
	if (code === 'EFBIG') {
		const mb = MAX_CONFIG_BYTES / 1024 / 1024;
		return configError('ConfigFileTooLarge', `Config file ${filePath} is larger than ${mb} MB`, undefined, {
			code: 'config-too-large',
			values: { path: filePath, mb },
		});
	}
	if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
		return configError(
			'ConfigFileReadOnly',
			`Config file ${filePath} cannot be written (${code})`,
			'Check the file and folder permissions.',
			{ code: 'config-cannot-write', values: { path: filePath, code } },
		);
	}
	const detail = error instanceof Error ? error.message : String(error);
	return configError('ConfigFileUnreadable', `Could not access config file ${filePath}: ${detail}`, undefined, {
		code: 'config-inaccessible',
		values: { path: filePath, detail },
	});
}

/** Refuses files that are not writable — by the permission bits as well, since root passes every access() check. */
async function ensureWritable(filePath: string, realPath: string, stats: Stats): Promise<void> {
	const readOnly = configError(
		'ConfigFileReadOnly',
		`Config file ${filePath} is read-only`,
		'Make it writable (e.g. chmod u+w) and try again.',
		{ code: 'config-read-only', values: { path: filePath } },
	);
	if ((stats.mode & 0o222) === 0) {
		throw readOnly;
	}
	try {
		await fs.access(realPath, constants.W_OK);
	} catch {
		throw readOnly;
	}
	try {
		await fs.access(path.dirname(realPath), constants.W_OK);
	} catch {
		throw configError(
			'ConfigFileReadOnly',
			`The folder of ${filePath} is not writable, so the file cannot be replaced safely`,
			'Check the folder permissions.',
			{ code: 'config-folder-read-only', values: { path: filePath } },
		);
	}
}

export async function readSnapshot(filePath: string): Promise<FileSnapshot> {
	try {
		const realPath = await fs.realpath(filePath);
		// Opened once without blocking (a FIFO swapped in cannot hang it), checked and read through that descriptor.
		const { handle, stats } = await openChecked(realPath);
		let data: Buffer;
		try {
			if (!stats.isFile()) {
				throw notRegular(filePath);
			}
			await ensureWritable(filePath, realPath, stats);
			data = await readHandle(handle, stats, filePath, MAX_CONFIG_BYTES);
		} finally {
			await handle.close().catch(() => undefined);
		}
		const decoded = data.toString('utf8');
		if (!Buffer.from(decoded, 'utf8').equals(data)) {
			throw configError('ConfigFileUnreadable', `${filePath} is not UTF-8 text`, 'Convert it to UTF-8 first.', {
				code: 'config-not-utf8',
				values: { path: filePath },
			});
		}
		const bom = decoded.startsWith('\ufeff');
		return {
			path: realPath,
			text: bom ? decoded.slice(1) : decoded,
			bom,
			mode: stats.mode & 0o7777,
			uid: stats.uid,
			gid: stats.gid,
			size: stats.size,
			mtimeMs: stats.mtimeMs,
			sha256: sha256(data),
		};
	} catch (error) {
		throw error instanceof OtaError ? error : fsError(error, filePath);
	}
}

async function assertUnchanged(snapshot: FileSnapshot): Promise<void> {
	const changed = configError(
		'ConfigFileChanged',
		`${snapshot.path} changed on disk while the value was being inserted`,
		'Run the command again.',
		{ code: 'config-changed', values: { path: snapshot.path } },
	);
	let stats: Stats;
	try {
		stats = await fs.stat(snapshot.path);
	} catch {
		throw configError(
			'ConfigFileChanged',
			`${snapshot.path} was deleted or moved while the value was being inserted`,
			'Run the command again.',
			{ code: 'config-moved', values: { path: snapshot.path } },
		);
	}
	if (stats.size !== snapshot.size || stats.mtimeMs !== snapshot.mtimeMs) {
		throw changed;
	}
	if (sha256(await readRegularFile(snapshot.path, MAX_CONFIG_BYTES).catch(() => Buffer.alloc(0))) !== snapshot.sha256) {
		throw changed;
	}
}

/** Temp files being written: removed if the process ends before their rename (a second Ctrl+C exits at once). */
const tempFiles = new Set<string>();

function removeTempFiles(): void {
	for (const temp of tempFiles) {
		rmSync(temp, { force: true });
	}
}

function trackTemp(temp: string): void {
	if (tempFiles.size === 0) {
		process.on('exit', removeTempFiles);
	}
	tempFiles.add(temp);
}

function untrackTemp(temp: string): void {
	tempFiles.delete(temp);
	if (tempFiles.size === 0) {
		process.off('exit', removeTempFiles);
	}
}

/** Replaces the file with `text` (temp file + rename, same mode), unless it changed since the snapshot. */
export async function writeIfUnchanged(snapshot: FileSnapshot, text: string): Promise<void> {
	await assertUnchanged(snapshot);
	const dir = path.dirname(snapshot.path);
	const temp = path.join(dir, `.${path.basename(snapshot.path)}.${randomBytes(6).toString('hex')}.tmp`);
	trackTemp(temp);
	try {
		const handle = await fs.open(temp, 'wx', snapshot.mode);
		try {
			await handle.writeFile((snapshot.bom ? '\ufeff' : '') + text, 'utf8');
			await handle.chmod(snapshot.mode);
			await handle.chown(snapshot.uid, snapshot.gid).catch(() => undefined);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await assertUnchanged(snapshot);
		await fs.rename(temp, snapshot.path);
	} catch (error) {
		await fs.rm(temp, { force: true }).catch(() => undefined);
		throw error instanceof OtaError ? error : fsError(error, snapshot.path);
	} finally {
		untrackTemp(temp);
	}
}

/** Sets `keyPath` to `value` in the file; `changed: false` (nothing written) when it already had that value. */
export async function insertIntoFile(
	filePath: string,
	keyPath: string,
	value: string,
	opts: { format?: ConfigFormat } = {},
): Promise<InsertIntoFileResult> {
	const format = opts.format ?? detectConfigFormat(filePath);
	if (!format) {
		throw configError(
			'UnknownConfigFormat',
			`Cannot tell the config format of ${path.basename(filePath)} from its name`,
			'Pass the format explicitly (json, yaml, toml, env, properties, ini, sdkconfig or c-header).',
			{ code: 'config-format-unknown', values: { name: path.basename(filePath) } },
		);
	}
	const snapshot = await readSnapshot(filePath);
	const plan = planInsert(snapshot.text, format, keyPath, value);
	if (plan.edits.length === 0) {
		return { format, changed: false, previousValue: plan.previousValue };
	}
	await writeIfUnchanged(snapshot, applyTextEdits(snapshot.text, plan.edits));
	return { format, changed: true, previousValue: plan.previousValue };
}
