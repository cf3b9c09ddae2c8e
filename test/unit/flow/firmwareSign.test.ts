// FirmwareSign for a registration whose record lacks the digest of the chosen method (core/flow/register.ts): the file is
// hashed again only while it is still the file uploaded, never on the strength of its size alone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { utimesSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { firmwareSignFor } from '../../../src/core/flow/register';
import { FixtureDir, pattern } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const digest = (algorithm: 'md5' | 'sha256', bytes: Buffer): string => createHash(algorithm).update(bytes).digest('hex');

void describe('firmwareSignFor', () => {
	void test('the digest measured during the upload is taken as it is', async () => {
		assert.equal(await firmwareSignFor({ md5: 'a'.repeat(32), size: 1 }, 'MD5', dir.write('x.bin', 'x')), 'a'.repeat(32));
	});

	void test('with the other digest recorded: the file is hashed again and its other digest must match the record', async () => {
		const uploaded = pattern(5000);
		const file = dir.write('app.bin', uploaded);
		const record = { md5: digest('md5', uploaded), size: uploaded.length };
		assert.equal(await firmwareSignFor(record, 'SHA256', file), digest('sha256', uploaded));
		// A rebuild of the same size: another file, whatever its size says.
		writeFileSync(file, pattern(5000, 9));
		assert.equal(await firmwareSignFor(record, 'SHA256', file), undefined);
		assert.equal(await firmwareSignFor({ sha256: digest('sha256', uploaded), size: 5000 }, 'MD5', file), undefined);
	});

	void test('with no digest recorded: hashed again only when not modified since the upload started', async () => {
		const bytes = pattern(3000);
		const file = dir.write('old.bin', bytes);
		const built = new Date(Date.now() - 60_000);
		utimesSync(file, built, built);
		const startedAt = built.getTime() + 1000;
		assert.equal(await firmwareSignFor({ size: 3000, startedAt }, 'MD5', file), digest('md5', bytes));
		writeFileSync(file, pattern(3000, 4)); // rebuilt after the upload, same size
		assert.equal(await firmwareSignFor({ size: 3000, startedAt }, 'MD5', file), undefined);
		assert.equal(await firmwareSignFor({ size: 2999, startedAt: Date.now() }, 'MD5', file), undefined, 'another size');
	});
});
