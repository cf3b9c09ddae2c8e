import { listDeviceVersions } from '../../core/lifecycle/inventory';
import { DEFAULT_MODULE } from '../../core/otaFacts';
import { booleanFlag, stringFlag, usageError, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, VERBOSE_FLAG } from '../lifecycleArgs';
import { table } from './list';

export const DEVICES_SPEC: CommandSpec = {
	name: 'devices',
	summary: "List a product's devices: name, online state and the version of each OTA module.",
	synopsis: '--product-key PK [--version V] [--online] [--json] [flags]',
	positionals: { min: 0, max: 0 },
	flags: [
		{ name: 'product-key', type: 'string', value: 'PK', description: 'The product (required).' },
		{ name: 'version', type: 'string', value: 'V', description: 'Only devices reporting this version (any module).' },
		{ name: 'online', type: 'boolean', description: 'Only devices that are online.' },
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
	notes: ['Large products take a while: QueryDevice reads 50 devices per call and BatchQueryDeviceDetail 100 (5 calls/s).'],
};

export async function runDevicesCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const productKey = stringFlag(values, 'product-key')?.trim();
	if (!productKey) {
		throw usageError('iot-ota devices needs --product-key.', 'Example: iot-ota devices --product-key a1BcDeFgHiJ --online');
	}
	const { client } = await connectLifecycle(args, ctx, out);
	const devices = await listDeviceVersions(client, {
		productKey,
		version: stringFlag(values, 'version'),
		onlineOnly: booleanFlag(values, 'online'),
		signal: ctx.signal,
	});
	if (booleanFlag(values, 'json')) {
		out.json({ productKey, total: devices.length, devices });
		return EXIT_OK;
	}
	if (devices.length === 0) {
		out.out('No matching devices.\n');
		return EXIT_OK;
	}
	const modules = [...new Set(devices.flatMap((device) => Object.keys(device.versions)))].sort((a, b) =>
		a === DEFAULT_MODULE ? -1 : b === DEFAULT_MODULE ? 1 : a.localeCompare(b),
	);
	const rows = [['DEVICE', 'STATUS', ...modules.map((module) => module.toUpperCase())]];
	for (const device of devices) {
		rows.push([device.deviceName, device.status ?? '', ...modules.map((module) => device.versions[module] ?? '')]);
	}
	out.out(`${table(rows)}${devices.length} device${devices.length === 1 ? '' : 's'}\n`);
	return EXIT_OK;
}
