// The device list of a SPECIFIC batch with more names than TargetDeviceName takes: a CSV (one DeviceName per line)
// posted to OSS with the GenerateDeviceNameListURL ticket, then passed as DnListFileUrl (docs/protocols.md §11.6).
// The form is the uploader's PostObject form; the ticket names its key `AccessKeyId` instead of `OSSAccessKeyId`.
import http from 'node:http';
import https from 'node:https';
import { cancelledError, OtaError, redact, throwIfAborted } from '../errors';
import { agentFor } from '../proxy';
import { deadlineExceeded, headerOverflow } from '../responseBounds';
import { classifyTlsFailure, unretryableTlsError } from '../tlsFailure';
import { readOssAnswer, uploadDeadlineMs } from '../upload/ossAnswer';
import { ossErrorFromResponse } from '../upload/ossError';
import { buildPostObjectForm } from '../upload/postFormBuilder';
import { checkNames, invalid, LIFECYCLE_LIMITS } from './rules';
import type { DeviceListTicket } from './types';

export interface DeviceListPostOptions {
	signal?: AbortSignal;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}

/** The file's text: checked names, one per line. */
export function deviceListCsv(names: readonly string[]): string {
	const checked = checkNames('device-list', names, LIFECYCLE_LIMITS.deviceListNames);
	const text = `${checked.join('\n')}\n`;
	if (Buffer.byteLength(text) > LIFECYCLE_LIMITS.deviceListBytes) {
		throw invalid('DeviceListTooLarge', 'The device list file may be at most 5 MB.', { reason: 'device-list-size' });
	}
	return text;
}

/** Names from a device file: one per line or comma-separated; blank lines and `#` comments ignored. */
export function parseDeviceList(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.replace(/#.*$/, ''))
		.flatMap((line) => line.split(','))
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

function timeoutError(host: string): OtaError {
	return new OtaError({
		code: 'UploadTimeout',
		source: 'network',
		retryable: true,
		message: `Posting the device list to ${host} timed out.`,
	});
}

/** Posts the list with the ticket; resolves once OSS stored it (2xx). */
export function postDeviceList(ticket: DeviceListTicket, names: readonly string[], opts: DeviceListPostOptions = {}): Promise<void> {
	throwIfAborted(opts.signal, 'the device list upload');
	const body = Buffer.from(deviceListCsv(names));
	const target = new URL(/^https?:\/\//i.test(ticket.host) ? ticket.host : `https://${ticket.host}`);
	const form = buildPostObjectForm({ ...ticket, ossAccessKeyId: ticket.accessKeyId, firmwareUrl: ticket.fileUrl }, body.length);
	const secrets = [ticket.policy, ticket.signature];
	const transport = target.protocol === 'https:' ? https : http;
	const timeoutMs = opts.timeoutMs ?? 30_000;
	const deadlineMs = uploadDeadlineMs(body.length, timeoutMs);
	return new Promise<void>((resolve, reject) => {
		const req = transport.request(target, {
			method: 'POST',
			headers: form.headers,
			agent: agentFor(target.href, opts.env),
			signal: opts.signal,
			timeout: timeoutMs,
		});
		// Bounded in time however the server trickles its answer (docs/protocols.md §14.1).
		const deadline = setTimeout(
			() => req.destroy(deadlineExceeded({ kind: 'device-list', name: target.host }, deadlineMs)),
			deadlineMs,
		);
		req.on('close', () => clearTimeout(deadline));
		req.on('timeout', () => req.destroy(timeoutError(target.host)));
		req.on('error', (error: NodeJS.ErrnoException) => {
			// The upload's classification of a TLS failure (docs/protocols.md §12.1): a transient one is retryable.
			const tls = classifyTlsFailure(error);
			const refused =
				tls && unretryableTlsError(tls, { action: 'PostObject', server: target.host, detail: redact(error.message, secrets) });
			if (opts.signal?.aborted) {
				reject(cancelledError('the device list upload'));
			} else if (error instanceof OtaError) {
				reject(error);
			} else if (refused) {
				reject(refused);
			} else {
				const message = redact(`Posting the device list to ${target.host} failed: ${error.message}`, secrets);
				reject(
					headerOverflow(error, { kind: 'host-answer', name: target.host }) ??
						new OtaError({ code: tls?.code ?? error.code ?? 'NetworkError', source: 'network', retryable: true, message }),
				);
			}
		});
		req.on('response', (res) => {
			readOssAnswer(res, { kind: 'host-answer', name: target.host }, (answer) => {
				clearTimeout(deadline);
				const status = res.statusCode ?? 0;
				if (answer.error) {
					reject(answer.error);
				} else if (status >= 200 && status < 300) {
					if (answer.complete) {
						resolve();
					} else {
						const message = `OSS answered ${status}, but the connection ended before its answer did.`;
						reject(new OtaError({ code: 'UnexpectedResponse', source: 'oss', status, retryable: true, message }));
					}
				} else {
					const requestId = res.headers['x-oss-request-id'];
					reject(
						ossErrorFromResponse(
							status,
							res.statusMessage,
							answer.body,
							typeof requestId === 'string' ? requestId : undefined,
							secrets,
						),
					);
				}
			});
		});
		req.end(Buffer.concat([form.preamble, body, form.footer]));
	});
}
