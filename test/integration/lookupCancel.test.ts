// Cancel on the notification of the same-content lookup (shown once the lookup takes a while): Upload Firmware and
// Show Upload Commands… end as a cancel, silently, with nothing uploaded, registered or opened.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands, UPLOAD_COMMANDS_SCHEME } from '../../src/vscode/constants';
import { espImage } from '../support/firmware';
import { fileUri, useSuite } from './helpers/ota';

describe('IoT OTA cancel during the same-content lookup', () => {
	const ctx = useSuite();
	const versioned = () => fileUri('lookup-cancel.bin');
	const commandDocuments = () => vscode.workspace.textDocuments.filter((d) => d.uri.scheme === UPLOAD_COMMANDS_SCHEME).length;

	before(() => writeFileSync(versioned().fsPath, espImage({ app: { version: '3.1.0' } })));

	for (const command of [Commands.uploadFirmware, Commands.showUploadCommands]) {
		it(`${command}: Cancel on the lookup's notification ends it as a cancel; nothing is uploaded, registered or opened`, async () => {
			const { api, sandbox } = ctx;
			const rows = api.history.all().length;
			const documents = commandDocuments();
			// The lookup is held until the sandbox lets it go: it takes a while, so its notification appears and is cancelled.
			sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'hold' });
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' }, { id: 'upload.lookup', cancel: true });
			try {
				assert.equal(await vscode.commands.executeCommand(command, versioned()), undefined);
				assert.deepEqual(
					sandbox.faults.holding(),
					[{ target: 'api', action: 'ListOTAFirmware' }],
					'it ended before the lookup was answered',
				);
			} finally {
				sandbox.faults.clear();
			}
			const lookup = api.testSeam.calls.filter((c) => c.id === 'upload.lookup');
			assert.deepEqual(
				lookup.map((c) => [c.kind, c.text, c.cancelled]),
				[['slowStep', 'Looking for lookup-cancel.bin 3.1.0 among the OTA packages…', true]],
			);
			assert.deepEqual(
				sandbox.requests.entries.map((e) => `${e.target} ${e.action}`),
				['api ListOTAFirmware'],
				'nothing but the lookup was sent',
			);
			assert.equal(sandbox.stats.ossUploads, 0, 'nothing uploaded');
			assert.equal(api.history.all().length, rows, 'no history row');
			assert.equal(commandDocuments(), documents, 'no document opened');
			assert.deepEqual(api.testSeam.messages(), [], 'a cancel is silent: no error, no result');
			assert.equal(api.testSeam.pending(), 0);
		});
	}
});
