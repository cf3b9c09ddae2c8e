// A transient TLS failure (core/tlsFailure.ts, docs/protocols.md §12.1) costs the upload one attempt, not the upload: the
// next attempt asks for a fresh ticket and sends the whole file again, read from its start.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uploadFirmware } from '../../../src/core/uploader';
import { damagingMiddlebox, httpsServer, type LocalServer } from '../../support/tlsServers';
import { digestsOf, FakeTickets, patternBytes, receivePost, type ReceivedPost, scratchDir } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

void describe('a middlebox that damages the first handshake only', () => {
	let upstream: LocalServer;
	let middlebox: LocalServer;
	const posts: ReceivedPost[] = [];
	before(async () => {
		upstream = await httpsServer({}, (req, res) => {
			void receivePost(req).then((post) => {
				posts.push(post);
				res.writeHead(200, { 'x-oss-request-id': `RID-TLS-${posts.length}` });
				res.end();
			});
		});
		middlebox = await damagingMiddlebox(upstream, 1);
	});
	after(async () => {
		await middlebox.close();
		await upstream.close();
	});

	void test('the upload succeeds on its second attempt: a fresh ticket, the whole file read again from its start', async (t) => {
		// The stand-in OSS has a self-signed certificate: trusted for this test only (read by Node at each connect).
		const trust = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
		process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
		t.after(() =>
			trust === undefined ? delete process.env.NODE_TLS_REJECT_UNAUTHORIZED : (process.env.NODE_TLS_REJECT_UNAUTHORIZED = trust),
		);
		const bytes = patternBytes(3 * 1024 * 1024 + 12_345, 9);
		const tickets = new FakeTickets(`https://${middlebox.host}`);
		const result = await uploadFirmware(tickets, scratch.file('retried.bin', bytes), {
			maxAttempts: 3,
			retry: { baseDelayMs: 1, maxDelayMs: 5 },
		});
		assert.equal(result.attempts, 2);
		assert.equal(tickets.issued.length, 2);
		assert.equal(result.key, tickets.issued[1].key);
		assert.equal(middlebox.connections, 2);
		assert.equal(posts.length, 1);
		assert.equal(posts[0].fields.key, tickets.issued[1].key);
		assert.deepEqual(digestsOf(posts[0].file?.bytes ?? Buffer.alloc(0)), digestsOf(bytes));
		assert.equal(result.md5, digestsOf(bytes).md5);
		assert.equal(result.requestId, 'RID-TLS-1');
	});
});
