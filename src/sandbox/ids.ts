import { randomBytes } from 'node:crypto';

/** A random alphanumeric id, e.g. 26 characters like the platform's FirmwareId, JobId and TaskId. */
export function randomId(length: number): string {
	let id = '';
	while (id.length < length) {
		id += randomBytes(length)
			.toString('base64')
			.replace(/[^A-Za-z0-9]/g, '');
	}
	return id.slice(0, length);
}
