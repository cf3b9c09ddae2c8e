import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { agentFor, bypassesProxy, proxyFor } from '../../../src/core/proxy';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, startStub } from './stubServer';

const IOT = 'https://iot.cn-shanghai.aliyuncs.com';

void test('no proxy variables → direct connection', () => {
	assert.equal(agentFor(IOT, {}), undefined);
	assert.equal(agentFor(IOT, { HTTPS_PROXY: '  ' }), undefined);
});

void test('HTTPS_PROXY, https_proxy and HTTP_PROXY are honoured in that order for https targets', () => {
	assert.equal(proxyFor(IOT, { HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', HTTP_PROXY: 'http://c:3' }), 'http://a:1/');
	assert.equal(proxyFor(IOT, { https_proxy: 'http://b:2', HTTP_PROXY: 'http://c:3' }), 'http://b:2/');
	assert.equal(proxyFor(IOT, { HTTP_PROXY: 'proxy.corp:3128' }), 'http://proxy.corp:3128/', 'a bare host:port gets http://');
	assert.equal(proxyFor('http://iot.example.com', { HTTPS_PROXY: 'http://a:1' }), undefined, 'http targets only use HTTP_PROXY');
	assert.equal(proxyFor('http://iot.example.com', { http_proxy: 'http://c:3' }), 'http://c:3/');
});

void test('agentFor returns a (reused) HttpsProxyAgent pointing at the proxy', () => {
	const env = { HTTPS_PROXY: 'http://user:pw@proxy.corp:3128' };
	const agent = agentFor(IOT, env) as (ReturnType<typeof agentFor> & { proxy?: URL }) | undefined;
	assert.equal(agent?.constructor.name, 'HttpsProxyAgent');
	assert.equal(agent?.proxy?.host, 'proxy.corp:3128');
	assert.equal(agentFor('https://iotx-ota.oss-cn-shanghai.aliyuncs.com', env), agent);
});

void test('loopback targets are never proxied', () => {
	const env = { HTTPS_PROXY: 'http://a:1', HTTP_PROXY: 'http://a:1' };
	for (const url of ['http://127.0.0.1:8080', 'https://localhost', 'http://[::1]:9', 'http://127.5.6.7']) {
		assert.equal(agentFor(url, env), undefined, url);
	}
});

void test('NO_PROXY: *, exact hosts, domain suffixes, ports, lower-case variable', () => {
	const env = (noProxy: string) => ({ HTTPS_PROXY: 'http://a:1', NO_PROXY: noProxy });
	assert.equal(proxyFor(IOT, env('*')), undefined);
	assert.equal(proxyFor(IOT, env('example.com, aliyuncs.com')), undefined);
	assert.equal(proxyFor(IOT, env('.aliyuncs.com')), undefined);
	assert.equal(proxyFor(IOT, env('*.aliyuncs.com')), undefined);
	assert.equal(proxyFor(IOT, env('iot.cn-shanghai.aliyuncs.com:443')), undefined);
	assert.equal(proxyFor(IOT, env('iot.cn-shanghai.aliyuncs.com:8443')), 'http://a:1/');
	assert.equal(proxyFor(IOT, env('cs.com')), 'http://a:1/', 'suffix match is per domain label, not per character');
	assert.equal(proxyFor(IOT, { HTTPS_PROXY: 'http://a:1', no_proxy: 'aliyuncs.com' }), undefined);
	assert.equal(bypassesProxy('10.1.2.3', '443', '10.1.2.3'), true);
	assert.equal(bypassesProxy('10.1.2.30', '443', '10.1.2.3'), false);
});

void test('an unusable proxy URL is a clear validation error that does not echo it', () => {
	assert.throws(
		() => agentFor(IOT, { HTTPS_PROXY: 'socks5://user:secretpw@host:1' }),
		(e: unknown) => (e as { code: string }).code === 'InvalidProxy' && !(e as Error).message.includes('secretpw'),
	);
});

void test('IotClient really sends its calls through the proxy (CONNECT tunnel)', async (t) => {
	const stub = await startStub(() => okBody());
	t.after(() => stub.close());
	const tunnels: string[] = [];
	const proxy = createServer();
	proxy.on('connect', (req, clientSocket, head) => {
		tunnels.push(req.url ?? '');
		// Whatever host was asked for, tunnel to the stub: the test host name does not resolve.
		const upstream = connect(Number(new URL(stub.url).port), '127.0.0.1', () => {
			clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(clientSocket).pipe(upstream);
		});
		upstream.on('error', () => clientSocket.destroy());
		clientSocket.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	t.after(
		() =>
			new Promise<void>((resolve) => {
				proxy.closeAllConnections();
				proxy.close(() => resolve());
			}),
	);
	const client = new IotClient({
		region: 'cn-shanghai',
		endpoint: 'http://iot.proxied.test:8080',
		allowInsecure: true,
		credentials: { accessKeyId: 'LTAIproxy', accessKeySecret: 'testsecret' },
		limiter: new RateLimiter({ perSecond: 1000 }),
		env: { HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` },
	});
	await client.deleteOtaFirmware('F1');
	assert.deepEqual(tunnels, ['iot.proxied.test:8080']);
	assert.equal(stub.requests.at(-1)?.params.Action, 'DeleteOTAFirmware');
});
