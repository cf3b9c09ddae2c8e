import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { checkFirmwareUrl, firmwareUrlProblem } from '../../../src/core/firmwareUrl';
import { prepareFlow, runFlow, type FlowClient } from '../../../src/core/flow';
import { validateCreateFirmware } from '../../../src/core/limits';
import { checkUploadHost, type EndpointTrust } from '../../../src/core/uploadHost';
import type { CreateFirmwareRequest, FirmwareInfo } from '../../../src/core/types';
import { patternBytes, scratchDir, startServer, ticketFor } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

void describe('FirmwareUrl rule (core/firmwareUrl.ts)', () => {
	const accepted = [
		'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/DEF.bin',
		'https://b.oss-cn-shanghai.aliyuncs.com/ota/fw.bin?Expires=1&OSSAccessKeyId=LTAI5t&Signature=a%2Bb%3D',
		'https://h.example:8443/ota/fw.bin#part',
		'http://127.0.0.1:41234/ota/4087351b41a056f3/ef.tar.gz',
		'http://localhost:9000/ota/x.bin',
		'http://[::1]:9000/ota/x.bin',
	];
	for (const url of accepted) {
		void test(`accepts ${url}`, () => assert.equal(checkFirmwareUrl(url), url));
	}

	const refused: Array<[string, string]> = [
		['javascript:alert(1)', 'it uses the "javascript:" scheme'],
		['file:///etc/passwd', 'it uses the "file:" scheme'],
		['ota/firmware/x.bin', 'it does not start with https://'],
		['https://h.example/fw.bin\nFIRMWARE_URL=evil', 'it contains a line break or another control character'],
		['https://h.example/fw.bin\r', 'it contains a line break or another control character'],
		['https://h.example/\u001b]0;title\u0007', 'it contains a line break or another control character'],
		['https://h.example/\u2028x', 'it contains a line break or another control character'],
		['https://h.example/a b', 'it contains a space'],
		['https://h.example/"fw.bin', 'it contains a quote'],
		["https://h.example/it's.bin", 'it contains a quote'],
		['https://h.example/`id`', 'it contains a quote'],
		['https://h.example/a\\b', 'it contains "\\", which a URL must percent-encode'],
		['https://h.example/{a}', 'it contains "{", which a URL must percent-encode'],
		['https://h.example/\u202e.bin', 'it contains U+202E, which a URL must percent-encode'],
		['https://h.example/ü.bin', 'it contains U+00FC, which a URL must percent-encode'],
		['https://h.example/100%.bin', 'it has a "%" that is not followed by two hex digits'],
		['https://user:secret@h.example/fw.bin', 'it carries a user name or password'],
		['https://evil@h.example/fw.bin', 'it carries a user name or password'],
		['https:h.example/fw.bin', 'it does not start with https:// and a host name'],
		['https:///h.example/fw.bin', 'it does not start with https:// and a host name'],
		['', 'it is empty'],
	];
	for (const [url, problem] of refused) {
		void test(`refuses ${JSON.stringify(url)}: ${problem}`, () => {
			assert.equal(firmwareUrlProblem(url), problem);
			assert.throws(
				() => checkFirmwareUrl(url),
				(error: unknown) =>
					error instanceof OtaError &&
					error.code === 'UnsafeFirmwareUrl' &&
					error.message ===
						`Refused the FirmwareUrl: it must be a plain https:// URL, but ${problem}. It was not used or written anywhere.`,
			);
		});
	}

	const LOCAL: EndpointTrust = { endpoint: 'http://127.0.0.1:40000', allowInsecure: false };
	const PRIVATE: EndpointTrust = { endpoint: 'https://iot.private.example', allowInsecure: false };
	const INSECURE: EndpointTrust = { endpoint: 'http://iot.private.example', allowInsecure: true };
	const plainHttp: Array<[string, EndpointTrust, boolean]> = [
		['http://127.0.0.1:41234/ota/x.bin', LOCAL, true],
		['http://localhost:9000/ota/x.bin', LOCAL, true],
		['http://sandbox.localhost:9000/ota/x.bin', LOCAL, true],
		['http://[::1]:9000/ota/x.bin', LOCAL, true],
		['http://h.example/fw.bin', LOCAL, false],
		['http://127.0.0.1.evil.example/fw.bin', LOCAL, false],
		['http://127.0.0.1:41234/ota/x.bin', PRIVATE, false],
		['http://oss.private.example/ota/x.bin', PRIVATE, false],
		['http://oss.private.example/ota/x.bin', INSECURE, true],
		['https://oss.private.example/ota/x.bin', PRIVATE, true],
	];
	for (const [url, trust, ok] of plainHttp) {
		void test(`${url} from ${trust.endpoint}${trust.allowInsecure ? ' (insecure allowed)' : ''}: ${ok ? 'accepted' : 'refused'} (the Host's plain-http rule)`, () => {
			assert.equal(
				firmwareUrlProblem(url, trust),
				ok ? undefined : 'it is plain http://, which only the local sandbox may use unless insecure endpoints are allowed',
			);
			const hostAccepted = (): boolean => {
				try {
					return checkUploadHost(new URL(url).origin, trust) instanceof URL;
				} catch {
					return false;
				}
			};
			assert.equal(hostAccepted(), ok, 'the Host rule agrees');
		});
	}

	void test('CreateOTAFirmware validation uses the same rule and does not echo a URL with control characters', () => {
		const request: CreateFirmwareRequest = {
			firmwareName: 'fw',
			destVersion: '1.0.0',
			productKey: 'a1B',
			firmwareUrl: 'https://h.example/fw.bin\u001b[2J',
		};
		assert.throws(
			() => validateCreateFirmware(request),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'InvalidFirmwareUrl' &&
				error.message ===
					'Invalid FirmwareUrl: must be the FirmwareUrl returned by GenerateOTAUploadURL (https://; http:// only from the local sandbox or an endpoint allowed to be insecure).',
		);
		assert.throws(
			() => validateCreateFirmware({ ...request, firmwareUrl: 'javascript:alert(1)' }),
			/Invalid FirmwareUrl "javascript:alert\(1\)"/,
		);
	});
});

void describe('a hostile FirmwareUrl in the upload ticket', () => {
	// (An http:// FirmwareUrl is judged with the endpoint's trust where the ticket arrives: IotClient, core-api/uploadHost.test.ts.)
	const hostile = ['javascript:alert(1)//', 'https://h.example/fw.bin"\nOTHER="x'];
	hostile.forEach((firmwareUrl, index) => {
		void test(`${JSON.stringify(firmwareUrl)} is refused before the upload: nothing sent, registered or written`, async (t) => {
			let ossRequests = 0;
			const oss = await startServer((_req, res) => {
				ossRequests++;
				res.end();
			});
			t.after(() => oss.close());
			const created: CreateFirmwareRequest[] = [];
			const client: FlowClient = {
				generateOtaUploadUrl: async () => ({ ...ticketFor(oss.host), firmwareUrl }),
				createOtaFirmware: async (req) => {
					created.push(req);
					return { firmwareId: 'never' };
				},
				deleteOtaFirmware: async () => undefined,
				listOtaFirmware: async () => ({ total: 0, pageSize: 100, pageCount: 0, currentPage: 1, items: [] }),
				queryOtaFirmware: async () => assert.fail('nothing to query'),
				// The product check before the ticket (QueryProduct): the product exists.
				call: async () => ({ Data: { ProductKey: 'a1B' } }),
			};
			const config = path.join(scratch.dir, `device-${index}.env`);
			writeFileSync(config, 'FIRMWARE_URL=old\n');
			const prepared = await prepareFlow({
				filePath: scratch.file('app.bin', patternBytes(4096)),
				create: { productKey: 'a1B', destVersion: '1.0.0' },
				insert: { file: config, keyPath: 'FIRMWARE_URL' },
			});
			await assert.rejects(
				runFlow(client, prepared),
				(error: unknown) => error instanceof OtaError && error.code === 'UnsafeFirmwareUrl',
			);
			assert.equal(ossRequests, 0, 'the firmware was sent');
			assert.deepEqual(created, [], 'the URL was registered');
			assert.equal(readFileSync(config, 'utf8'), 'FIRMWARE_URL=old\n');
		});
	});
});

void describe('a hostile FirmwareUrl in a ListOTAFirmware answer', () => {
	void test('a package of the same content with a hostile URL is not reused: the file is uploaded, and only its own URL written', async (t) => {
		const posts: number[] = [];
		// The body is read before the answer: an answer that cuts it short makes the uploader retry.
		const oss = await startServer((req, res) => {
			posts.push(1);
			req.resume().on('end', () => {
				res.statusCode = 204;
				res.end();
			});
		});
		t.after(() => oss.close());
		const config = path.join(scratch.dir, 'listed.env');
		writeFileSync(config, 'FIRMWARE_URL=old\n');
		const prepared = await prepareFlow({
			filePath: scratch.file('listed.bin', patternBytes(4096)),
			create: { productKey: 'a1B', destVersion: '1.0.0' },
			insert: { file: config, keyPath: 'FIRMWARE_URL' },
		});
		const hostile: FirmwareInfo = {
			firmwareId: 'evil',
			firmwareName: 'evil',
			destVersion: '1.0.0',
			productKey: 'a1B',
			moduleName: 'default',
			type: 0,
			signMethod: 'MD5',
			firmwareSign: prepared.digests?.md5,
			firmwareSize: prepared.size,
			firmwareUrl: 'javascript:alert(1)//\n\u202eX',
		};
		const ticket = ticketFor(oss.host);
		const client: FlowClient = {
			generateOtaUploadUrl: async () => ticket,
			createOtaFirmware: async () => ({ firmwareId: 'fresh' }),
			deleteOtaFirmware: async () => undefined,
			listOtaFirmware: async () => ({ total: 1, pageSize: 100, pageCount: 1, currentPage: 1, items: [hostile] }),
			queryOtaFirmware: async () => hostile,
			call: async (action) => assert.fail(`${action}: the listed package of a1B proves the product`),
		};
		const result = await runFlow(client, prepared);
		assert.equal(result.created?.firmwareId, 'fresh');
		assert.equal(result.created?.reused, undefined);
		assert.equal(posts.length, 1, 'uploaded');
		assert.equal(readFileSync(config, 'utf8'), `FIRMWARE_URL=${ticket.firmwareUrl}\n`);
	});
});
