// A Firmware Files row's tooltip names the checks that verified by their labels, in the window's language: in English
// the core's names (the CLI's), in a zh-cn window Chinese with the archive entries kept, outermost first.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { escapeMarkdown } from '../../../src/core/format';
import { espImage, FixtureDir, tarArchive } from '../../support/firmware';
import { installVscodeStub } from '../../support/vscodeStub';
import { zhL10n } from '../vscode-ota/wordingHelpers';

const vscodeStub = installVscodeStub();
const dir = new FixtureDir();
after(() => dir.dispose());

async function tooltip(l10n: typeof vscodeStub.l10n): Promise<string[]> {
	const { presentImage } = await import('../../../src/vscode/views/imagePresentation.js');
	const image = await dir.inspect('fw.tar', await tarArchive([['app.bin', espImage()]]));
	const english = vscodeStub.l10n.t;
	vscodeStub.l10n.t = l10n.t;
	try {
		return presentImage(image).tooltip;
	} finally {
		vscodeStub.l10n.t = english;
	}
}

void test('the verified checks of a row are named as the CLI names them in English, and in Chinese in a zh-cn window', async () => {
	const english = escapeMarkdown('Integrity: verified (app.bin: ESP image checksum, app.bin: ESP image SHA-256)');
	const shown = await tooltip(vscodeStub.l10n);
	assert.ok(shown.includes(english), shown.join('\n'));
	const chinese = escapeMarkdown('完整性：已校验（app.bin：ESP 镜像校验和, app.bin：ESP 镜像 SHA-256 摘要）');
	const zh = await tooltip({ t: (message, ...args) => zhL10n.t(message, ...(args as string[])) });
	assert.ok(zh.includes(chinese), zh.join('\n'));
});
