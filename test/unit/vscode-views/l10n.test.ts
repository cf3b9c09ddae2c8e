// Localisation completeness: every manifest key and every vscode.l10n.t string has English and Simplified Chinese text.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';

const root = path.resolve(__dirname, '..', '..', '..');

function readJson(relative: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(root, relative), 'utf8')) as Record<string, unknown>;
}

function messageOf(value: unknown): string {
	return typeof value === 'string' ? value : String((value as { message?: unknown }).message);
}

function placeholders(text: string): string[] {
	return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}

function manifestKeys(value: unknown, out = new Set<string>()): Set<string> {
	if (typeof value === 'string') {
		const match = /^%([^%\s]+)%$/.exec(value);
		if (match) {
			out.add(match[1]);
		}
	} else if (Array.isArray(value)) {
		value.forEach((v) => manifestKeys(v, out));
	} else if (typeof value === 'object' && value !== null) {
		Object.values(value).forEach((v) => manifestKeys(v, out));
	}
	return out;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function assertComplete(source: Record<string, unknown>, translated: Record<string, unknown>, what: string): void {
	const missing = Object.keys(source).filter((key) => typeof translated[key] !== 'string' || (translated[key] as string).trim() === '');
	assert.deepEqual(missing, [], `${what}: missing Chinese translations`);
	const stale = Object.keys(translated).filter((key) => !(key in source));
	assert.deepEqual(stale, [], `${what}: translations of strings that no longer exist`);
	const broken = Object.keys(source).filter(
		(key) => placeholders(messageOf(source[key])).join() !== placeholders(messageOf(translated[key])).join(),
	);
	assert.deepEqual(broken, [], `${what}: translations whose {n} placeholders differ from the English`);
}

void test('every %key% of package.json is in package.nls.json', () => {
	const nls = readJson('package.nls.json');
	const missing = [...manifestKeys(readJson('package.json'))].filter((key) => typeof nls[key] !== 'string');
	assert.deepEqual(missing, [], 'package.json uses keys that package.nls.json does not define');
});

void test('package.nls.zh-cn.json translates every key of package.nls.json', () => {
	assertComplete(readJson('package.nls.json'), readJson('package.nls.zh-cn.json'), 'package.nls.zh-cn.json');
});

void test('l10n/bundle.l10n.json is up to date with the vscode.l10n.t calls in src/', async () => {
	const files = sourceFiles(path.join(root, 'src')).map((file) => ({
		contents: readFileSync(file, 'utf8'),
		extension: path.extname(file),
	}));
	const extracted: l10nJsonFormat = await getL10nJson(files);
	const bundle = readJson('l10n/bundle.l10n.json');
	const notExported = Object.keys(extracted).filter((key) => !(key in bundle));
	assert.deepEqual(notExported, [], 'run: npx @vscode/l10n-dev export -o ./l10n ./src');
	const stale = Object.keys(bundle).filter((key) => !(key in extracted));
	assert.deepEqual(stale, [], 'bundle.l10n.json holds strings no longer in the code; re-export');
});

void test('no translator is called through an alias (the export sees only l10n.t(…) calls)', () => {
	const aliased = sourceFiles(path.join(root, 'src')).flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/(?:=|:)\s*(?:vscode\.)?l10n\.t\b(?!\s*\()|\{\s*t\s*\}\s*=\s*(?:vscode\.)?l10n\b/g)].map(
			(m) => `${path.relative(root, file)}: ${m[0]}`,
		),
	);
	assert.deepEqual(aliased, [], 'call vscode.l10n.t(…) (or l10n.t(…)) directly, so that the export finds the string');
});

void test('every walkthrough step shows its page in English, and a translated page in Simplified Chinese', () => {
	const manifest = readJson('package.json') as {
		contributes: { walkthroughs: Array<{ steps: Array<{ media: { markdown?: string } }> }> };
	};
	const keys = manifest.contributes.walkthroughs.flatMap((w) =>
		w.steps.map((step) => /^%([^%]+)%$/.exec(step.media.markdown ?? '')?.[1]),
	);
	assert.ok(keys.length > 0 && keys.every(Boolean), 'each step names its Markdown page through a %key%');
	const en = readJson('package.nls.json');
	const zh = readJson('package.nls.zh-cn.json');
	for (const key of keys as string[]) {
		assert.ok(existsSync(path.join(root, String(en[key]))), `${String(en[key])} exists`);
		assert.ok(existsSync(path.join(root, String(zh[key]))), `${String(zh[key])} exists`);
		assert.notEqual(zh[key], en[key], `${key}: the zh-cn page is a translated one`);
	}
});

void test('l10n/bundle.l10n.zh-cn.json translates every string of bundle.l10n.json', () => {
	assertComplete(readJson('l10n/bundle.l10n.json'), readJson('l10n/bundle.l10n.zh-cn.json'), 'bundle.l10n.zh-cn.json');
});

/** Keys given twice in one JSON file (JSON.parse keeps the last silently; a merge of two branches can add one twice). */
function repeatedKeys(text: string): string[] {
	const keys = [...text.matchAll(/^\s*("(?:[^"\\]|\\.)*")\s*:/gm)].map((match) => JSON.parse(match[1]) as string);
	return keys.filter((key, index) => keys.indexOf(key) !== index);
}

void test('no translation file gives a key twice', () => {
	for (const file of ['package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.json', 'l10n/bundle.l10n.zh-cn.json']) {
		assert.deepEqual(repeatedKeys(readFileSync(path.join(root, file), 'utf8')), [], file);
	}
});

void test('the Simplified Chinese texts keep one term each: 升级包 for an OTA package, 物联网平台控制台 for the console', () => {
	const texts = [readJson('l10n/bundle.l10n.zh-cn.json'), readJson('package.nls.zh-cn.json')].flatMap((json) =>
		Object.values(json).map(messageOf),
	);
	for (const stray of ['软件包', 'IoT 平台控制台', 'IoT平台控制台']) {
		assert.deepEqual(
			texts.filter((text) => text.includes(stray)),
			[],
			stray,
		);
	}
});

void test('the Simplified Chinese texts name a profile one way: 配置档案 for an IoT OTA profile, 配置 inside an aliyun CLI config, never 配置文件 (a config file)', () => {
	const pairs = [
		['l10n/bundle.l10n.json', 'l10n/bundle.l10n.zh-cn.json'],
		['package.nls.json', 'package.nls.zh-cn.json'],
	].flatMap(([english, chinese]) => {
		const en = readJson(english);
		const zh = readJson(chinese);
		return Object.keys(en).map((key) => ({ en: messageOf(en[key]), zh: messageOf(zh[key]) }));
	});
	const profiles = pairs.filter(({ en }) => /\bprofiles?\b/i.test(en));
	assert.ok(profiles.length > 20, 'the scan finds the texts that name a profile');
	// An aliyun CLI profile: named with its config file, its mode, or the file it is in ("Profile "x" in ~/.aliyun/config.json").
	const aliyun = ({ en }: { en: string }) => /aliyun CLI (config|profile)|StsToken| in \{1\}/.test(en);
	const misnamed = profiles.filter(
		(text) =>
			(aliyun(text) ? text.zh.includes('配置档案') : !text.zh.includes('档案')) ||
			(text.zh.includes('配置文件') && !/\bconfig\b/i.test(text.en)),
	);
	assert.deepEqual(misnamed, []);
});

void test('every l10n.t call in src/ is in the bundle, also where the translator is passed in (the export only sees files importing vscode)', () => {
	const bundle = readJson('l10n/bundle.l10n.json');
	const calls = sourceFiles(path.join(root, 'src')).flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/\bl10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => ({
			file: path.relative(root, file),
			text: m[1].replace(/\\'/g, "'"),
		})),
	);
	assert.ok(calls.length > 100, 'the scan finds the calls');
	const missing = calls.filter((c) => !(c.text in bundle)).map((c) => `${c.file}: ${c.text}`);
	assert.deepEqual(missing, [], 'strings no translator ever sees: import vscode (types are enough) in these files and re-export');
});
