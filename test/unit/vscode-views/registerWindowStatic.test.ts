// The walkthrough pages and the manifest's texts are static: they cannot compute the registration window, so they state
// it in words. Every passage of them that speaks of registering and names a span must name the core's window
// (REGISTER_WINDOW_SPAN) as the extension words it in that language (registerWindowText), so a change to the core's
// value fails here until the static texts follow it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';
import { registerWindowText } from '../../../src/vscode/validationText';

const root = path.resolve(__dirname, '..', '..', '..');

interface Language {
	translator: Translator;
	/** A passage about registering (or its absence). */
	register: RegExp;
	/** A number with a unit of time: what a static text states a span with. */
	span: RegExp;
	/** How a span found by `span` states the core's window, worded `expected` ("60-minute" before a noun, in English). */
	expectedAs: (span: string, expected: string) => string;
}

function read(relative: string): string {
	return readFileSync(path.join(root, relative), 'utf8');
}

const zhCnBundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;

const LANGUAGES: Record<'en' | 'zh-cn', Language> = {
	en: {
		translator: plainL10n,
		register: /regist/i,
		span: /\d+(?:\s+|-)(?:second|minute|hour|day)s?\b/g,
		// "within a 60-minute window": the same count and unit, hyphenated and singular.
		expectedAs: (span, expected) => (span.includes('-') ? expected.replace(/\s+/, '-').replace(/s$/, '') : expected),
	},
	'zh-cn': {
		translator: { t: (message: string, ...args: string[]) => plainL10n.t(zhCnBundle[message] ?? message, ...args) } as Translator,
		register: /注册/,
		span: /\d+\s*(?:秒|分钟|小时|天)/g,
		expectedAs: (_span, expected) => expected,
	},
};

interface Passage {
	where: string;
	language: keyof typeof LANGUAGES;
	text: string;
}

function walkthroughPassages(): Passage[] {
	const pages = (dir: string, language: Passage['language']): Passage[] =>
		readdirSync(path.join(root, dir))
			.filter((name) => name.endsWith('.md'))
			.flatMap((name) =>
				read(`${dir}/${name}`)
					.split(/\n\s*\n/)
					.map((text, i) => ({ where: `${dir}/${name} paragraph ${i + 1}`, language, text })),
			);
	return [...pages('media/walkthrough', 'en'), ...pages('media/walkthrough/zh-cn', 'zh-cn')];
}

function manifestPassages(): Passage[] {
	const texts = (file: string, language: Passage['language']): Passage[] =>
		Object.entries(JSON.parse(read(file)) as Record<string, string>).map(([key, text]) => ({
			where: `${file} ${key}`,
			language,
			text,
		}));
	return [...texts('package.nls.json', 'en'), ...texts('package.nls.zh-cn.json', 'zh-cn')];
}

void test("every static text that states the registration window states the core's value in its language", () => {
	const stating = [...walkthroughPassages(), ...manifestPassages()].filter(
		({ language, text }) => LANGUAGES[language].register.test(text) && text.match(LANGUAGES[language].span) !== null,
	);
	// The places known to state it: the scan must find at least these, so it cannot pass by finding nothing.
	const where = stating.map((passage) => passage.where);
	for (const known of [
		'media/walkthrough/create.md',
		'media/walkthrough/zh-cn/create.md',
		'package.nls.json walkthrough.gettingStarted.create.description',
		'package.nls.zh-cn.json walkthrough.gettingStarted.create.description',
	]) {
		assert.ok(
			where.some((w) => w.startsWith(known)),
			`${known} states the registration window (found in: ${where.join(', ')})`,
		);
	}
	for (const { where, language, text } of stating) {
		const { translator, span: spanPattern, expectedAs } = LANGUAGES[language];
		const expected = registerWindowText(translator);
		const spans = (text.match(spanPattern) ?? []).map((span) => span.replace(/\s+/g, ' '));
		assert.deepEqual(
			spans,
			spans.map((span) => expectedAs(span, expected)),
			`${where} must state the window as "${expected}"`,
		);
	}
});

void test('the zh-cn wording of the window comes from the extension bundle, not the English', () => {
	assert.notEqual(registerWindowText(LANGUAGES['zh-cn'].translator), registerWindowText(plainL10n));
});
