import type { UploadTicket } from '../types';
import { formData } from '../vendor';

/** The multipart body around the file bytes, plus the request headers (Content-Length included). */
export interface PostObjectForm {
	/** Every text field, then the `file` part's header: everything that precedes the file bytes. */
	preamble: Buffer;
	/** CRLF after the file bytes and the closing boundary. */
	footer: Buffer;
	headers: Record<string, string>;
	contentLength: number;
}

/** The text fields of the PostObject form, in the order sent; `file` follows them, last (docs/protocols.md §3.1). */
export function postObjectFields(ticket: Pick<UploadTicket, 'key' | 'ossAccessKeyId' | 'policy' | 'signature'>): Array<[string, string]> {
	return [
		['key', ticket.key],
		['OSSAccessKeyId', ticket.ossAccessKeyId],
		['policy', ticket.policy],
		['Signature', ticket.signature],
		['success_action_status', '200'],
	];
}

/**
 * Builds the OSS PostObject form with form-data: key, OSSAccessKeyId, policy, Signature,
 * success_action_status=200 and, LAST, `file` (OSS ignores fields after it). The file bytes
 * themselves are not put in the form; the caller streams them between `preamble` and `footer`.
 */
export function buildPostObjectForm(ticket: UploadTicket, fileSize: number): PostObjectForm {
	const FormData = formData();
	const form = new FormData();
	for (const [name, value] of postObjectFields(ticket)) {
		form.append(name, value);
	}
	const filename = ticket.key.split('/').pop() || 'firmware.bin';
	// An empty placeholder: form-data renders the part header, then "\r\n" and the closing boundary.
	form.append('file', Buffer.alloc(0), { filename, contentType: 'application/octet-stream' });
	const whole = form.getBuffer();
	const footer = Buffer.from(`\r\n--${form.getBoundary()}--\r\n`, 'latin1');
	if (!whole.subarray(whole.length - footer.length).equals(footer)) {
		throw new Error('form-data produced an unexpected multipart layout');
	}
	const preamble = whole.subarray(0, whole.length - footer.length);
	const contentLength = preamble.length + fileSize + footer.length;
	return { preamble, footer, contentLength, headers: { ...form.getHeaders(), 'content-length': String(contentLength) } };
}
