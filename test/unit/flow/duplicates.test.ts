// Finding a package with the same content (core/flow/duplicates.ts) and reusing it at registration
// (core/flow/register.ts), against a scripted client: what is compared, which calls are made, how many.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cancelledError, OtaError } from '../../../src/core/errors';
import { findSameContent, sameContentAmong, type DuplicateClient } from '../../../src/core/flow/duplicates';
import { registerFirmware, type RegisterClient } from '../../../src/core/flow/register';
import type { Logger } from '../../../src/core/logger';
import type { CreateFirmwareRequest, FirmwareInfo } from '../../../src/core/types';

const MD5 = 'a'.repeat(32);
const SHA = 'b'.repeat(64);
const digests = { md5: MD5, sha256: SHA, size: 1000 };
const OSS = 'https://bucket.oss-cn-shanghai.aliyuncs.com/ota/firmware';

function pkg(id: string, fields: Partial<FirmwareInfo> = {}): FirmwareInfo {
	return {
		firmwareId: id,
		firmwareName: `name-${id}`,
		destVersion: '1.0.0',
		productKey: 'pkA',
		moduleName: 'default',
		type: 0,
		firmwareSign: MD5,
		signMethod: 'MD5',
		firmwareSize: 1000,
		firmwareUrl: `${OSS}/${id}.bin`,
		...fields,
	};
}

/** A client listing `items` (pages of `pageSize`) and answering QueryOTAFirmware from `details`; it records each call. */
function scripted(items: FirmwareInfo[], details: Record<string, Partial<FirmwareInfo>> = {}, pageSize = 100) {
	const calls: string[] = [];
	const client: DuplicateClient = {
		async listOtaFirmware(q) {
			calls.push(`list ${JSON.stringify(q)}`);
			const page = q.currentPage ?? 1;
			const slice = items.slice((page - 1) * pageSize, page * pageSize);
			return { total: items.length, pageSize, pageCount: Math.ceil(items.length / pageSize), currentPage: page, items: slice };
		},
		async queryOtaFirmware(id) {
			calls.push(`query ${id}`);
			return { ...pkg(id), ...details[id] };
		},
	};
	return { client, calls };
}

void describe('findSameContent', () => {
	void test('one ListOTAFirmware by DestVersion (no product filter); the sign decides, by the method the package was signed with', async () => {
		const { client, calls } = scripted([
			pkg('md5-match'),
			pkg('sha-match', { signMethod: 'SHA256', firmwareSign: SHA.toUpperCase() }),
			pkg('other-content', { firmwareSign: 'c'.repeat(32) }),
			pkg('other-size', { firmwareSize: 999 }),
		]);
		const found = await findSameContent(client, '1.0.0', digests, undefined);
		assert.deepEqual(
			found.map((p) => [p.firmwareId, p.signMethod]),
			[
				['md5-match', 'MD5'],
				['sha-match', 'SHA256'],
			],
		);
		assert.deepEqual(calls, ['list {"currentPage":1,"pageSize":100,"destVersion":"1.0.0"}']);
	});

	void test("`wanted` narrows to the same product, module, type and (for a delta) source version; without it, any product's full package of the default module", async () => {
		const { client } = scripted([
			pkg('right'),
			pkg('other-product', { productKey: 'pkB' }),
			pkg('other-module', { moduleName: 'wifi' }),
			pkg('delta', { type: 1, srcVersion: '0.9.0' }),
		]);
		const ids = async (wanted: Parameters<typeof findSameContent>[3]) =>
			(await findSameContent(client, '1.0.0', digests, wanted)).map((p) => p.firmwareId);
		assert.deepEqual(await ids({ productKey: 'pkA' }), ['right']);
		assert.deepEqual(await ids({ productKey: 'pkA', moduleName: 'wifi' }), ['other-module']);
		assert.deepEqual(await ids({ productKey: 'pkA', type: 1, srcVersion: '0.9.0' }), ['delta']);
		assert.deepEqual(await ids({ productKey: 'pkA', type: 1, srcVersion: '0.8.0' }), []);
		assert.deepEqual(await ids(undefined), ['right', 'other-product']);
		assert.deepEqual(await ids({}), ['right', 'other-product']);
	});

	void test('an item without a sign or URL is completed with QueryOTAFirmware (its signed URL loses the query), at most 10 times', async () => {
		const unsigned = Array.from({ length: 12 }, (_, i) =>
			pkg(`u${i}`, { firmwareSign: undefined, signMethod: undefined, firmwareUrl: undefined }),
		);
		const { client, calls } = scripted(unsigned, { u0: { firmwareUrl: `${OSS}/u0.bin?Expires=1&Signature=x` } });
		const found = await findSameContent(client, '1.0.0', digests, undefined);
		assert.equal(calls.filter((c) => c.startsWith('query')).length, 10);
		assert.equal(found.length, 10);
		assert.equal(found[0].firmwareUrl, `${OSS}/u0.bin`);
	});

	void test('pages until a short page or the total, at most five (the 500 packages an instance may hold)', async () => {
		const many = Array.from({ length: 700 }, (_, i) => pkg(`p${i}`, { firmwareSign: 'c'.repeat(32) }));
		const { client, calls } = scripted([...many.slice(0, 250), pkg('late'), ...many.slice(250)]);
		const found = await findSameContent(client, '1.0.0', digests, undefined);
		assert.deepEqual(
			found.map((p) => p.firmwareId),
			['late'],
		);
		assert.equal(calls.length, 5);
		const few = scripted([pkg('x')]);
		await findSameContent(few.client, '1.0.0', digests, undefined);
		assert.equal(few.calls.length, 1);
		const onePage = scripted(many.slice(0, 100));
		await findSameContent(onePage.client, '1.0.0', digests, undefined);
		assert.equal(onePage.calls.length, 1, 'a full page that reaches the total is the last');
	});

	void test('a failed lookup finds nothing and says so; a cancel is not swallowed', async () => {
		const warnings: string[] = [];
		const logger = { warn: (m: string) => warnings.push(m) } as unknown as Logger;
		const failing: DuplicateClient = {
			listOtaFirmware: async () => {
				throw new OtaError({ code: 'Throttling.User', source: 'api', message: 'Request was denied due to user flow control.' });
			},
			queryOtaFirmware: async () => assert.fail('no query'),
		};
		assert.deepEqual(await findSameContent(failing, '1.0.0', digests, undefined, { logger }), []);
		assert.match(warnings[0], /^Looking for a package with the same content failed \(continuing without\): Request was denied/);
		const controller = new AbortController();
		controller.abort();
		const cancelled: DuplicateClient = {
			listOtaFirmware: async () => {
				throw cancelledError('the lookup');
			},
			queryOtaFirmware: async () => assert.fail('no query'),
		};
		await assert.rejects(
			findSameContent(cancelled, '1.0.0', digests, undefined, { signal: controller.signal }),
			(e: unknown) => e instanceof OtaError && e.source === 'cancelled',
		);
	});

	void test('sameContentAmong compares only the digests it has', async () => {
		const { client } = scripted([]);
		assert.deepEqual(
			await sameContentAmong(client, [pkg('m')], { sha256: SHA }, { destVersion: '1.0.0' }),
			[],
			'an MD5 package, and no MD5 here',
		);
	});
});

void describe('what a package of the same content must also be', () => {
	void test('of the DestVersion asked for: the list filter is not taken on trust (either shell)', async () => {
		const { client } = scripted([pkg('near', { destVersion: '1.0.0-rc1' }), pkg('exact')]);
		const found = await findSameContent(client, '1.0.0', digests, { productKey: 'pkA' });
		assert.deepEqual(
			found.map((p) => p.firmwareId),
			['exact'],
		);
		const { client: lookup } = registrarClient([pkg('near', { destVersion: '1.0.1' })]);
		const registration = await registerFirmware(
			lookup,
			{ ...registerRequest, firmwareUrl: `${OSS}/other.bin` },
			{
				sameContent: { digests, reuse: async () => true },
			},
		);
		assert.equal(registration.firmwareId, 'created', 'a package of another version is not reused at registration either');
	});

	void test('with a FirmwareUrl this program may write: a hostile one is never taken, an http:// one only where the endpoint may use http', async () => {
		const hostile = pkg('hostile', { firmwareUrl: 'javascript:alert(1)//\n\u202eX' });
		const quoted = pkg('quoted', { firmwareUrl: `${OSS}/q.bin"\nOTHER="x` });
		const plain = pkg('plain', { firmwareUrl: 'http://oss.private.example/ota/plain.bin' });
		const { client } = scripted([hostile, quoted, plain]);
		const ids = async (trust: DuplicateClient['endpointTrust']) =>
			(await findSameContent({ ...client, endpointTrust: trust }, '1.0.0', digests, undefined)).map((p) => p.firmwareId);
		assert.deepEqual(await ids({ endpoint: 'https://iot.private.example', allowInsecure: false }), []);
		assert.deepEqual(await ids({ endpoint: 'http://iot.private.example', allowInsecure: true }), ['plain']);
		const { client: lookup } = registrarClient([hostile]);
		const registration = await registerFirmware(lookup, registerRequest, { sameContent: { digests, reuse: async () => true } });
		assert.equal(registration.firmwareId, 'created');
	});
});

const registerRequest: CreateFirmwareRequest = {
	firmwareUrl: `${OSS}/new.bin`,
	firmwareName: 'fresh',
	destVersion: '1.0.0',
	productKey: 'pkA',
	firmwareSign: MD5,
	signMethod: 'MD5',
	firmwareSize: 1000,
};

function registrarClient(items: FirmwareInfo[]) {
	const { client: lookup, calls } = scripted(items);
	const client: RegisterClient = {
		...lookup,
		async createOtaFirmware() {
			calls.push('create');
			return { firmwareId: 'created' };
		},
		async deleteOtaFirmware() {
			calls.push('delete');
		},
	};
	return { client, calls };
}

void describe('registerFirmware with a package of the same content', () => {
	const request = registerRequest;
	const registrar = registrarClient;

	void test('taken when `reuse` says so (never deleted on cancel: adopted); registered anew when it declines or is not asked', async () => {
		const { client, calls } = registrar([pkg('same'), pkg('other-product', { productKey: 'pkB' })]);
		const asked: string[] = [];
		const reuse = async (existing: { firmwareId: string }) => (asked.push(existing.firmwareId), true);
		const reused = await registerFirmware(client, request, { sameContent: { digests, reuse } });
		assert.deepEqual(asked, ['same']);
		assert.equal(reused.firmwareId, 'same');
		assert.equal(reused.adopted, true);
		assert.equal(reused.reused?.firmwareUrl, `${OSS}/same.bin`);
		assert.ok(!calls.includes('create'));

		const declined = await registerFirmware(client, request, { sameContent: { digests, reuse: async () => false } });
		assert.equal(declined.firmwareId, 'created');
		assert.equal(declined.reused, undefined);
		calls.length = 0;
		assert.equal((await registerFirmware(client, request)).firmwareId, 'created', 'without sameContent (--force-new)');
		assert.deepEqual(calls, ['list {"currentPage":1,"pageSize":100,"productKey":"pkA","destVersion":"1.0.0"}', 'create']);
	});

	void test('the same FirmwareUrl is adopted before any content comparison', async () => {
		const { client } = registrar([pkg('same'), pkg('new')]);
		const registration = await registerFirmware(client, request, {
			sameContent: { digests, reuse: async () => assert.fail('not asked') },
		});
		assert.deepEqual({ id: registration.firmwareId, reused: registration.reused }, { id: 'new', reused: undefined });
	});

	void test('declining by cancelling stops the registration', async () => {
		const { client, calls } = registrar([pkg('same')]);
		await assert.rejects(
			registerFirmware(client, request, {
				sameContent: {
					digests,
					reuse: async () => {
						throw cancelledError('the choice');
					},
				},
			}),
			(e: unknown) => e instanceof OtaError && e.source === 'cancelled',
		);
		assert.ok(!calls.includes('create'));
	});
});
