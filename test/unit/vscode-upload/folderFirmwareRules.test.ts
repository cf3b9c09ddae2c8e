import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRMWARE_SUFFIXES } from '../../../src/core/types';
import {
	FIRMWARE_SUFFIX_GLOB,
	FOLDER_FILES_MAX,
	FOLDER_SEARCH_MAX,
	outermostFolders,
	planFolderFiles,
	relativeToFolder,
	type FolderFile,
} from '../../../src/vscode/upload/folderFirmwareRules';

const file = (relativePath: string, mtime: number, buildOutput = false, pathInFolder = relativePath): FolderFile => ({
	relativePath,
	pathInFolder,
	mtime,
	size: 1024,
	buildOutput,
});
const paths = (files: readonly FolderFile[]) => files.map((f) => f.relativePath);

void test('the suffix glob covers every allowed suffix in any case (App.Bin, App.TaR.Gz through .gz), and nothing else', () => {
	const alternatives = /^\*\*\/\*\.\{(.+)\}$/.exec(FIRMWARE_SUFFIX_GLOB)?.[1].split(',');
	assert.ok(alternatives, FIRMWARE_SUFFIX_GLOB);
	assert.equal(alternatives[0], '[bB][iI][nN]');
	// Each alternative is a run of character classes, which a RegExp reads as the glob does.
	const extensionMatches = (name: string) => alternatives.some((glob) => new RegExp(`\\.${glob}$`).test(name));
	for (const suffix of FIRMWARE_SUFFIXES) {
		const mixed = [...suffix].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
		for (const name of [`app.${suffix}`, `APP.${suffix.toUpperCase()}`, `App.${mixed}`]) {
			assert.ok(extensionMatches(name), `${name} by ${FIRMWARE_SUFFIX_GLOB}`);
		}
	}
	for (const name of ['app.elf', 'app.bin.map', 'app.bi', 'app.binx', 'notes.txt']) {
		assert.equal(extensionMatches(name), false, name);
	}
});

void test('a path below the folder is relative to it; the folder itself, a sibling with the same prefix and a parent are not below', () => {
	assert.equal(relativeToFolder('/w/build', '/w/build/app.bin'), 'app.bin');
	assert.equal(relativeToFolder('/w/build/', '/w/build/zephyr/zephyr.bin'), 'zephyr/zephyr.bin');
	assert.equal(relativeToFolder('/w/build', '/w/build'), undefined);
	assert.equal(relativeToFolder('/w/build', '/w/build2/app.bin'), undefined);
	assert.equal(relativeToFolder('/w/build', '/w/app.bin'), undefined);
});

void test('of several selected folders each is searched once, and one inside another not at all (its files are in the outer one)', () => {
	const at = (path: string, authority = '') => ({ scheme: 'file', authority, path });
	const folders = [at('/w/fw/inner'), at('/w/fw'), at('/w/data'), at('/w/fw/'), at('/w/data2'), at('/w/fw', 'remote')];
	assert.deepEqual(outermostFolders(folders), [at('/w/fw'), at('/w/data'), at('/w/data2'), at('/w/fw', 'remote')]);
	assert.deepEqual(outermostFolders([at('/w/data')]), [at('/w/data')]);
});

void test("newest first; the view's build output and the same path found by suffix are one row (the view's)", () => {
	const listed = [file('esp32dev/firmware.bin', 300, true)];
	const found = [file('esp32dev/firmware.bin', 300), file('old.bin', 100), file('spiffs.bin', 200)];
	const plan = planFolderFiles(listed, found);
	assert.deepEqual(paths(plan.files), ['esp32dev/firmware.bin', 'spiffs.bin', 'old.bin']);
	assert.equal(plan.files[0].buildOutput, true);
	assert.equal(plan.capped, false);
});

void test('files found by suffix need an allowed suffix and stay out of node_modules and .git; upper-case names count', () => {
	const found = [
		file('APP.BIN', 5),
		file('fw.tar.gz', 4),
		file('notes.txt', 3),
		file('node_modules/x/a.bin', 2),
		file('.git/objects/b.zip', 1),
	];
	assert.deepEqual(paths(planFolderFiles([], found).files), ['APP.BIN', 'fw.tar.gz']);
});

void test('several folders: node_modules and .git are left out below a chosen folder, not when the folder itself is inside one', () => {
	const found = [
		file('node_modules/tool/fw/a.bin', 4, false, 'a.bin'),
		file('.git/hooks/fw/b.bin', 3, false, 'b.bin'),
		file('node_modules/tool/fw/node_modules/c.bin', 2, false, 'node_modules/c.bin'),
		file('app/.git/d.bin', 1, false, '.git/d.bin'),
	];
	assert.deepEqual(paths(planFolderFiles([], found).files), ['node_modules/tool/fw/a.bin', '.git/hooks/fw/b.bin']);
});

void test('the newest build output the view lists is checked first, not a newer bootloader found by suffix; else the newest file', () => {
	const listed = [file('app.bin', 200, true)];
	const found = [file('bootloader/bootloader.bin', 210), file('partition_table/partition-table.bin', 190)];
	assert.equal(planFolderFiles(listed, found).preselected?.relativePath, 'app.bin');
	assert.equal(planFolderFiles([], found).preselected?.relativePath, 'bootloader/bootloader.bin');
	assert.equal(planFolderFiles([], []).preselected, undefined);
});

void test('more files than offered: the newest are kept and the plan says it is capped, also when the search stopped at its limit', () => {
	const found = Array.from({ length: FOLDER_FILES_MAX + 5 }, (_, i) => file(`fw-${i}.bin`, i));
	const plan = planFolderFiles([], found);
	assert.equal(plan.files.length, FOLDER_FILES_MAX);
	assert.equal(plan.capped, true);
	assert.equal(plan.files[0].relativePath, `fw-${FOLDER_FILES_MAX + 4}.bin`);
	assert.equal(plan.files.at(-1)?.relativePath, 'fw-5.bin');
	assert.equal(planFolderFiles([], found.slice(0, 3)).capped, false);
	assert.equal(planFolderFiles([], found.slice(0, 3), { searchCapped: true }).capped, true);
	assert.equal(planFolderFiles([], found.slice(0, 3), { max: 2 }).capped, true);
	assert.equal(plan.unseen, false, 'every file was seen: the newest offered are the newest of the folder');
	assert.equal(planFolderFiles([], found.slice(0, 3), { searchCapped: true }).unseen, true);
	assert.ok(FOLDER_SEARCH_MAX > FOLDER_FILES_MAX, 'the search reads more paths than are offered (it returns them in no order)');
});
