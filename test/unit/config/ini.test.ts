import { errorCases, insertCases } from './cases';

const PIO = `; PlatformIO Project Configuration File
[platformio]
default_envs = esp32dev

[env:esp32dev]
platform = espressif32
board = esp32dev
build_flags =
    -DCORE_DEBUG_LEVEL=3
    -DOTA=1

; production settings
[env:prod]
upload_url=old ; set by the uploader
`;

insertCases('ini', [
	{
		name: 'finds an option whatever its case, as configparser (PlatformIO) does',
		before: '[ota]\nURL = old\n',
		keyPath: 'ota.url',
		value: 'https://h/fw.bin',
		after: '[ota]\nURL = https://h/fw.bin\n',
		previous: 'old',
	},
	{
		name: 'replaces a value, keeping the spacing around = and the inline comment',
		before: PIO,
		keyPath: 'env:prod.upload_url',
		value: 'https://host/fw.bin?a=1;b=2',
		after: PIO.replace('upload_url=old ;', 'upload_url=https://host/fw.bin?a=1;b=2 ;'),
		previous: 'old',
	},
	{
		name: 'appends to the end of a section, after continuation lines and before blank lines',
		before: PIO,
		keyPath: 'env:esp32dev.firmware_url',
		value: 'u',
		after: PIO.replace('    -DOTA=1\n', '    -DOTA=1\nfirmware_url = u\n'),
	},
	{
		name: 'replaces a multi-line value',
		before: PIO,
		keyPath: 'env:esp32dev.build_flags',
		value: '-DX=1',
		after: PIO.replace('build_flags =\n    -DCORE_DEBUG_LEVEL=3\n    -DOTA=1\n', 'build_flags = -DX=1\n'),
		previous: '\n-DCORE_DEBUG_LEVEL=3\n-DOTA=1',
	},
	{
		name: 'creates a missing section at the end of the file (style of the nearest entry)',
		before: PIO,
		keyPath: 'ota.firmware_url',
		value: 'u',
		after: `${PIO}\n[ota]\nfirmware_url=u\n`,
	},
	{
		name: 'follows the key=value style of the section',
		before: '[a]\nx=1\n\n[b]\ny = 2\n',
		keyPath: 'a.url',
		value: 'u',
		after: '[a]\nx=1\nurl=u\n\n[b]\ny = 2\n',
	},
	{
		name: 'adds a top-level key (no dot) before the first section',
		before: '[a]\nx = 1\n',
		keyPath: 'url',
		value: 'u',
		after: 'url = u\n\n[a]\nx = 1\n',
	},
	{
		name: 'adds a top-level key after the existing top-level keys',
		before: 'name = demo\n\n[a]\nx = 1\n',
		keyPath: 'url',
		value: 'u',
		after: 'name = demo\nurl = u\n\n[a]\nx = 1\n',
	},
	{
		name: 'leaves the same key of another section alone',
		before: '[a]\nurl = 1\n[b]\nurl = 2\n',
		keyPath: 'b.url',
		value: 'x',
		after: '[a]\nurl = 1\n[b]\nurl = x\n',
		previous: '2',
	},
	{
		name: 'accepts ":" separators and quoted section names with dots',
		before: '[my.section]\nkey: old\n',
		keyPath: '"my.section".key',
		value: 'new',
		after: '[my.section]\nkey: new\n',
		previous: 'old',
	},
	{
		name: 'writes values verbatim (no quoting)',
		before: '[env]\n',
		keyPath: 'env.custom_url',
		value: '"quoted";x#y\\z',
		after: '[env]\ncustom_url = "quoted";x#y\\z\n',
	},
	{
		name: 'fills an empty value that is followed by a comment',
		before: '[a]\nurl = ; paste the URL here\n',
		keyPath: 'a.url',
		value: 'u',
		after: '[a]\nurl = u ; paste the URL here\n',
		previous: '',
	},
	{
		name: 'keeps CRLF line endings',
		before: '[a]\r\nx = 1\r\n',
		keyPath: 'a.y',
		value: 'v',
		after: '[a]\r\nx = 1\r\ny = v\r\n',
	},
	{
		name: 'keeps a missing final newline missing',
		before: '[a]\nx = 1',
		keyPath: 'b.y',
		value: 'v',
		after: '[a]\nx = 1\n\n[b]\ny = v',
	},
	{
		name: 'fills an empty file',
		before: '',
		keyPath: 'env.url',
		value: 'v',
		after: '[env]\nurl = v\n',
	},
]);

errorCases('ini', [
	{
		name: 'a line that is not a key, section or comment',
		text: '[a]\njust words\n',
		keyPath: 'a.b',
		code: 'ConfigSyntaxError',
		message: /^Malformed INI file at line 2: expected \[section\], key = value or a ; comment/,
	},
	{ name: 'an unclosed section header', text: '[a\nb = 1\n', keyPath: 'a.b', code: 'ConfigSyntaxError', message: /at line 1/ },
	{
		name: 'a value with a line break',
		text: '',
		keyPath: 'a.b',
		value: 'x\ny',
		code: 'UnsupportedValue',
		message: /cannot contain line breaks/,
	},
	{
		name: 'a value with an inline comment marker',
		text: '',
		keyPath: 'a.b',
		value: 'x ; y',
		code: 'UnsupportedValue',
		message: /treat as the start of a comment/,
	},
	{
		name: 'a value starting with a comment marker',
		text: '',
		keyPath: 'a.b',
		value: '#x',
		code: 'UnsupportedValue',
		message: /starts with ; or #/,
	},
	{
		name: 'a value with leading whitespace',
		text: '',
		keyPath: 'a.b',
		value: ' x',
		code: 'UnsupportedValue',
		message: /cannot start or end with whitespace/,
	},
	{ name: 'an array index', text: '', keyPath: 'a[0]', code: 'InvalidKeyPath', message: /INI files have no arrays/ },
	{ name: 'a key with =', text: '', keyPath: 'a."b=c"', code: 'InvalidKeyPath', message: /"b=c" cannot be an INI key/ },
]);
