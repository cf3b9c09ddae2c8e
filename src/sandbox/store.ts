import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger';
import { readJson, writeJsonAtomic } from './jsonFile';
import { objectKeysOf, SEEDED_PRODUCTS, type FirmwareRecord, type ProductRecord, type StoredObject } from './storeRecords';

/**
 * Everything the sandbox keeps on disk under its data dir:
 *   state.json   uploaded objects' metadata and firmware records
 *   objects/     one file per object, named by the SHA-256 of its key (so no key can
 *                reach outside this folder, and "a" and "a/b" can coexist)
 *   tmp/         uploads in progress; emptied at start
 * Uploaded objects never registered by CreateOTAFirmware expire after the TTL.
 */

interface StateFile {
	version: 1;
	objects: Record<string, StoredObject>;
	firmware: FirmwareRecord[];
}

export interface StoreOptions {
	now: () => number;
	unregisteredTtlMs: number;
	logger: Logger;
	onObjectExpired?: (key: string) => void;
}

export class SandboxStore {
	readonly objectsDir: string;
	readonly tmpDir: string;
	private readonly stateFile: string;
	private objects = new Map<string, StoredObject>();
	private firmware: FirmwareRecord[] = [];
	/** The same records by FirmwareId: every device step and push looks its package up. */
	private readonly firmwareById = new Map<string, FirmwareRecord>();
	private saving: Promise<void> = Promise.resolve();
	private saveQueued = false;

	private constructor(
		readonly dataDir: string,
		private readonly opts: StoreOptions,
	) {
		this.objectsDir = path.join(dataDir, 'objects');
		this.tmpDir = path.join(dataDir, 'tmp');
		this.stateFile = path.join(dataDir, 'state.json');
	}

	static async open(dataDir: string, opts: StoreOptions): Promise<SandboxStore> {
		const store = new SandboxStore(dataDir, opts);
		await fs.rm(store.tmpDir, { recursive: true, force: true });
		await fs.mkdir(store.tmpDir, { recursive: true });
		await fs.mkdir(store.objectsDir, { recursive: true });
		const state = (await readJson(store.stateFile)) as Partial<StateFile> | undefined;
		// Objects stored by earlier sandbox versions carry their MD5 and no etag: it was the MD5.
		store.objects = new Map(
			Object.entries(state?.objects ?? {}).map(([key, o]) => [key, { ...o, etag: o.etag ?? o.md5?.toUpperCase() ?? '' }]),
		);
		store.firmware = Array.isArray(state?.firmware) ? state.firmware : [];
		store.firmware.forEach((f) => store.firmwareById.set(f.firmwareId, f));
		await store.removeOrphanFiles();
		await store.sweep();
		return store;
	}

	products(): readonly ProductRecord[] {
		return SEEDED_PRODUCTS;
	}

	objectPath(key: string): string {
		return path.join(this.objectsDir, createHash('sha256').update(key, 'utf8').digest('hex'));
	}

	newTempPath(): string {
		return path.join(this.tmpDir, `upload-${randomBytes(8).toString('hex')}.part`);
	}

	/** The object if it exists and has not outlived the unregistered TTL (expired ones are deleted). */
	getObject(key: string): StoredObject | undefined {
		const object = this.objects.get(key);
		if (object && this.isExpired(object)) {
			this.expire(object.key).catch((error: unknown) =>
				this.opts.logger.warn(`sandbox: could not delete expired upload: ${String(error)}`),
			);
			return undefined;
		}
		return object;
	}

	/** Moves a finished upload into place (replacing any object with that key) and records it. */
	async putObject(tempFile: string, object: StoredObject): Promise<void> {
		await fs.rename(tempFile, this.objectPath(object.key));
		// Overwriting an object that backs a firmware record must not make it expire.
		const registered = object.registered || (this.objects.get(object.key)?.registered ?? false);
		this.objects.set(object.key, { ...object, registered });
		await this.save();
	}

	async updateObject(key: string, change: Partial<StoredObject>): Promise<void> {
		const object = this.objects.get(key);
		if (object) {
			this.objects.set(key, { ...object, ...change });
			await this.save();
		}
	}

	async deleteObject(key: string): Promise<void> {
		if (this.objects.delete(key)) {
			await fs.rm(this.objectPath(key), { force: true });
			await this.save();
		}
	}

	listFirmware(): readonly FirmwareRecord[] {
		return this.firmware;
	}

	getFirmware(firmwareId: string): FirmwareRecord | undefined {
		return this.firmwareById.get(firmwareId);
	}

	async addFirmware(record: FirmwareRecord): Promise<void> {
		this.firmware.push(record);
		this.firmwareById.set(record.firmwareId, record);
		for (const key of objectKeysOf(record)) {
			const object = this.objects.get(key);
			if (object) {
				this.objects.set(object.key, { ...object, registered: true });
			}
		}
		await this.save();
	}

	/** Changes a firmware record: the verification Status the OTA engine sets, ModifyOTAFirmware's fields. */
	async updateFirmware(
		firmwareId: string,
		change: Partial<Pick<FirmwareRecord, 'status' | 'firmwareName' | 'firmwareDesc' | 'udi' | 'modifiedAt'>>,
	): Promise<void> {
		const record = this.getFirmware(firmwareId);
		if (record) {
			Object.assign(record, change);
			await this.save();
		}
	}

	async deleteFirmware(firmwareId: string): Promise<boolean> {
		const record = this.getFirmware(firmwareId);
		if (!record) {
			return false;
		}
		this.firmware = this.firmware.filter((f) => f !== record);
		this.firmwareById.delete(firmwareId);
		const stillUsed = new Set(this.firmware.flatMap(objectKeysOf));
		for (const key of objectKeysOf(record)) {
			if (!stillUsed.has(key) && this.objects.delete(key)) {
				await fs.rm(this.objectPath(key), { force: true });
			}
		}
		await this.save();
		return true;
	}

	/** Deletes every expired unregistered object; returns their keys. */
	async sweep(): Promise<string[]> {
		const expired = [...this.objects.values()].filter((o) => this.isExpired(o)).map((o) => o.key);
		for (const key of expired) {
			await this.expire(key);
		}
		return expired;
	}

	/** Waits for pending state writes. */
	async flush(): Promise<void> {
		await this.saving;
	}

	private isExpired(object: StoredObject): boolean {
		return !object.registered && this.opts.now() - object.createdAt >= this.opts.unregisteredTtlMs;
	}

	private async expire(key: string): Promise<void> {
		if (!this.objects.has(key)) {
			return;
		}
		await this.deleteObject(key);
		this.opts.logger.info(`sandbox: deleted unregistered upload ${key} (older than ${this.opts.unregisteredTtlMs} ms)`);
		this.opts.onObjectExpired?.(key);
	}

	/** Coalesces concurrent saves: at most one write in flight and one queued behind it. */
	private save(): Promise<void> {
		if (this.saveQueued) {
			return this.saving;
		}
		this.saveQueued = true;
		this.saving = this.saving
			.catch(() => undefined)
			.then(() => {
				this.saveQueued = false;
				const state: StateFile = { version: 1, objects: Object.fromEntries(this.objects), firmware: this.firmware };
				return writeJsonAtomic(this.stateFile, state);
			});
		return this.saving;
	}

	private async removeOrphanFiles(): Promise<void> {
		const known = new Set([...this.objects.keys()].map((key) => path.basename(this.objectPath(key))));
		for (const name of await fs.readdir(this.objectsDir)) {
			if (!known.has(name)) {
				await fs.rm(path.join(this.objectsDir, name), { force: true });
			}
		}
		for (const key of [...this.objects.keys()]) {
			const exists = await fs.stat(this.objectPath(key)).then(
				() => true,
				() => false,
			);
			if (!exists) {
				this.objects.delete(key);
			}
		}
	}
}
