import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits, computeInsertEdits, planInsert, type ConfigFormat } from '../../../src/core/configInsert';
import { OtaError } from '../../../src/core/errors';

export interface InsertCase {
	name: string;
	before: string;
	keyPath: string;
	value: string;
	after: string;
	/** The value that was there before, when the key existed. */
	previous?: string;
}

export interface ErrorCase {
	name: string;
	text: string;
	keyPath: string;
	value?: string;
	code: string;
	message: RegExp;
}

/** Each case: the edits turn `before` into `after`, and inserting the same value again yields no edits. */
export function insertCases(format: ConfigFormat, cases: readonly InsertCase[]): void {
	for (const c of cases) {
		void test(`${format}: ${c.name}`, () => {
			const plan = planInsert(c.before, format, c.keyPath, c.value);
			assert.equal(applyTextEdits(c.before, plan.edits), c.after);
			assert.equal(plan.previousValue, c.previous);
			assert.deepEqual(computeInsertEdits(c.after, format, c.keyPath, c.value), [], 'setting the same value again changes nothing');
		});
	}
}

export function errorCases(format: ConfigFormat, cases: readonly ErrorCase[]): void {
	for (const c of cases) {
		void test(`${format} refuses: ${c.name}`, () => {
			assert.throws(
				() => computeInsertEdits(c.text, format, c.keyPath, c.value ?? 'https://example.com/fw.bin'),
				(error: unknown) => {
					assert.ok(error instanceof OtaError, `expected OtaError, got ${String(error)}`);
					assert.equal(error.source, 'config');
					assert.equal(error.code, c.code);
					assert.match(error.message, c.message);
					assert.match(error.message, /The file was not changed\.$/);
					return true;
				},
			);
		});
	}
}
