// The API client's answer bounds hold whatever agent connects the request: VS Code's proxy support (http.proxySupport
// "override") puts its own agent in place of ours, as this test's patch of http.request does, and the answer's size
// and encoding are still watched (docs/protocols.md §14.2). No timing is asserted: only codes, counts, closed sockets.
import assert from 'node:assert/strict';
import http from 'node:http';
import { afterEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { IotClient } from '../../../src/core/iotClient';
import { startHostileServer, type HostileMode, type HostileServer } from '../../support/hostileServer';
import { withDeadline } from '../../support/reliability';

void describe('API answer bounds when another agent connects the request', () => {
	const servers: HostileServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((s) => s.close()));
	});

	/** Every http.request gets a fresh agent of its own instead of the caller's, as VS Code's patch gives it. */
	function replaceAgents(t: { mock: { method: typeof import('node:test').mock.method } }): http.Agent[] {
		const agents: http.Agent[] = [];
		const request = http.request;
		t.mock.method(http, 'request', (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => {
			const agent = new http.Agent();
			agents.push(agent);
			return request({ ...options, agent }, callback);
		});
		return agents;
	}

	async function refusal(mode: HostileMode, t: Parameters<typeof replaceAgents>[0]): Promise<{ code: string; server: HostileServer }> {
		const server = await startHostileServer(mode);
		servers.push(server);
		const agents = replaceAgents(t);
		const client = new IotClient({
			region: 'cn-shanghai',
			endpoint: server.url,
			credentials: { accessKeyId: 'LTAIhostile', accessKeySecret: 'hostile-secret' },
			timeoutMs: 10_000,
			env: {},
		});
		const error = await withDeadline(
			client.queryOtaFirmware('F1').then(
				() => assert.fail('succeeded against a hostile server'),
				(e: unknown) => e,
			),
			60_000,
			`QueryOTAFirmware against "${mode}"`,
		);
		assert.ok(error instanceof OtaError, String(error));
		assert.equal(agents.length, 1, 'the request went through the agent put in place of ours');
		return { code: error.code, server };
	}

	void test('an endless answer → ResponseTooLarge, asked once, its connection closed', async (t) => {
		const { code, server } = await refusal('endless', t);
		assert.equal(code, 'ResponseTooLarge');
		assert.equal(server.requests.length, 1);
		await withDeadline(server.closed(1), 10_000, 'the connection closed');
		assert.ok(server.sent[0] < 64 * 1024 * 1024, `the client kept reading: ${server.sent[0]} bytes sent`);
	});

	void test('a gzip-encoded answer → UnexpectedContentEncoding, not inflated', async (t) => {
		const { code } = await refusal('gzipBomb', t);
		assert.equal(code, 'UnexpectedContentEncoding');
	});
});
