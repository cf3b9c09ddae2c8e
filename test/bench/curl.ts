import type { IotClient } from '../../src/core/iotClient';
import type { UploadTicket } from '../../src/core/types';
import { measure, type Measurement } from './measure';

export interface CurlPost {
	/** curl's own time_total: connect, the whole body, the answer. */
	totalMs: number;
	/** With `trace`: from curl's first step to "We are completely uploaded" (its last body byte handed to the socket). */
	lastByteMs?: number;
	m: Measurement;
}

/** Wall-clock time of day of a `--trace-time` line, in ms. */
function traceMs(line: string): number | undefined {
	const hit = /^(\d\d):(\d\d):(\d\d\.\d+) /.exec(line);
	return hit ? ((Number(hit[1]) * 60 + Number(hit[2])) * 60 + Number(hit[3])) * 1000 : undefined;
}

/**
 * curl posting the ticket's PostObject form (file last, `Expect:` off), as a user would by hand. With `trace`, curl's
 * verbose log (`-v --trace-time`, no body dump) also says when the last byte was sent.
 */
export async function curlPost(ticket: UploadTicket, file: string, opts: { trace?: boolean } = {}): Promise<CurlPost> {
	const m = await measure('curl', [
		'-sS',
		'--fail',
		'-o',
		'/dev/null',
		...(opts.trace ? ['-v', '--trace-time'] : []),
		'-w',
		'%{time_total}\n',
		'-H',
		'Expect:',
		'-F',
		`key=${ticket.key}`,
		'-F',
		`OSSAccessKeyId=${ticket.ossAccessKeyId}`,
		'-F',
		`policy=${ticket.policy}`,
		'-F',
		`Signature=${ticket.signature}`,
		'-F',
		'success_action_status=200',
		'-F',
		`file=@${file};type=application/octet-stream`,
		ticket.host,
	]);
	const totalMs = Number(m.stdout.trim().split('\n').pop()) * 1000;
	if (!opts.trace) {
		return { totalMs, m };
	}
	const lines = m.stderr.split('\n');
	const first = lines.map(traceMs).find((t) => t !== undefined);
	const uploaded = lines.filter((l) => l.includes('We are completely uploaded')).map(traceMs)[0];
	const lastByteMs = first !== undefined && uploaded !== undefined ? uploaded - first : undefined;
	return { totalMs, lastByteMs, m };
}

/** curl's upload as the bench times it: a fresh ticket from the bench's (warm) client, timed, then `curlPost`. */
export async function curlWithTicket(
	client: IotClient,
	file: string,
	opts: { trace?: boolean } = {},
): Promise<CurlPost & { ticketMs: number }> {
	const started = process.hrtime.bigint();
	const ticket = await client.generateOtaUploadUrl('bin');
	const ticketMs = Number(process.hrtime.bigint() - started) / 1e6;
	return { ...(await curlPost(ticket, file, opts)), ticketMs };
}
