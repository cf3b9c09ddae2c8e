// The compiler is the reader of a C header: after an insert, the macro it ends up with must be exactly the string
// that was written, whatever dead branches, comments and continuations the header has. g++ (which .ci/run installs)
// preprocesses each edited header, and a compiled program prints a hostile value back byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { applyTextEdits, computeInsertEdits } from '../../../src/core/configInsert';
import { cString } from '../../../src/core/configInsert/cHeader';

const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-cheader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function gxx(args: string[]): Buffer {
	const run = spawnSync('g++', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
	assert.equal(
		run.status,
		0,
		`g++ ${args.join(' ')} failed (g++ is required, .ci/run installs it): ${run.error?.message ?? String(run.stderr)}`,
	);
	return run.stdout;
}

function insert(text: string, name: string, value: string): string {
	return applyTextEdits(text, computeInsertEdits(text, 'c-header', name, value));
}

const URL = 'https://h.example/fw.bin?Expires=1&Signature=a%2Bb';
const HEADERS = [
	'#if 0\n#define OTA_URL "dead"\n#else\n#define OTA_URL "old"\n#endif\n',
	'#ifndef CONFIG_H\n#define CONFIG_H\n#if 0\n#define OTA_URL "dead"\n#endif\n#define OTA_URL "old"\n#endif /* CONFIG_H */\n',
	'#ifndef CONFIG_H\n#define CONFIG_H\n#define OTA_PORT 443\n#endif /* CONFIG_H */\n',
	'#define USE_SANDBOX 0\n#if USE_SANDBOX\n#define OTA_URL "sandbox"\n#elif 1\n#define OTA_URL "old"\n#endif\n',
	'#ifndef OTA_URL\n#define OTA_URL "default"\n#endif\n',
	'// see below \\\n#define OTA_URL "swallowed"\n',
	'/* #define OTA_URL "block" */ #define OTA_URL \\\n  "old" // note\n',
	'#pragma once\n#define A 1 \\\n',
];

for (const [i, header] of HEADERS.entries()) {
	void test(`C header ${i + 1}: g++ -E sees exactly the written OTA_URL (${JSON.stringify(header.split('\n')[0])}…)`, () => {
		const file = path.join(dir, `h${i}.h`);
		writeFileSync(file, insert(header, 'OTA_URL', URL));
		const macros = gxx(['-E', '-dM', '-x', 'c', file]).toString('utf8');
		assert.match(macros, new RegExp(`^#define OTA_URL ${cString(URL).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
	});
}

void test('C header: a compiled program prints a hostile value back byte for byte', () => {
	const value = 'q"uote\\ back\nline\ttab ??= trigraph \u0001\u001b[2J \u2028 ü🚀 */ // #endif';
	writeFileSync(path.join(dir, 'v.h'), insert('#if 0\n#define V "dead"\n#else\n#define V "old"\n#endif\n', 'V', value));
	writeFileSync(path.join(dir, 'main.cpp'), '#include <cstdio>\n#include "v.h"\nint main() { std::fputs(V, stdout); return 0; }\n');
	gxx(['-o', 'print-v', 'main.cpp']);
	const run = spawnSync(path.join(dir, 'print-v'), { stdio: ['ignore', 'pipe', 'pipe'] });
	assert.equal(run.status, 0);
	assert.equal(run.stdout.toString('utf8'), value);
});
