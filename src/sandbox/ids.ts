import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Bytes below this map evenly onto the 62 characters (4 × 62); the others are skipped. */
const UNBIASED_LIMIT = 248;
const pool = Buffer.alloc(16 * 1024);
let next = pool.length;

function randomByte(): number {
	if (next >= pool.length) {
		randomFillSync(pool);
		next = 0;
	}
	return pool[next++];
}

/**
 * A random alphanumeric id, e.g. 26 characters like the platform's FirmwareId, JobId and TaskId. Drawn
 * from a refilled pool of random bytes: a 100,000-task job needs 100,000 of them at once.
 */
export function randomId(length: number): string {
	let id = '';
	while (id.length < length) {
		const byte = randomByte();
		if (byte < UNBIASED_LIMIT) {
			id += ALPHABET[byte % 62];
		}
	}
	return id;
}
