// Creates a throwaway copy of test/fixtures/workspace and generates its binary files, so nothing binary is committed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureWorkspace } from './config.mjs';

/** The big file the UI checks upload (only with `largeFirmwareMb`). */
export const LARGE_FIRMWARE = 'large-firmware.bin';

/**
 * An ESP32-style file: magic byte 0xE9, then random bytes, with a segment count of 0 so that the image reader
 * (src/core/image) always takes it for plain data, never for an ESP-IDF image whose checksum fails.
 */
function firmwareImage(size) {
	const bytes = randomBytes(size);
	bytes[0] = 0xe9;
	bytes[1] = 0;
	return bytes;
}

function writeAppArchive(workspace) {
	const staging = mkdtempSync(path.join(tmpdir(), 'iot-ota-archive-'));
	try {
		mkdirSync(path.join(staging, 'app'));
		writeFileSync(path.join(staging, 'app', 'app.bin'), firmwareImage(32 * 1024));
		writeFileSync(path.join(staging, 'app', 'manifest.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
		mkdirSync(path.join(workspace, 'build'), { recursive: true });
		execFileSync('tar', ['-czf', path.join(workspace, 'build', 'app.tar.gz'), '-C', staging, 'app']);
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

/** A mostly sparse file (random first MiB) — large enough that an upload stays visible for a moment. */
function writeLargeFirmware(file, sizeMb) {
	const fd = openSync(file, 'w');
	try {
		writeSync(fd, firmwareImage(1024 * 1024));
		ftruncateSync(fd, sizeMb * 1024 * 1024);
	} finally {
		closeSync(fd);
	}
}

/**
 * Copies the fixture into a new temp folder and returns its path (and a `dispose()`).
 * `settings` is written to .vscode/settings.json; `largeFirmwareMb` adds LARGE_FIRMWARE of that size.
 */
export function createTestWorkspace({ label = 'workspace', settings, largeFirmwareMb } = {}) {
	const parent = mkdtempSync(path.join(tmpdir(), `iot-ota-${label}-`));
	const workspace = path.join(parent, label);
	populateWorkspace(workspace, { settings, largeFirmwareMb });
	return { path: workspace, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

/** The folders of the multi-root workspace (createMultiRootWorkspace); the suites under test/integration/multiRoot/ name them. */
export const MULTI_ROOT_FOLDERS = ['product-a', 'product-b'];

/**
 * A multi-root workspace: empty folders MULTI_ROOT_FOLDERS (the tests write their own files and folder settings) and a
 * `.code-workspace` file listing them, whose path it returns (and a `dispose()`).
 */
export function createMultiRootWorkspace({ label = 'multi-root' } = {}) {
	const parent = mkdtempSync(path.join(tmpdir(), `iot-ota-${label}-`));
	for (const folder of MULTI_ROOT_FOLDERS) {
		mkdirSync(path.join(parent, folder));
	}
	const file = path.join(parent, `${label}.code-workspace`);
	writeFileSync(file, JSON.stringify({ folders: MULTI_ROOT_FOLDERS.map((folder) => ({ path: folder })), settings: {} }, null, '\t'));
	return { path: file, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

/** (Re)creates the generated fixture at a fixed path — `.vscode-test/fixture-workspace`, used by .vscode/launch.json. */
export function refreshWorkspaceAt(workspace) {
	rmSync(workspace, { recursive: true, force: true });
	populateWorkspace(workspace, {});
	return workspace;
}

function populateWorkspace(workspace, { settings, largeFirmwareMb }) {
	cpSync(fixtureWorkspace, workspace, { recursive: true });
	writeFileSync(path.join(workspace, 'firmware.bin'), firmwareImage(64 * 1024));
	mkdirSync(path.join(workspace, '.pio', 'build', 'esp32dev'), { recursive: true });
	writeFileSync(path.join(workspace, '.pio', 'build', 'esp32dev', 'firmware.bin'), firmwareImage(48 * 1024));
	writeAppArchive(workspace);
	if (settings) {
		mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
		writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, '\t'));
	}
	if (largeFirmwareMb) {
		writeLargeFirmware(path.join(workspace, LARGE_FIRMWARE), largeFirmwareMb);
	}
}
