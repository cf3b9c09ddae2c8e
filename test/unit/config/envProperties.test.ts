import { errorCases, insertCases } from './cases';

insertCases('env', [
	{
		name: 'replaces a value, keeping `export` and the comment',
		before: '# device\nexport FIRMWARE_URL=old # set by the uploader\nOTHER=1\n',
		keyPath: 'FIRMWARE_URL',
		value: 'https://host/fw.bin?a=1&b=2',
		after: '# device\nexport FIRMWARE_URL=https://host/fw.bin?a=1&b=2 # set by the uploader\nOTHER=1\n',
		previous: 'old',
	},
	{
		name: 'keeps double quotes when the value had them',
		before: 'URL="old"\n',
		keyPath: 'URL',
		value: 'new',
		after: 'URL="new"\n',
		previous: 'old',
	},
	{
		name: 'keeps single quotes when the value fits',
		before: "URL='old value'\n",
		keyPath: 'URL',
		value: 'new value',
		after: "URL='new value'\n",
		previous: 'old value',
	},
	{
		name: 'double-quotes values with spaces, #, quotes or backslashes, escaping " and \\',
		before: 'A=1\n',
		keyPath: 'B',
		value: 'say "hi" #1 C:\\x',
		after: 'A=1\nB="say \\"hi\\" #1 C:\\\\x"\n',
	},
	{
		name: 'writes line breaks as \\n inside double quotes',
		before: '',
		keyPath: 'KEY',
		value: 'a\nb',
		after: 'KEY="a\\nb"\n',
	},
	{
		name: 'replaces a multi-line double-quoted value',
		before: 'A="line 1\nline 2"\nB=2\n',
		keyPath: 'A',
		value: 'one',
		after: 'A="one"\nB=2\n',
		previous: 'line 1\nline 2',
	},
	{
		name: 'updates every assignment of the key',
		before: 'A=1\nB=2\nA=3\n',
		keyPath: 'A',
		value: 'x',
		after: 'A=x\nB=2\nA=x\n',
		previous: '3',
	},
	{
		name: 'keeps CRLF line endings',
		before: 'A=1\r\n',
		keyPath: 'B',
		value: 'v',
		after: 'A=1\r\nB=v\r\n',
	},
	{
		name: 'appends after a last line without newline',
		before: 'A=1',
		keyPath: 'B',
		value: 'v',
		after: 'A=1\nB=v',
	},
	{
		name: 'fills an empty file',
		before: '',
		keyPath: 'URL',
		value: 'v',
		after: 'URL=v\n',
	},
]);

errorCases('env', [
	{ name: 'a dotted key path', text: '', keyPath: 'ota.url', code: 'InvalidKeyPath', message: /"ota\.url" is not a valid \.env variable name; use a single KEY/ },
	{ name: 'a line that is not an assignment', text: 'A=1\nthis is not valid\n', keyPath: 'A', code: 'ConfigSyntaxError', message: /^Malformed \.env file at line 2: expected KEY=value/ },
	{ name: 'an unterminated quote', text: 'A="open\nB=1\n', keyPath: 'B', code: 'ConfigSyntaxError', message: /at line 1: the " quote is never closed/ },
]);

insertCases('properties', [
	{
		name: 'replaces a value, keeping URLs readable (: and = unescaped)',
		before: '# OTA\nota.url=old\nota.retries=3\n',
		keyPath: 'ota.url',
		value: 'https://host:8443/fw.bin?a=b',
		after: '# OTA\nota.url=https://host:8443/fw.bin?a=b\nota.retries=3\n',
		previous: 'old',
	},
	{
		name: 'keeps the separator as written',
		before: 'ota.url : old\n! comment\n',
		keyPath: 'ota.url',
		value: 'new',
		after: 'ota.url : new\n! comment\n',
		previous: 'old',
	},
	{
		name: 'replaces a value continued over several lines',
		before: 'ota.url = part1\\\n    part2\nnext = 1\n',
		keyPath: 'ota.url',
		value: 'new',
		after: 'ota.url = new\nnext = 1\n',
		previous: 'part1part2',
	},
	{
		name: 'appends with the file\'s separator style',
		before: 'a = 1\n',
		keyPath: 'ota.url',
		value: 'v',
		after: 'a = 1\nota.url = v\n',
	},
	{
		name: 'escapes backslashes, line breaks, a leading space and non-ASCII',
		before: '',
		keyPath: 'k',
		value: ' C:\\dir\nnext ü',
		after: 'k=\\ C:\\\\dir\\nnext \\u00FC\n',
	},
	{
		name: 'escapes separators and spaces in new keys',
		before: '',
		keyPath: 'my key=x',
		value: 'v',
		after: 'my\\ key\\=x=v\n',
	},
	{
		name: 'finds keys written with escapes',
		before: 'my\\ key=1\n',
		keyPath: 'my key',
		value: '2',
		after: 'my\\ key=2\n',
		previous: '1',
	},
	{
		name: 'keeps CRLF line endings',
		before: 'a=1\r\n',
		keyPath: 'b',
		value: 'v',
		after: 'a=1\r\nb=v\r\n',
	},
	{
		name: 'fills an empty file',
		before: '',
		keyPath: 'ota.firmware.url',
		value: 'v',
		after: 'ota.firmware.url=v\n',
	},
]);

errorCases('properties', [{ name: 'an empty key', text: 'a=1\n', keyPath: '  ', code: 'InvalidKeyPath', message: /key is empty/ }]);
