// iotOta.firmwarePatterns: one syntax for the Firmware Files view and the Explorer menu, and the move of the two
// settings it replaced (iotOta.extraFirmwarePatterns, iotOta.firmwareGlobs) into it, scope by scope.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	cleanPatterns,
	effectivePatterns,
	explorerPatterns,
	migrationConsent,
	migrationScopes,
	patternGlob,
	planScopeMigration,
} from '../../../src/vscode/firmwarePatternSetting';

void test('patterns are cleaned: non-strings, blanks, absolute and parent paths dropped, "\\" read as "/"', () => {
	assert.deepEqual(cleanPatterns(['out/*.bin', ' out/*.bin ', '', 3, '/etc/*.bin', 'C:/fw/*.bin', '../x/*.bin', 'a\\b\\*.zip', './']), [
		'out/*.bin',
		'a/b/*.zip',
	]);
	assert.deepEqual(cleanPatterns('out/*.bin'), []);
});

void test('a name pattern matches in every folder, a path is relative to the folder, "./" anchors to its top', () => {
	assert.equal(patternGlob('*.hex'), '**/*.hex');
	assert.equal(patternGlob('.img'), '**/*.img');
	assert.equal(patternGlob('fw-*.ota'), '**/fw-*.ota');
	assert.equal(patternGlob('out/**/*.bin'), 'out/**/*.bin');
	assert.equal(patternGlob('./*.bin'), '*.bin');
	assert.equal(patternGlob('./out/app.bin'), 'out/app.bin');
});

void test('the Explorer menu gets extensions as extnames and everything else as folder globs', () => {
	const { extnames, globs } = explorerPatterns(['*.hex', '.Img', 'fw-*.ota', 'build/**/*.elf', 'hex', './*.bin']);
	assert.deepEqual(new Set(extnames), new Set(['.hex', '.HEX', '.img', '.IMG', '.Img']));
	assert.deepEqual(globs, ['**/fw-*.ota', 'build/**/*.elf', '**/hex', '*.bin']);
});

void test('what applies: the setting first, then what the old settings still hold, each in the new syntax', () => {
	const legacy = { extraFirmwarePatterns: ['fw-*.ota', '*.hex'], firmwareGlobs: ['*.bin', 'out/**/*.elf'] };
	assert.deepEqual(effectivePatterns(['*.hex'], legacy), ['*.hex', 'fw-*.ota', './*.bin', 'out/**/*.elf']);
	assert.deepEqual(effectivePatterns(undefined, { firmwareGlobs: 'not a list' }), []);
});

void test('migration of one scope: old values are converted, appended after the existing ones, and removed', () => {
	const plan = planScopeMigration({
		current: ['*.hex'],
		legacy: { extraFirmwarePatterns: ['*.hex', '.img'], firmwareGlobs: ['*.bin', 'out/*.bin'] },
	});
	assert.deepEqual(plan, {
		patterns: ['*.hex', '.img', './*.bin', 'out/*.bin'],
		remove: ['extraFirmwarePatterns', 'firmwareGlobs'],
		added: ['.img', './*.bin', 'out/*.bin'],
	});
	assert.deepEqual(planScopeMigration({ current: undefined, legacy: { firmwareGlobs: [] } }), {
		patterns: [],
		remove: ['firmwareGlobs'],
		added: [],
	});
});

void test('migration of one scope: nothing to do without old values; a value that is not a list stays where it is', () => {
	assert.equal(planScopeMigration({ current: ['*.hex'], legacy: {} }), undefined);
	assert.equal(planScopeMigration({ current: undefined, legacy: { extraFirmwarePatterns: '*.hex' } }), undefined);
	const plan = planScopeMigration({ current: undefined, legacy: { extraFirmwarePatterns: '*.hex', firmwareGlobs: ['a/*.bin'] } });
	assert.deepEqual(plan, { patterns: ['a/*.bin'], remove: ['firmwareGlobs'], added: ['a/*.bin'] });
});

void test('migration scopes: user always, workspace with a folder open, each folder only in a multi-root workspace', () => {
	assert.deepEqual(migrationScopes([], false), [{ kind: 'user' }]);
	assert.deepEqual(migrationScopes(['a'], false), [{ kind: 'user' }, { kind: 'workspace' }]);
	assert.deepEqual(migrationScopes(['a', 'b'], true), [
		{ kind: 'user' },
		{ kind: 'workspace' },
		{ kind: 'folder', folder: 'a' },
		{ kind: 'folder', folder: 'b' },
	]);
});

void test('user settings move at once; workspace and folder settings only in a trusted workspace, after asking', () => {
	assert.equal(migrationConsent('user', false), 'move');
	assert.equal(migrationConsent('user', true), 'move');
	assert.equal(migrationConsent('workspace', true), 'ask');
	assert.equal(migrationConsent('folder', true), 'ask');
	assert.equal(migrationConsent('workspace', false), 'skip');
	assert.equal(migrationConsent('folder', false), 'skip');
});
