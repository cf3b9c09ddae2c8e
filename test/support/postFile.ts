// postObject of a file by path, as the uploader does it: opened once and checked (openRegularFile), read and hashed
// in one pass (UploadBody), the body discarded and the file closed afterwards.
import { openRegularFile } from '../../src/core/limits';
import type { UploadTicket } from '../../src/core/types';
import { postObject, type PostObjectOptions, type PostObjectResult } from '../../src/core/upload/postObject';
import { UploadBody } from '../../src/core/upload/uploadBody';

export async function postFile(
	ticket: UploadTicket,
	filePath: string,
	opts: PostObjectOptions & { hash?: boolean } = {},
): Promise<PostObjectResult> {
	const file = await openRegularFile(filePath);
	const body = UploadBody.over(file, { hash: opts.hash !== false });
	try {
		return await postObject(ticket, body, opts);
	} finally {
		await body.discard();
		await file.handle.close();
	}
}
