import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { curlCommandLine, TICKET_PLACEHOLDERS, type PlannedPostObject } from '../../../src/core/flow';
import { postObjectFields } from '../../../src/core/upload/postFormBuilder';

void describe('curlCommandLine', () => {
	const post = (filePath: string): PlannedPostObject => ({
		action: 'PostObject',
		method: 'POST',
		params: { ...Object.fromEntries(postObjectFields(TICKET_PLACEHOLDERS)), file: filePath },
		host: TICKET_PLACEHOLDERS.host,
		size: 1,
	});

	void test('the ticket fields come from shell variables, literal fields are quoted, the file is last', () => {
		assert.equal(
			curlCommandLine(post('/fw/app.bin')),
			'curl --form-string "key=$Key" --form-string "OSSAccessKeyId=$OSSAccessKeyId" --form-string "policy=$Policy" ' +
				'--form-string "Signature=$Signature" --form-string success_action_status=200 ' +
				`-F 'file=@"/fw/app.bin";type=application/octet-stream' "$Host"`,
		);
	});

	void test('a path with quotes, spaces, a semicolon and a backslash stays one word for the shell and one file name for curl', () => {
		const line = curlCommandLine(post(`/fw/my "odd" dir's;x\\app.bin`));
		assert.ok(line.endsWith(` -F 'file=@"/fw/my \\"odd\\" dir'\\''s;x\\\\app.bin";type=application/octet-stream' "$Host"`), line);
	});
});
