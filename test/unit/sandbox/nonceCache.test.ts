// The gateway's nonce cache: a nonce is refused again for 15 minutes per AccessKeyId (docs/protocols.md §8), and
// expired nonces leave the cache as time goes on, however many are live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonceCache } from '../../../src/sandbox/rpcGateway';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

void test('a nonce is refused within 15 minutes of its use, per AccessKeyId, and accepted again after', () => {
	const nonces = new NonceCache();
	assert.equal(nonces.use('key-a', 'n1', T0), true);
	assert.equal(nonces.use('key-a', 'n1', T0 + 15 * MINUTE - 1), false);
	assert.equal(nonces.use('key-b', 'n1', T0 + MINUTE), true, 'another AccessKeyId');
	assert.equal(nonces.use('key-a', 'n1', T0 + 15 * MINUTE), true);
	assert.equal(nonces.use('key-a', 'n1', T0 + 20 * MINUTE), false, 'its window starts again at the new use');
});

void test('expired nonces are dropped, oldest first; a nonce used again after its window counts from its new use', () => {
	const nonces = new NonceCache();
	for (let i = 0; i < 3; i++) {
		nonces.use('key', `early-${i}`, T0);
	}
	nonces.use('key', 'b', T0 + 10 * MINUTE);
	nonces.use('key', 'early-0', T0 + 16 * MINUTE);
	assert.equal(nonces.size, 2, 'early-1 and early-2 expired; b and the reused early-0 are live');
	nonces.use('key', 'c', T0 + 26 * MINUTE);
	assert.equal(nonces.size, 2, 'b expired although early-0 was first used before it');
	assert.equal(nonces.use('key', 'early-0', T0 + 30 * MINUTE), false);
	assert.equal(nonces.use('key', 'b', T0 + 30 * MINUTE), true);
});
