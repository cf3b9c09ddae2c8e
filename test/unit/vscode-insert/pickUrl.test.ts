// Insert / Copy FirmwareUrl from the palette offer the rows their Uploads menus offer them on: not a row whose package
// was deleted (docs/extension.md, the Uploads row states).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEntry } from '../../../src/vscode/model';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
Object.assign(stub, { env: { language: 'en' } });

function row(id: string, over: Partial<HistoryEntry>): HistoryEntry {
	return {
		id,
		fileUri: `file:///work/a/${id}.bin`,
		fileName: `${id}.bin`,
		size: 4,
		suffix: 'bin',
		profile: 'default',
		region: 'cn-shanghai',
		startedAt: 1,
		finishedAt: 2,
		status: 'uploaded',
		firmwareUrl: `https://b.oss.example/ota/${id}.bin`,
		...over,
	};
}

void test('the palette pick of Insert and Copy FirmwareUrl leaves out rows whose package was deleted and names the status as the view does', async () => {
	const { copyFirmwareUrl, insertFirmwareUrl } = await import('../../../src/vscode/insert/insertFlow.js');
	const rows = [
		row('uploaded', {}),
		row('registered', { status: 'registered', firmwareId: 'fw-1' }),
		row('deleted', { status: 'deleted', firmwareId: 'fw-2', deletedAt: 3 }),
	];
	for (const command of [copyFirmwareUrl, insertFirmwareUrl]) {
		const offered: string[] = [];
		const described: (string | undefined)[] = [];
		const s = {
			history: { all: () => rows, get: () => undefined },
			prompter: {
				pick: async (_id: string, items: { label: string; description?: string }[]) => {
					offered.push(...items.map((item) => item.label));
					described.push(...items.map((item) => item.description?.split(' · ')[0]));
					return undefined;
				},
			},
		};
		await assert.rejects(command(s as never), /cancel/i);
		assert.deepEqual(offered, ['uploaded.bin', 'registered.bin'], command.name);
		assert.deepEqual(described, ['Uploaded', 'Registered'], 'each row is described by its translated status');
	}
});
