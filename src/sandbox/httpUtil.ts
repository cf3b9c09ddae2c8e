import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function popRequestId(): string {
	return randomUUID().toUpperCase();
}

/** OSS request ids are 24 upper-case hex digits. */
export function ossRequestId(): string {
	return randomBytes(12).toString('hex').toUpperCase();
}

/** Resolves after `ms`, or early (without error) when `signal` aborts; never keeps the process alive. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}
		const done = (): void => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		timer.unref();
		signal.addEventListener('abort', done, { once: true });
	});
}

/** Reads a small request body; rejects when it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(new Error('Request body too large.'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) {
				reject(new Error('Client closed the request.'));
			}
		});
	});
}
