import { errorCases, insertCases } from './cases';

insertCases('sdkconfig', [
	{
		name: 'replaces an existing string setting',
		before: '#\n# Automatically generated file. DO NOT EDIT.\n#\nCONFIG_OTA_URL="old"\nCONFIG_LOG_LEVEL=3\n',
		keyPath: 'CONFIG_OTA_URL',
		value: 'https://host/fw.bin',
		after: '#\n# Automatically generated file. DO NOT EDIT.\n#\nCONFIG_OTA_URL="https://host/fw.bin"\nCONFIG_LOG_LEVEL=3\n',
		previous: 'old',
	},
	{
		name: 'replaces a "# CONFIG_… is not set" line',
		before: 'CONFIG_A=y\n# CONFIG_OTA_URL is not set\nCONFIG_B=y\n',
		keyPath: 'CONFIG_OTA_URL',
		value: 'u',
		after: 'CONFIG_A=y\nCONFIG_OTA_URL="u"\nCONFIG_B=y\n',
	},
	{
		name: 'adds the CONFIG_ prefix when it is missing',
		before: 'CONFIG_A=y\n',
		keyPath: 'OTA_URL',
		value: 'u',
		after: 'CONFIG_A=y\nCONFIG_OTA_URL="u"\n',
	},
	{
		name: 'escapes double quotes and backslashes',
		before: '',
		keyPath: 'CONFIG_S',
		value: 'a"b\\c',
		after: 'CONFIG_S="a\\"b\\\\c"\n',
	},
	{
		name: 'keeps CRLF line endings (prj.conf edited on Windows)',
		before: 'CONFIG_A=y\r\n',
		keyPath: 'CONFIG_URL',
		value: 'u',
		after: 'CONFIG_A=y\r\nCONFIG_URL="u"\r\n',
	},
	{
		name: 'quotes a previously unquoted value',
		before: 'CONFIG_URL=abc\n',
		keyPath: 'CONFIG_URL',
		value: 'abc',
		after: 'CONFIG_URL="abc"\n',
		previous: 'abc',
	},
]);

errorCases('sdkconfig', [
	{
		name: 'a symbol with invalid characters',
		text: '',
		keyPath: 'CONFIG_OTA-URL',
		code: 'InvalidKeyPath',
		message: /"CONFIG_OTA-URL" is not a Kconfig symbol/,
	},
	{ name: 'a dotted key', text: '', keyPath: 'ota.url', code: 'InvalidKeyPath', message: /is not a Kconfig symbol/ },
	{
		name: 'a line that is not a setting',
		text: 'CONFIG_A=y\nA = b\n',
		keyPath: 'CONFIG_B',
		code: 'ConfigSyntaxError',
		message: /^Malformed Kconfig file at line 2/,
	},
	{
		name: 'a value with a line break',
		text: '',
		keyPath: 'CONFIG_B',
		value: 'a\nb',
		code: 'UnsupportedValue',
		message: /cannot contain line breaks/,
	},
	{
		name: 'a value with another control character (kconfig copies it raw into sdkconfig.h)',
		text: '',
		keyPath: 'CONFIG_B',
		value: 'a\u001b[2Jb',
		code: 'UnsupportedValue',
		message: /^Kconfig string values cannot contain line breaks or other control characters\./,
	},
]);

insertCases('c-header', [
	{
		name: 'replaces a define, keeping indentation, spacing and the trailing comment',
		before: '#pragma once\n  #  define OTA_URL   "old"  // set by the uploader\n#define OTHER 1\n',
		keyPath: 'OTA_URL',
		value: 'https://host/fw.bin',
		after: '#pragma once\n  #  define OTA_URL   "https://host/fw.bin"  // set by the uploader\n#define OTHER 1\n',
		previous: 'old',
	},
	{
		name: 'inserts before the include guard #endif (after the last content line)',
		before: '/* OTA settings */\n#ifndef OTA_CONFIG_H\n#define OTA_CONFIG_H\n\n#define OTA_PORT 443\n\n#endif /* OTA_CONFIG_H */\n',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '/* OTA settings */\n#ifndef OTA_CONFIG_H\n#define OTA_CONFIG_H\n\n#define OTA_PORT 443\n#define OTA_URL "u"\n\n#endif /* OTA_CONFIG_H */\n',
	},
	{
		name: 'inserts after #pragma once',
		before: '#pragma once\n\n#include <stdint.h>\n',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '#pragma once\n#define OTA_URL "u"\n\n#include <stdint.h>\n',
	},
	{
		name: 'appends at the end of a header without guard',
		before: '#define A 1',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '#define A 1\n#define OTA_URL "u"',
	},
	{
		name: 'gives a valueless define a value',
		before: '#define OTA_URL // to be filled in\n',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '#define OTA_URL "u" // to be filled in\n',
	},
	{
		name: 'replaces a value continued with a backslash',
		before: '#define OTA_URL \\\n    "old"\nint x;\n',
		keyPath: 'OTA_URL',
		value: 'new',
		after: '#define OTA_URL \\\n    "new"\nint x;\n',
		previous: 'old',
	},
	{
		name: 'ignores defines inside block comments and similarly named macros',
		before: '/*\n#define OTA_URL "commented"\n*/\n#define OTA_URL_V2 "x"\n',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '/*\n#define OTA_URL "commented"\n*/\n#define OTA_URL_V2 "x"\n#define OTA_URL "u"\n',
	},
	{
		name: 'escapes quotes, backslashes, line breaks, control characters and trigraphs',
		before: '',
		keyPath: 'S',
		value: 'a"b\\c\nd\u0001e??=f ü',
		after: '#define S "a\\"b\\\\c\\nd\\001e?\\?=f ü"\n',
	},
	{
		name: 'keeps CRLF line endings',
		before: '#ifndef H\r\n#define H\r\n#define A 1\r\n#endif\r\n',
		keyPath: 'URL',
		value: 'u',
		after: '#ifndef H\r\n#define H\r\n#define A 1\r\n#define URL "u"\r\n#endif\r\n',
	},
	{
		name: 'fills an empty file',
		before: '',
		keyPath: 'OTA_URL',
		value: 'u',
		after: '#define OTA_URL "u"\n',
	},
]);

errorCases('c-header', [
	{ name: 'a name starting with a digit', text: '', keyPath: '1URL', code: 'InvalidKeyPath', message: /"1URL" is not a C identifier/ },
	{ name: 'a dotted name', text: '', keyPath: 'ota.url', code: 'InvalidKeyPath', message: /is not a C identifier/ },
	{
		name: 'a function-like macro',
		text: '#define OTA_URL(x) x\n',
		keyPath: 'OTA_URL',
		code: 'UnsupportedValue',
		message: /OTA_URL is a function-like macro/,
	},
]);
