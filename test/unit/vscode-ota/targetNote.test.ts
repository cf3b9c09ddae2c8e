// The Roll Out summary words the devices a batch reaches by the preview's scope (zh-cn through vscode.l10n); in English
// it must say exactly what `iot-ota rollout --dry-run` says, for every kind of scope and each optional part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetNoteText, type TargetScope } from '../../../src/core/lifecycle';
import { targetNote } from '../../../src/vscode/ota/actions/rolloutSummary';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';

const product = { productKey: 'pk1', destVersion: '1.2.0' };

const SCOPES: TargetScope[] = [
	{ code: 'named', unchecked: 0, checked: 200 },
	{ code: 'named', unchecked: 50, checked: 200 },
	{ code: 'group', groupId: 'G1', dynamic: false, destVersion: '1.2.0' },
	{ code: 'group', groupId: 'G1', dynamic: true, destVersion: '1.2.0' },
	{ code: 'all', ...product, dynamic: false, versions: [] },
	{ code: 'all', ...product, dynamic: true, versions: ['1.0.0', '1.1.0'] },
	{ code: 'all', ...product, dynamic: false, versions: ['1.0.0'], module: 'mcu' },
	{ code: 'gray-counted', ...product, percent: '10', counted: 27, versions: [] },
	{ code: 'gray-counted', ...product, percent: '50', counted: 8, versions: ['1.1.0'] },
	{ code: 'gray-bounded', ...product, percent: '10', most: 500, total: 5000, versions: [] },
	{ code: 'gray-bounded', ...product, percent: '10', most: 500, total: 5000, versions: ['1.0.0', '1.0.1'], module: 'mcu' },
];

/** Compile-time list of the scope codes: adding one to TargetScope fails here until it is tried below. */
const CODES: Record<TargetScope['code'], true> = { named: true, group: true, all: true, 'gray-counted': true, 'gray-bounded': true };

void test('in English, the summary words every scope exactly as the CLI does', () => {
	for (const scope of SCOPES) {
		assert.equal(targetNote(scope, plainL10n), targetNoteText(scope), JSON.stringify(scope));
	}
	assert.deepEqual(new Set(SCOPES.map((scope) => scope.code)), new Set(Object.keys(CODES)), 'every code is tried');
});

void test('the words come from the translator, with the values in their places', () => {
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	assert.equal(
		targetNote(SCOPES[6], upper),
		'EVERY DEVICE OF pk1 THAT REPORT VERSION 1.0.0 OF MODULE mcu; DEVICES ALREADY ON 1.2.0 ARE SKIPPED',
	);
	assert.equal(
		targetNote(SCOPES[8], upper),
		'50 % OF THE 8 DEVICES OF pk1 NOT ON 1.2.0 THAT REPORT VERSION 1.1.0, ROUNDED DOWN (AT LEAST 1), CHOSEN BY THE PLATFORM',
	);
	assert.match(targetNote(SCOPES[10], upper), / THAT REPORT VERSION 1\.0\.0 OR 1\.0\.1 OF MODULE mcu, /);
});
