// Independent readers of the files the config engine writes: real shells that `source` a .env file, the dotenv
// package, PyYAML (a YAML 1.1 reader) and js-yaml (a YAML 1.2 reader). Each test names the readers it used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function onPath(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** sh and bash are required (every CI machine has them); dash is used too where installed. */
export const SHELLS = ['sh', 'bash', 'dash'].filter((shell) => shell !== 'dash' || onPath('dash'));
assert.ok(onPath('sh') && onPath('bash'), 'these tests need sh and bash on PATH');

/**
 * Sources `text` as ./.env in a fresh folder with each shell and returns what every shell then holds in `keys`.
 * Fails when sourcing fails, prints anything, or leaves any file behind (a value that ran a command).
 */
export function sourceInShells(text: string, keys: readonly string[]): Map<string, string[]> {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-env-'));
	try {
		writeFileSync(path.join(dir, '.env'), text);
		const script = `. ./.env && printf '%s\\0' ${keys.map((k) => `"$${k}"`).join(' ')}`;
		const out = new Map<string, string[]>();
		for (const shell of SHELLS) {
			// stdin from /dev/null: on a socket (libuv's default pipe) bash would think sshd started it and read ~/.bashrc.
			const run = spawnSync(shell, ['-c', script], {
				cwd: dir,
				env: { PATH: process.env.PATH },
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			assert.equal(run.status, 0, `${shell} could not source the file: ${run.stderr}\n${text}`);
			assert.equal(run.stderr, '', `${shell} complained while sourcing:\n${text}`);
			out.set(shell, run.stdout.split('\0').slice(0, keys.length));
		}
		assert.deepEqual(readdirSync(dir), ['.env'], `sourcing ran a command:\n${text}`);
		return out;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The values the engine refuses for .env: no quoting reads them alike in sh and dotenv (see envValue.ts). */
export function envUnwritable(value: string): boolean {
	return /[\0\r]/.test(value) || value.endsWith('\\') || (value.includes("'") && /["$`\\!]/.test(value));
}

export interface YamlReader {
	name: string;
	read(text: string): unknown;
}

/** PyYAML (YAML 1.1) through python3 when `import yaml` works there; undefined otherwise. */
function pyYamlReader(): YamlReader | undefined {
	const python = ['python3', '/usr/bin/python3'].find(
		(candidate) => spawnSync(candidate, ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0,
	);
	if (!python) {
		return undefined;
	}
	// Bytes in, JSON out: PyYAML decodes the UTF-8 itself; ensure_ascii keeps every character exact.
	const program = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.buffer.read()), default=repr))';
	return {
		name: 'PyYAML (YAML 1.1)',
		read(text: string): unknown {
			const run = spawnSync(python, ['-c', program], { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
			assert.equal(run.status, 0, `PyYAML could not read:\n${text}\n${run.stderr}`);
			return JSON.parse(run.stdout) as unknown;
		},
	};
}

/** The yaml package in YAML 1.1 mode, for machines without PyYAML (.ci/run installs python3-yaml). */
function yaml11Fallback(): YamlReader {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { parse } = require('yaml') as typeof import('yaml');
	return { name: 'yaml (package) in YAML 1.1 mode', read: (text) => JSON.parse(JSON.stringify(parse(text, { version: '1.1' }))) };
}

export const YAML11: YamlReader = pyYamlReader() ?? yaml11Fallback();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml = require('js-yaml') as { load(text: string): unknown };
export const YAML12: YamlReader = { name: 'js-yaml (YAML 1.2)', read: (text) => JSON.parse(JSON.stringify(jsYaml.load(text))) };

/** The python3 on PATH (or Debian's): .ci/run requires python3; Python ≥ 3.11 has tomllib. */
function python(program: string, text: string): unknown {
	const run = spawnSync('python3', ['-c', program], { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
	assert.equal(run.status, 0, `python3 could not read:\n${text}\n${run.stderr}`);
	return JSON.parse(run.stdout) as unknown;
}

/** Python's configparser as PlatformIO sets it up (inline ; and # comments after whitespace), without interpolation. */
export function readIniWithConfigparser(text: string): Record<string, Record<string, string>> {
	const program = [
		'import configparser, json, sys',
		"c = configparser.ConfigParser(inline_comment_prefixes=('#', ';'), interpolation=None)",
		"c.read_string(sys.stdin.buffer.read().decode('utf-8'))",
		'print(json.dumps({s: dict(c[s]) for s in c.sections()}))',
	].join('\n');
	return python(program, text) as Record<string, Record<string, string>>;
}

/** Python's tomllib (TOML 1.0). */
export function readTomlWithTomllib(text: string): unknown {
	return python("import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.buffer.read().decode('utf-8'))))", text);
}

const PROPERTIES_READER = `import java.io.*; import java.util.*;
public class ReadProperties {
	public static void main(String[] args) throws Exception {
		Properties p = new Properties();
		try (InputStream in = new FileInputStream(args[0])) { p.load(in); }
		for (String k : new TreeSet<>(p.stringPropertyNames())) System.out.println(hex(k) + "=" + hex(p.getProperty(k)));
	}
	static String hex(String s) { StringBuilder b = new StringBuilder(); for (char c : s.toCharArray()) b.append(String.format("%04x", (int) c)); return b.toString(); }
}
`;

/** java.util.Properties.load(InputStream) — ISO-8859-1 with \\uXXXX escapes, as Java and Android tooling read it. */
export function readPropertiesWithJava(text: string): Map<string, string> {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-properties-'));
	try {
		writeFileSync(path.join(dir, 'ReadProperties.java'), PROPERTIES_READER);
		writeFileSync(path.join(dir, 'file.properties'), text);
		const run = spawnSync('java', ['ReadProperties.java', 'file.properties'], { cwd: dir, encoding: 'utf8' });
		assert.equal(run.status, 0, `java could not read:\n${text}\n${run.stderr ?? run.error?.message}`);
		const decode = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
		return new Map(
			run.stdout
				.split('\n')
				.filter((line) => line.length > 0)
				.map((line) => line.split('=').map(decode) as [string, string]),
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
