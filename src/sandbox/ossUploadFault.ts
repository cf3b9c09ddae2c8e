import type { IncomingMessage } from 'node:http';
import type { OssContext } from './ossContext';
import { ossErrors, type OssError } from './ossErrors';

/** What a PostObject upload offers the fault rules before its body is read. */
export interface PostObjectStart {
	/** Starts reading the body; with `resetAfterBytes`, the connection is reset once that many bytes came in. */
	read(resetAfterBytes?: number): void;
	fail(error: OssError): void;
	/** Checks the policy as if it had expired. */
	expirePolicy(): void;
}

/** Applies the PostObject fault rule due for this request, if any (the fault endpoint), and starts reading as it says. */
export function startPostObject(ctx: OssContext, req: IncomingMessage, upload: PostObjectStart): void {
	const fault = ctx.faults.take('oss', 'PostObject', ['status', 'reset', 'stall', 'delay', 'expirePolicy', 'hold']);
	switch (fault?.kind) {
		case 'status':
			upload.fail(ossErrors.injected(fault.status, fault.code, fault.message));
			return;
		case 'reset':
			if (fault.afterBytes === 0) {
				req.socket.destroy();
			} else {
				upload.read(fault.afterBytes);
			}
			return;
		case 'stall':
			// Without a duration the body is never read: the client times out or the sandbox stops.
			if (fault.ms !== undefined) {
				void ctx.pause(fault.ms).then(() => upload.read());
			}
			return;
		case 'delay':
			void ctx.pause(fault.ms).then(() => upload.read());
			return;
		case 'hold':
			void ctx.faults.hold('oss', 'PostObject', ctx.stopSignal).then(() => upload.read());
			return;
		case 'expirePolicy':
			upload.expirePolicy();
			upload.read();
			return;
		default:
			upload.read();
	}
}
