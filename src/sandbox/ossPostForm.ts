// The multipart body of a PostObject, read as OSS reads it: every part needs a name; the part named "file" (any case)
// is the object, and any other part is a form field whatever its headers say, of at most MAX_FORM_FIELD_BYTES.
import type Busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { busboy } from '../core/vendor';

export const MAX_FORM_FIELD_BYTES = 4096;
/** Parts a form may have (the fields, the file, ignored ones after it); busboy bounds each part's headers itself. */
const MAX_FORM_PARTS = 64;
export const STREAM_BYTES = 1024 * 1024;

export interface PostFormHandlers {
	/** A form field; `truncated` when busboy cut its value at MAX_FORM_FIELD_BYTES + 1. */
	field(name: string, value: string, truncated: boolean): void;
	/** A field sent as a file part grew past MAX_FORM_FIELD_BYTES (refused while it streams). */
	fieldTooLong(): void;
	/** The part named "file": the object's data. */
	file(stream: Readable): void;
	/** A part without a name, or a body the parser cannot read. */
	malformed(): void;
	/** More than MAX_FORM_PARTS parts. */
	partsLimit(): void;
	/** The form ended. */
	end(): void;
}

/** The parser to pipe the request body into, or undefined when its headers name no readable multipart body. */
export function postFormParser(headers: IncomingHttpHeaders, on: PostFormHandlers): Busboy.Busboy | undefined {
	let parser: Busboy.Busboy;
	try {
		parser = busboy()({
			headers,
			highWaterMark: STREAM_BYTES,
			fileHwm: STREAM_BYTES,
			limits: { fieldSize: MAX_FORM_FIELD_BYTES + 1, parts: MAX_FORM_PARTS },
		});
	} catch {
		return undefined;
	}
	// busboy hands over `undefined` for a part whose Content-Disposition has no name: that body is not well-formed.
	parser.on('field', (name: string | undefined, value, info) => (name ? on.field(name, value, info.valueTruncated) : on.malformed()));
	parser.on('file', (name: string | undefined, stream) => {
		stream.on('error', () => undefined); // busboy reports the cause through its own 'error'
		if (!name) {
			stream.resume();
			on.malformed();
		} else if (name.toLowerCase() === 'file') {
			on.file(stream);
		} else {
			readFieldPart(stream, (value, tooLong) => on.field(name, value, tooLong), on.fieldTooLong);
		}
	});
	parser.on('error', () => on.malformed());
	parser.on('partsLimit', () => on.partsLimit());
	parser.on('finish', () => on.end());
	return parser;
}

/** A file part that is not the object, read as the field it stands for; refused as soon as it grows too long. */
function readFieldPart(stream: Readable, done: (value: string, tooLong: boolean) => void, tooLong: () => void): void {
	const chunks: Buffer[] = [];
	let size = 0;
	stream.on('data', (c: Buffer) => {
		size += c.length;
		if (size > MAX_FORM_FIELD_BYTES) {
			tooLong();
			stream.resume();
		} else {
			chunks.push(c);
		}
	});
	stream.on('end', () => done(Buffer.concat(chunks).toString('utf8'), size > MAX_FORM_FIELD_BYTES));
}
