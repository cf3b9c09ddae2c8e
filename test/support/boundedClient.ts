// One client call against a hostile server, alone in its own process so its memory can be measured. Prints one JSON
// line: the error code (or "ok") and how far the peak resident size grew during the call (bytes).
//   node --import tsx test/support/boundedClient.ts <api|oss|deviceList> <url> [file]
import { IotClient } from '../../src/core/iotClient';
import { postDeviceList } from '../../src/core/lifecycle/deviceList';
import { OtaError } from '../../src/core/errors';
import { postFile } from './postFile';

const [scenario, url, file] = process.argv.slice(2);

const ticket = {
	host: url,
	key: 'ota/hostile/fw.bin',
	policy: 'cG9saWN5',
	ossAccessKeyId: 'LTAIhostile',
	signature: 'c2lnbmF0dXJl',
	firmwareUrl: `${url}/ota/hostile/fw.bin`,
	receivedAt: Date.now(),
};

function run(): Promise<unknown> {
	switch (scenario) {
		case 'api':
			return new IotClient({
				region: 'cn-shanghai',
				endpoint: url,
				credentials: { accessKeyId: 'LTAIhostile', accessKeySecret: 'hostile-secret' },
				timeoutMs: 10_000,
				env: {},
			}).queryOtaFirmware('F1');
		case 'oss':
			return postFile(ticket, file, { timeoutMs: 10_000, env: {} });
		case 'deviceList':
			return postDeviceList({ ...ticket, accessKeyId: 'LTAIhostile', fileUrl: ticket.firmwareUrl }, ['dev1'], {
				env: {},
				timeoutMs: 10_000,
			});
		default:
			throw new Error(`unknown scenario ${scenario}`);
	}
}

async function main(): Promise<void> {
	const before = Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
	let code = 'ok';
	try {
		await run();
	} catch (error) {
		code = error instanceof OtaError ? error.code : String(error);
	}
	const growth = process.resourceUsage().maxRSS * 1024 - before;
	process.stdout.write(`${JSON.stringify({ code, growth })}\n`, () => process.exit(0));
}

void main();
