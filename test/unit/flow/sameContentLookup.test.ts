// Whether an upload looks for a package of the same content, and for which (core/flow/sameContentLookup.ts), and what
// its plan (planUpload) makes of the answer: taken unasked when registering, offered when the shell asks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { planUpload, prepareFlow, sameContentLookup, type DuplicateClient } from '../../../src/core/flow';
import { checkFirmware, prepareUpload } from '../../../src/core/flow/preflight';
import type { RpcCaller } from '../../../src/core/lifecycle/client';
import type { FirmwareInfo } from '../../../src/core/types';
import { espImage, FixtureDir, pattern } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const image = espImage({ app: { version: '2.4.0' } });
const versioned = dir.write('app.bin', image);
const plain = dir.write('data.bin', pattern(4096));
const unspellable = dir.write('odd.bin', espImage({ app: { version: '2.4 beta' } }));

const uploadOf = async (file: string) => prepareUpload(await checkFirmware(file, { digests: false }), 'bin');
const OFFERS = { offers: true };
const UNATTENDED = { offers: false };

/**
 * A client listing `items` for every ListOTAFirmware and recording each call; QueryOTAFirmware fails the test, and so
 * does any other call unless `products` are given (QueryProduct answers for those, refuses the others).
 */
function listing(items: FirmwareInfo[], products?: readonly string[]) {
	const calls: string[] = [];
	const client: DuplicateClient & RpcCaller = {
		async call(action, params) {
			calls.push(`${action} ${String(params.ProductKey)}`);
			assert.ok(products && action === 'QueryProduct', `${action}: no call expected`);
			return products.includes(String(params.ProductKey))
				? { Data: { ProductKey: params.ProductKey } }
				: Promise.reject(
						new OtaError({
							code: 'iot.prod.NotExistedProduct',
							source: 'api',
							message: 'QueryProduct failed: no such product.',
						}),
					);
		},
		async listOtaFirmware(q) {
			calls.push(`list ${JSON.stringify(q)}`);
			return { total: items.length, pageSize: 100, pageCount: 1, currentPage: 1, items };
		},
		queryOtaFirmware: (id) => assert.fail(`QueryOTAFirmware ${id}: every item carries its sign and URL`),
	};
	return { client, calls };
}

const registered = (productKey: string, id: string): FirmwareInfo => ({
	firmwareId: id,
	firmwareName: `app-${id}`,
	destVersion: '2.4.0',
	productKey,
	productName: `Product ${productKey}`,
	moduleName: 'default',
	type: 0,
	signMethod: 'MD5',
	firmwareSign: createHash('md5').update(image).digest('hex'),
	firmwareSize: image.length,
	firmwareUrl: `https://bucket.oss-cn-shanghai.aliyuncs.com/ota/${id}.bin`,
});

void describe('sameContentLookup', () => {
	void test('registering: the package it would register, taken unasked, whatever the shell; --force-new: no lookup', async () => {
		const create = { productKey: 'pkA', destVersion: '2.4.0' };
		const prepared = await prepareFlow({ filePath: plain, suffix: 'bin', create });
		for (const shell of [OFFERS, UNATTENDED]) {
			const lookup = sameContentLookup(prepared, shell);
			assert.equal(lookup?.match, 'reuse');
			assert.equal(lookup.destVersion, '2.4.0');
			assert.equal(lookup.wanted?.productKey, 'pkA');
		}
		const forced = await prepareFlow({ filePath: versioned, suffix: 'bin', create: { ...create, forceNew: true } });
		assert.equal(sameContentLookup(forced, OFFERS), undefined);
	});

	void test('uploading only: a shell that asks looks for the version the image declares, any product; one that cannot ask does not', async () => {
		const prepared = await uploadOf(versioned);
		assert.deepEqual(sameContentLookup(prepared, OFFERS), { destVersion: '2.4.0', match: 'offer' });
		assert.equal(sameContentLookup(prepared, UNATTENDED), undefined, 'the CLI without --create uploads');
	});

	void test('uploading only: no lookup when the image declares no version, or one DestVersion cannot spell', async () => {
		assert.equal(sameContentLookup(await uploadOf(plain), OFFERS), undefined);
		const odd = await uploadOf(unspellable);
		assert.equal(odd.image.declared?.version, '2.4 beta');
		assert.equal(sameContentLookup(odd, OFFERS), undefined);
	});
});

void describe('planUpload and the same-content lookup', () => {
	void test('a shell that asks: the packages found are offered, and the upload calls stay (Upload Anyway makes them)', async () => {
		const { client, calls } = listing([registered('pkA', 'fw-a'), registered('pkB', 'fw-b')]);
		const plan = await planUpload(client, await uploadOf(versioned), OFFERS);
		assert.deepEqual(calls, ['list {"currentPage":1,"pageSize":100,"destVersion":"2.4.0"}']);
		assert.deepEqual(plan.lookup, { destVersion: '2.4.0', match: 'offer' });
		assert.deepEqual(
			plan.offered?.map((p) => p.firmwareId),
			['fw-a', 'fw-b'],
		);
		assert.equal(plan.reused, undefined);
		assert.deepEqual(
			plan.calls.map((call) => call.action),
			['GenerateOTAUploadURL', 'PostObject'],
		);
	});

	void test("the packages offered in Upload's order: the preferred (last used) product's first, the others as listed", async () => {
		const { client } = listing([registered('pkA', 'fw-a'), registered('pkB', 'fw-b'), registered('pkC', 'fw-c')]);
		const prepared = await uploadOf(versioned);
		const preferred = await planUpload(client, prepared, { ...OFFERS, preferredProductKey: 'pkB' });
		assert.deepEqual(
			preferred.offered?.map((p) => p.firmwareId),
			['fw-b', 'fw-a', 'fw-c'],
		);
		const unknown = await planUpload(client, prepared, { ...OFFERS, preferredProductKey: 'pkZ' });
		assert.deepEqual(
			unknown.offered?.map((p) => p.firmwareId),
			['fw-a', 'fw-b', 'fw-c'],
		);
	});

	void test('a shell that cannot ask, uploading only: nothing is sent, nothing offered', async () => {
		const { client, calls } = listing([registered('pkA', 'fw-a')]);
		const plan = await planUpload(client, await uploadOf(versioned));
		assert.deepEqual(calls, []);
		assert.equal(plan.lookup, undefined);
		assert.equal(plan.offered, undefined);
	});

	void test("registering: the package of its product is reused (another product's is not), so no calls", async () => {
		const { client, calls } = listing([registered('pkB', 'fw-b'), registered('pkA', 'fw-a')]);
		const prepared = await prepareFlow({ filePath: versioned, suffix: 'bin', create: { productKey: 'pkA' } });
		const plan = await planUpload(client, prepared, OFFERS);
		assert.equal(calls.length, 1);
		assert.equal(plan.reused?.firmwareId, 'fw-a');
		assert.equal(plan.offered, undefined);
		assert.deepEqual(plan.calls, []);
	});

	void test('registering, nothing to reuse: a listed package of the product proves it (no call); else QueryProduct checks it', async () => {
		const other = { ...registered('pkA', 'fw-old'), firmwareSign: '0'.repeat(32) };
		const proven = listing([other]);
		const prepared = await prepareFlow({ filePath: versioned, suffix: 'bin', create: { productKey: 'pkA' } });
		const plan = await planUpload(proven.client, prepared, UNATTENDED);
		assert.deepEqual(proven.calls, ['list {"currentPage":1,"pageSize":100,"destVersion":"2.4.0"}']);
		assert.deepEqual(
			plan.calls.map((call) => call.action),
			['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
		const checked = listing([registered('pkB', 'fw-b')], ['pkA']);
		await planUpload(checked.client, prepared, UNATTENDED);
		assert.deepEqual(checked.calls.slice(1), ['QueryProduct pkA']);
		const refused = listing([], ['pkB']);
		await assert.rejects(planUpload(refused.client, prepared, UNATTENDED), (error: unknown) => {
			assert.ok(error instanceof OtaError);
			assert.deepEqual([error.code, error.source], ['iot.prod.NotExistedProduct', 'validation']);
			assert.match(error.message, /Nothing was uploaded\.$/);
			return true;
		});
	});
});
