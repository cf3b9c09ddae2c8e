// Behaviour shares of the fleet: parsing of --behaviour NAME=PCT, exact counts, and an even spread.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	assignBehaviours,
	checkShares,
	parseBehaviourShare,
	shareProblem,
	type BehaviourShare,
} from '../../../../src/sandbox/ota/behaviours';
import { BEHAVIOURS } from '../../../../src/sandbox/ota/model';

void describe('fleet behaviour shares', () => {
	void test('NAME=PCT parses with or without %, decimals allowed; other forms and names are refused', () => {
		assert.deepEqual(parseBehaviourShare('fail-flash=5%'), { behaviour: 'fail-flash', percent: 5 });
		assert.deepEqual(parseBehaviourShare('offline=2'), { behaviour: 'offline', percent: 2 });
		assert.deepEqual(parseBehaviourShare(' slow=0.5% '), { behaviour: 'slow', percent: 0.5 });
		for (const bad of ['explode=5%', 'fail-flash', 'fail-flash=', 'fail-flash=-1', 'fail-flash=5%%', '=5']) {
			assert.throws(() => parseBehaviourShare(bad), /use NAME=PCT with NAME one of ok, offline, slow/, bad);
		}
		assert.throws(() => checkShares([parseBehaviourShare('fail=60'), parseBehaviourShare('slow=41')]), /add up to 101%/);
		assert.throws(() => checkShares([{ behaviour: 'fail', percent: 101 }]), /from 0 to 100/);
	});

	void test('a refused list of shares says why as a code and the values of its message', () => {
		const share = (behaviour: string, percent: number) => ({ behaviour, percent }) as BehaviourShare;
		assert.deepEqual(shareProblem([share('explode', 5)]), {
			code: 'unknown-behaviour',
			behaviour: 'explode',
			known: BEHAVIOURS.join(', '),
		});
		assert.deepEqual(shareProblem([share('slow', -1)]), { code: 'share-range', behaviour: 'slow' });
		assert.deepEqual(shareProblem([share('fail', 60), share('slow', 41)]), { code: 'shares-total', total: 101 });
		assert.equal(shareProblem([share('fail', 60), share('slow', 40)]), undefined);
	});

	void test('each share gets exactly round(N·p/100) devices, spread over the whole fleet', () => {
		const fleet = assignBehaviours(1000, [parseBehaviourShare('fail-flash=5%'), parseBehaviourShare('offline=2%')]);
		const count = (list: readonly string[], b: string): number => list.filter((x) => x === b).length;
		assert.equal(count(fleet, 'fail-flash'), 50);
		assert.equal(count(fleet, 'offline'), 20);
		assert.equal(count(fleet, 'ok'), 930);
		for (let block = 0; block < 10; block++) {
			const slice = fleet.slice(block * 100, (block + 1) * 100);
			assert.ok(Math.abs(count(slice, 'fail-flash') - 5) <= 2, `devices ${block * 100 + 1}–${block * 100 + 100}`);
		}
		assert.equal(fleet[0], 'ok', 'the first device is not the first one to misbehave');
		assert.deepEqual(assignBehaviours(3, [{ behaviour: 'fail', percent: 100 }]), ['fail', 'fail', 'fail']);
	});
});
