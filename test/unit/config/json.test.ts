import { errorCases, insertCases } from './cases';

const URL = 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/fw.bin';

insertCases('json', [
	{
		name: 'replaces an existing value, keeping comments and trailing comments',
		before: '{\n  // where the device downloads from\n  "ota": {\n    "url": "old", // trailing\n    "retries": 3\n  }\n}\n',
		keyPath: 'ota.url',
		value: URL,
		after: `{\n  // where the device downloads from\n  "ota": {\n    "url": "${URL}", // trailing\n    "retries": 3\n  }\n}\n`,
		previous: 'old',
	},
	{
		name: 'creates missing objects with the file\'s 4-space indentation',
		before: '{\n    "name": "demo",\n    "build": {\n        "target": "esp32"\n    }\n}\n',
		keyPath: 'build.ota.url',
		value: 'u',
		after: '{\n    "name": "demo",\n    "build": {\n        "target": "esp32",\n        "ota": {\n            "url": "u"\n        }\n    }\n}\n',
	},
	{
		name: 'keeps tab indentation',
		before: '{\n\t"a": 1\n}\n',
		keyPath: 'b',
		value: 'v',
		after: '{\n\t"a": 1,\n\t"b": "v"\n}\n',
	},
	{
		name: 'keeps CRLF line endings',
		before: '{\r\n  "a": 1\r\n}\r\n',
		keyPath: 'b.c',
		value: 'v',
		after: '{\r\n  "a": 1,\r\n  "b": {\r\n    "c": "v"\r\n  }\r\n}\r\n',
	},
	{
		name: 'fills an empty file',
		before: '',
		keyPath: 'ota.url',
		value: 'v',
		after: '{\n  "ota": {\n    "url": "v"\n  }\n}\n',
	},
	{
		name: 'fills a comment-only file after the comment',
		before: '// settings\n',
		keyPath: 'url',
		value: 'v',
		after: '// settings\n{\n  "url": "v"\n}\n',
	},
	{
		name: 'addresses array items by index',
		before: '{ "targets": [ { "url": "a" }, { "url": "b" } ] }',
		keyPath: 'targets[1].url',
		value: 'new',
		after: '{ "targets": [ { "url": "a" }, { "url": "new" } ] }',
		previous: 'b',
	},
	{
		name: 'quoted keys may contain dots',
		before: '{ "a": { "b.c": "x" } }',
		keyPath: 'a."b.c"',
		value: 'y',
		after: '{ "a": { "b.c": "y" } }',
		previous: 'x',
	},
	{
		name: 'bracket-quoted keys may contain dots',
		before: '{ "a": { "b.c": "x" } }',
		keyPath: 'a["b.c"]',
		value: 'z',
		after: '{ "a": { "b.c": "z" } }',
		previous: 'x',
	},
	{
		name: 'escapes quotes, backslashes, newlines; keeps unicode',
		before: '{"k": 1}',
		keyPath: 'k',
		value: 'a"b\\c\nd ü 🚀',
		after: '{"k": "a\\"b\\\\c\\nd ü 🚀"}',
		previous: '1',
	},
	{
		name: 'accepts trailing commas (VS Code settings / .code-workspace)',
		before: '{\n  "folders": [],\n  "settings": {\n    "x": 1,\n  },\n}\n',
		keyPath: 'settings.x',
		value: 'v',
		after: '{\n  "folders": [],\n  "settings": {\n    "x": "v",\n  },\n}\n',
		previous: '1',
	},
]);

errorCases('json', [
	{ name: 'malformed JSON, with line and column', text: '{\n  "a": ,\n}', keyPath: 'a', code: 'ConfigSyntaxError', message: /^Malformed JSON at line 2, column 8: value expected/ },
	{ name: 'unterminated object', text: '{"a": 1', keyPath: 'a', code: 'ConfigSyntaxError', message: /^Malformed JSON at line 1, column 8/ },
	{ name: 'path through a string', text: '{"ota": "x"}', keyPath: 'ota.url', code: 'KeyPathConflict', message: /"ota" is a string, not an object, so it cannot hold the key "url"/ },
	{ name: 'path through an array without index', text: '{"ota": []}', keyPath: 'ota.url', code: 'KeyPathConflict', message: /"ota" is an array; pick an item with an index, e.g. "ota\[0\]\.url"/ },
	{ name: 'index into an object', text: '{"ota": {}}', keyPath: 'ota[0]', code: 'KeyPathConflict', message: /"ota" is an object, not an array, so \[0\] does not apply/ },
	{ name: 'index leaving a gap', text: '{"l": [1]}', keyPath: 'l[5]', code: 'KeyPathConflict', message: /has 1 item\(s\), so index \[5\] would leave a gap; use \[1\] to append/ },
	{ name: 'path ending at an object', text: '{"ota": {"url": "x"}}', keyPath: 'ota', code: 'KeyPathConflict', message: /Cannot set "ota": it is an object; the key path must end at a single value/ },
	{ name: 'root is an array', text: '[1, 2]', keyPath: 'a', code: 'KeyPathConflict', message: /the top level of the file is an array/ },
	{ name: 'bad key path', text: '{}', keyPath: 'a..b', code: 'InvalidKeyPath', message: /Invalid key path "a\.\.b"/ },
]);
