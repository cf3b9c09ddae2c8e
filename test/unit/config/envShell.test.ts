// .env files are read by shells (`. ./.env`) and by dotenv parsers: whatever the engine writes must read back
// as exactly the value in all of them, and sourcing it must never run or expand anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { applyTextEdits, computeInsertEdits } from '../../../src/core/configInsert';
import { OtaError } from '../../../src/core/errors';
import { RUNS } from './fuzzSupport';
import { envUnwritable, SHELLS, sourceInShells } from './readers';

const READERS = `${SHELLS.join(', ')} and dotenv (classic and fast parser)`;

/** Inserts `value` at `key`; undefined when the engine refused it (asserting the refusal is the documented kind). */
function tryInsert(text: string, key: string, value: string): string | undefined {
	try {
		return applyTextEdits(text, computeInsertEdits(text, 'env', key, value));
	} catch (error) {
		assert.ok(error instanceof OtaError && error.code === 'UnsupportedValue', String(error));
		return undefined;
	}
}

/** Asserts every reader sees `expected` (key → value) in `text`. */
function assertReadersAgree(text: string, expected: ReadonlyMap<string, string>): void {
	const keys = [...expected.keys()];
	const want = keys.map((k) => expected.get(k));
	for (const [shell, values] of sourceInShells(text, keys)) {
		assert.deepEqual(values, want, `${shell} read something else from:\n${text}`);
	}
	for (const fast of [false, true]) {
		const parsed = dotenv.parse(text, { fast });
		assert.deepEqual(
			keys.map((k) => parsed[k]),
			want,
			`dotenv (${fast ? 'fast' : 'classic'}) read something else from:\n${text}`,
		);
	}
}

const HOSTILE = [
	'$(touch pwned)',
	'`touch pwned`',
	'$HOME',
	'${HOME:-x}',
	'a;touch pwned',
	'a && touch pwned',
	'a | cat',
	'a > pwned',
	'https://h.example/fw.bin?a=1&b=2',
	'x # not a comment',
	'#x',
	"it's",
	'say "hi"',
	'C:\\dir\\fw.bin',
	'back\\nslash',
	'wow!',
	'!$',
	'line1\nline2',
	'~/x',
	'*',
	'[ab]',
	'{a,b}',
	'  padded  ',
	'tab\tin',
	'\u2028\u2029\u0085',
	'ü🚀',
	'',
	"it's $HOME",
	'trailing\\',
	'cr\rlf',
];

const hostileChar = fc.constantFrom(...'$`"\'\\!#;&|<>(){}[]*?~ \t\n=%^@:,+/-aZ9\u2028é'.split(''));
const valueArb = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: hostileChar, maxLength: 10 }), fc.string({ maxLength: 10 }));

void test(`.env: every value is written so that ${READERS} read it back exactly, or refused when no form fits`, () => {
	let text = '';
	const expected = new Map<string, string>();
	HOSTILE.forEach((value, i) => {
		const result = tryInsert(text, `K${i}`, value);
		assert.equal(result === undefined, envUnwritable(value), `refusal of ${JSON.stringify(value)}`);
		if (result !== undefined) {
			text = result;
			expected.set(`K${i}`, value);
		}
	});
	assertReadersAgree(text, expected);
});

const EXISTING_FORMS = ['URL=old', "URL='old'", 'URL="old $HOME"', 'URL=`old`', 'export URL=old # note', 'URL = old', 'URL=# note'];

void test(`.env: replacing existing assignments of every style keeps ${READERS} in agreement (fuzz)`, { timeout: 120_000 }, () => {
	fc.assert(
		fc.property(fc.array(valueArb, { minLength: EXISTING_FORMS.length, maxLength: EXISTING_FORMS.length }), (values) => {
			let text = '';
			const expected = new Map<string, string>();
			EXISTING_FORMS.forEach((form, i) => {
				const key = `K${i}`;
				const before = `${text}${form.replace('URL', key)}\nAFTER${i}=kept\n`;
				const result = tryInsert(before, key, values[i] as string);
				assert.equal(result === undefined, envUnwritable(values[i] as string), `refusal of ${JSON.stringify(values[i])}`);
				text = result ?? before.replace(form.replace('URL', key), `${key}=kept`);
				expected.set(key, result === undefined ? 'kept' : (values[i] as string));
				expected.set(`AFTER${i}`, 'kept');
			});
			assertReadersAgree(text, expected);
		}),
		{ numRuns: Math.max(10, Math.round(RUNS / 10)) },
	);
});

void test('.env: `KEY = v` (not an assignment for sh) is rewritten to KEY=v', () => {
	const after = tryInsert('URL = old\n', 'URL', 'https://h.example/fw.bin');
	assert.equal(after, 'URL=https://h.example/fw.bin\n');
	assertReadersAgree(after, new Map([['URL', 'https://h.example/fw.bin']]));
});

void test('.env: a value inside double quotes that sh would expand is rewritten even when dotenv reads it as equal', () => {
	const after = tryInsert('URL="https://h.example/$HOME"\n', 'URL', 'https://h.example/$HOME');
	assert.equal(after, "URL='https://h.example/$HOME'\n");
	assertReadersAgree(after, new Map([['URL', 'https://h.example/$HOME']]));
});

void test('.env: appending after a last line that ends in a backslash leaves a blank line, so sh does not join them', () => {
	for (const before of ['A=x\\\n', 'A=x\\']) {
		const after = tryInsert(before, 'URL', 'https://h.example/fw.bin') as string;
		assert.match(after, /\n\nURL=https:\/\/h\.example\/fw\.bin\n?$/);
		assert.deepEqual([...sourceInShells(after, ['A', 'URL']).values()][0], ['x', 'https://h.example/fw.bin']);
	}
});

void test('.env refuses: a key whose line sh joins to the line before, and text after a closing quote', () => {
	for (const [before, message] of [
		['A=x\\\nURL=old\n', /line 1 ends with a backslash, so a shell that sources the file reads URL \(line 2\)/],
		["URL='old' rm -rf /\n", /URL's value is followed by other text on its line/],
	] as const) {
		assert.throws(
			() => computeInsertEdits(before, 'env', 'URL', 'https://h.example/fw.bin'),
			(error: unknown) => error instanceof OtaError && error.code === 'UnsupportedValue' && message.test(error.message),
		);
	}
});

void test('.env refuses a value no form reads alike, with the reason', () => {
	assert.throws(
		() => computeInsertEdits('', 'env', 'URL', "it's $HOME"),
		/^OtaError: The value cannot be written to a \.env file so that sh\/bash \(when the file is sourced\) and dotenv read it alike: it contains a single quote \('\) together with one of \$ ` " \\ !\. The file was not changed\.$/,
	);
});
