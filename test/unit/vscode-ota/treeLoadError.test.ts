// The OTA Packages view's "Could not load" row words the error by its reason, in the window's language, masked like the
// notification; the log line and the row's detail keep the English line the CLI prints.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { transportError } from '../../../src/core/upload/postObject';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
const api = stub as unknown as Record<string, unknown>;
api.TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
api.ThemeIcon = class {
	constructor(readonly id: string) {}
};
api.ThemeColor = class {
	constructor(readonly id: string) {}
};
api.TreeItem = class {
	constructor(readonly label: unknown) {}
};

const zh = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<
	string,
	string
>;

void test('in a zh-cn window the "Could not load" row is the error worded by its reason and masked, values too', async () => {
	const { OtaTreeProvider } = await import('../../../src/vscode/ota/tree.js');
	const plain = stub.l10n.t;
	stub.l10n.t = (message, ...args) => plain(zh[message] ?? message, ...args);
	try {
		const events = { onDidChange: () => ({ dispose: () => undefined }) };
		const warnings: string[] = [];
		const tree = new OtaTreeProvider({
			access: {
				...events,
				current: () =>
					Promise.reject(transportError({ name: 'Error', code: 'ECONNRESET', message: 'hang up near sEcReT' }, 'b.oss', [])),
			},
			watches: events,
			log: { warn: (line: string) => warnings.push(line) },
			mask: { list: () => ['sEcReT'], apply: (text: string) => text.replaceAll('sEcReT', '****') },
			groups: { profiles: { active: () => undefined } },
			onDidChangeFolders: events.onDidChange,
		} as never);
		const [row] = (await tree.getChildren()) as Array<{ text: string; detail?: string }>;
		assert.equal(row.text, '无法加载：上传到 b.oss 失败：hang up near ****');
		assert.equal(row.detail, 'Upload to b.oss failed: hang up near **** (ECONNRESET)');
		assert.deepEqual(warnings, ['[ota view] Loading the products failed: Upload to b.oss failed: hang up near **** (ECONNRESET)']);
	} finally {
		stub.l10n.t = plain;
	}
});
