// The OTA Packages view's "Could not load" row words the error by its reason, in the window's language, masked like the
// notification, and so does its tooltip (the whole line: hint, code); the log line keeps the English line the CLI prints.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { mapPopError } from '../../../src/core/iot/popErrors';
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

/** The OTA view's root after the connection failed with `error`, in a zh-cn window: its row and the log's warnings. */
async function loadFailure(error: unknown): Promise<{ row: { text: string; detail?: string }; warnings: string[] }> {
	const { OtaTreeProvider } = await import('../../../src/vscode/ota/tree.js');
	const plain = stub.l10n.t;
	stub.l10n.t = (message, ...args) => plain(zh[message] ?? message, ...args);
	try {
		const events = { onDidChange: () => ({ dispose: () => undefined }) };
		const warnings: string[] = [];
		const tree = new OtaTreeProvider({
			access: { ...events, current: () => Promise.reject(error) },
			watches: events,
			log: { warn: (line: string) => warnings.push(line) },
			mask: { list: () => ['sEcReT'], apply: (text: string) => text.replaceAll('sEcReT', '****') },
			groups: { profiles: { active: () => undefined } },
			onDidChangeFolders: events.onDidChange,
		} as never);
		const [row] = (await tree.getChildren()) as Array<{ text: string; detail?: string }>;
		return { row, warnings };
	} finally {
		stub.l10n.t = plain;
	}
}

void test('in a zh-cn window the "Could not load" row and its tooltip are the error worded by its reason and masked, values too; the log keeps the English', async () => {
	const { row, warnings } = await loadFailure(
		transportError({ name: 'Error', code: 'ECONNRESET', message: 'hang up near sEcReT' }, 'b.oss', []),
	);
	assert.equal(row.text, '无法加载：上传到 b.oss 失败：hang up near ****');
	assert.equal(row.detail, '上传到 b.oss 失败：hang up near ****（ECONNRESET）');
	assert.deepEqual(warnings, ['[ota view] Loading the products failed: Upload to b.oss failed: hang up near **** (ECONNRESET)']);
});

void test("the row's tooltip carries the hint in the window's language, the log the English hint", async () => {
	const ctx = { action: 'ListProduct', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };
	const timeout = mapPopError({ name: 'RequestTimeoutError' }, ctx);
	const { row, warnings } = await loadFailure(timeout);
	const hint = zh['Check the network or proxy settings, or raise the request timeout.'];
	assert.ok(hint && row.detail?.includes(hint), row.detail);
	assert.ok(timeout.hint && !row.detail?.includes(timeout.hint), row.detail);
	assert.deepEqual(warnings, [`[ota view] Loading the products failed: ${timeout.describe()}`]);
});
