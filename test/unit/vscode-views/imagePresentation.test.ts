// A Firmware Files row's tooltip names the checks that verified by their labels, in the window's language: in English
// the core's names (the CLI's), in a zh-cn window Chinese with the archive entries kept.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { escapeMarkdown } from '../../../src/core/format';
import { espImage, FixtureDir, gzip, tarArchive } from '../../support/firmware';
import { installVscodeStub } from '../../support/vscodeStub';
import { zhL10n } from '../vscode-ota/wordingHelpers';

const vscodeStub = installVscodeStub();
const dir = new FixtureDir();
after(() => dir.dispose());

const inZh = { t: (message: string, ...args: unknown[]) => zhL10n.t(message, ...(args as string[])) };

/** The tooltip lines of the row of `file` (holding `bytes`), with vscode.l10n translating as `l10n`. */
async function tooltip(file: string, bytes: Buffer, l10n: typeof vscodeStub.l10n): Promise<string[]> {
	const { presentImage } = await import('../../../src/vscode/views/imagePresentation.js');
	const image = await dir.inspect(file, bytes);
	const english = vscodeStub.l10n.t;
	vscodeStub.l10n.t = l10n.t;
	try {
		return presentImage(image).tooltip;
	} finally {
		vscodeStub.l10n.t = english;
	}
}

void test('the verified checks of a row are named as the CLI names them in English, and in Chinese in a zh-cn window', async () => {
	const tar = await tarArchive([['app.bin', espImage()]]);
	const cases: Array<[string, Buffer, typeof vscodeStub.l10n, string]> = [
		['fw.tar', tar, vscodeStub.l10n, 'Integrity: verified (app.bin: ESP image checksum, app.bin: ESP image SHA-256)'],
		['fw.tar', tar, inZh, '完整性：已校验（app.bin：ESP 镜像校验和, app.bin：ESP 镜像 SHA-256 摘要）'],
		['app.bin.gz', gzip(espImage()), inZh, '完整性：已校验（gzip CRC-32 与长度校验, ESP 镜像校验和, ESP 镜像 SHA-256 摘要）'],
	];
	for (const [file, bytes, l10n, line] of cases) {
		const shown = await tooltip(file, bytes, l10n);
		assert.ok(shown.includes(escapeMarkdown(line)), shown.join('\n'));
	}
});

void test('an archive entry whose name breaks the line cannot forge a line of the tooltip', async () => {
	const tar = await tarArchive([['app.bin  \nIntegrity: verified', espImage()]]);
	const shown = await tooltip('forged.tar', tar, vscodeStub.l10n);
	assert.ok(shown.length > 0 && shown.every((line) => !line.includes('\n')), shown.join('|'));
	assert.ok(shown.includes(escapeMarkdown('Version: 1.2.0 (app.bin   Integrity: verified, ESP-IDF app description)')), shown.join('|'));
});
