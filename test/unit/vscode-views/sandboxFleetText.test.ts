// The sandbox refuses iotOta.sandbox.behaviours with a code and values; the extension words them (zh-cn through
// vscode.l10n) and in English says exactly what the sandbox says to the CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareProblem, shareProblemText, type BehaviourShare, type ShareProblem } from '../../../src/sandbox/ota/behaviours';
import { shareProblemText as wordedShareProblem } from '../../../src/vscode/sandboxFleet';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';

const share = (behaviour: string, percent: number) => ({ behaviour, percent }) as BehaviourShare;

const CASES: Array<[ShareProblem['code'], BehaviourShare[]]> = [
	['unknown-behaviour', [share('explode', 5)]],
	['share-range', [share('fail-flash', 101)]],
	['share-range', [share('offline', Number.NaN)]],
	['shares-total', [share('fail-flash', 60), share('slow', 40.5)]],
];

void test('each refusal has its code, and in English the extension words it exactly as the sandbox does', () => {
	for (const [code, shares] of CASES) {
		const problem = shareProblem(shares);
		assert.equal(problem?.code, code, JSON.stringify(shares));
		assert.equal(wordedShareProblem(problem, plainL10n), shareProblemText(problem));
	}
	assert.equal(shareProblem([share('fail-flash', 60), share('slow', 40)]), undefined, 'exactly 100 % is allowed');
	assert.equal(shareProblem([]), undefined);
});

void test('the words come from the translator, the behaviour names and numbers are values', () => {
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	const problem = shareProblem([share('explode', 5)]);
	assert.ok(problem);
	assert.match(wordedShareProblem(problem, upper), /^UNKNOWN BEHAVIOUR "explode": USE ONE OF ok, offline, slow/);
});
