// `iot-ota groups` and `iot-ota modules`: the ids `rollout --group` and `upload --module` take, as the extension's
// roll-out group pick and module pick show them (the core's listDeviceGroups, ListOTAModuleByProduct).
import { listDeviceGroups } from '../../core/lifecycle';
import { formatCount } from '../../core/format';
import { booleanFlag, stringFlag, usageError, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, VERBOSE_FLAG } from '../lifecycleArgs';
import { table } from './list';

export const GROUPS_SPEC: CommandSpec = {
	name: 'groups',
	summary: 'List the device groups (static and dynamic) a rollout can target with --group.',
	synopsis: '[--json] [flags]',
	positionals: { min: 0, max: 0 },
	flags: [...CONNECTION_FLAGS, VERBOSE_FLAG],
	notes: ['A dynamic group makes a dynamic rollout: devices that join the group later get the package too.'],
};

export const MODULES_SPEC: CommandSpec = {
	name: 'modules',
	summary: "List a product's OTA modules (ListOTAModuleByProduct): the names upload --module takes.",
	synopsis: '--product-key PK [--json] [flags]',
	positionals: { min: 0, max: 0 },
	flags: [
		{ name: 'product-key', type: 'string', value: 'PK', description: 'The product (required).' },
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
};

export async function runGroupsCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { client } = await connectLifecycle(args, ctx, out);
	const { groups, total } = await listDeviceGroups(client, ctx.signal);
	if (booleanFlag(args.values, 'json')) {
		out.json({ total, groups });
		return EXIT_OK;
	}
	if (groups.length === 0) {
		out.out('No device groups.\n');
		return EXIT_OK;
	}
	const listed = groups.length < total ? ` (the first ${formatCount(groups.length)} of ${formatCount(total)})` : '';
	const rows = [['GROUP ID', 'NAME', 'TYPE', 'DESCRIPTION']];
	for (const group of groups) {
		rows.push([group.groupId, group.groupName, group.dynamic ? 'dynamic' : 'static', group.groupDesc ?? '']);
	}
	out.out(`${table(rows)}${groups.length} group${groups.length === 1 ? '' : 's'}${listed}\n`);
	return EXIT_OK;
}

export async function runModulesCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const productKey = stringFlag(args.values, 'product-key')?.trim();
	if (!productKey) {
		throw usageError('iot-ota modules needs --product-key.', 'Example: iot-ota modules --product-key a1BcDeFgHiJ');
	}
	const { client } = await connectLifecycle(args, ctx, out);
	const modules = await client.listOtaModules(productKey, ctx.signal);
	if (booleanFlag(args.values, 'json')) {
		out.json({ productKey, total: modules.length, modules });
		return EXIT_OK;
	}
	const rows = [['MODULE', 'ALIAS', 'DESCRIPTION']];
	for (const module of modules) {
		rows.push([module.moduleName, module.aliasName ?? '', module.desc ?? '']);
	}
	out.out(`${table(rows)}${modules.length} module${modules.length === 1 ? '' : 's'}\n`);
	return EXIT_OK;
}
