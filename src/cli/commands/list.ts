import { stringFlag, booleanFlag, type CommandSpec, type FlagValues, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS, createClient, resolveConnection } from '../connection';
import { formatBytes } from '../../core/format';
import type { ListAction } from '../../core/iot/actions';
import { DEFAULT_PAGE_SIZE, listPage } from '../../core/iot/paging';
import { FIRMWARE_STATUS_TEXT } from '../../core/lifecycle/types';
import { printable } from '../../core/printable';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { forFlagOf, VERBOSE_FLAG, wholeNumber } from '../lifecycleArgs';

const PAGE_FLAGS = [
	{ name: 'page', type: 'string', value: 'N', description: 'Page number, from 1 (default 1).' },
	{ name: 'page-size', type: 'string', value: 'N', description: `Items per page (default ${DEFAULT_PAGE_SIZE}).` },
] as const;

export const LIST_SPEC: CommandSpec = {
	name: 'list',
	summary: 'List OTA firmware packages with their verification state (ListOTAFirmware).',
	synopsis: '[--product-key PK] [--dest-version V] [flags]',
	positionals: { min: 0, max: 0 },
	flags: [
		{ name: 'product-key', type: 'string', value: 'PK', description: 'Only packages of this product.' },
		{ name: 'dest-version', type: 'string', value: 'V', description: 'Only packages with this destination version.' },
		...PAGE_FLAGS,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
};

export const PRODUCTS_SPEC: CommandSpec = {
	name: 'products',
	summary: 'List the products of the account or instance (QueryProductList).',
	synopsis: '[flags]',
	positionals: { min: 0, max: 0 },
	flags: [...PAGE_FLAGS, ...CONNECTION_FLAGS, VERBOSE_FLAG],
};

async function connect(args: ParsedArgs, ctx: CliContext, out: SafeOutput) {
	const connection = await resolveConnection(args.values, ctx.env);
	out.addSecrets(connection.credentials.accessKeySecret, connection.credentials.securityToken);
	return createClient(connection, out.logger(booleanFlag(args.values, 'verbose')), ctx.env);
}

/** Aligned columns; every cell is made printable first (server text). */
export function table(cells: string[][]): string {
	const rows = cells.map((row) => row.map(printable));
	const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
	return (
		rows
			.map((row) =>
				row
					.map((cell, col) => cell.padEnd(widths[col]))
					.join('  ')
					.trimEnd(),
			)
			.join('\n') + '\n'
	);
}

/** --page and --page-size, held to the core's paging of `action` before any call. */
function pageFlags(values: FlagValues, action: ListAction): { currentPage: number; pageSize: number } {
	const query = {
		currentPage: wholeNumber(values, 'page', 'a whole number'),
		pageSize: wholeNumber(values, 'page-size', 'a whole number'),
	};
	return forFlagOf(
		(code) => (code === 'InvalidCurrentPage' ? 'page' : 'page-size'),
		() => listPage(action, query),
	);
}

function pageFooter(page: { currentPage: number; pageCount: number; total: number }): string {
	return `Page ${page.currentPage} of ${Math.max(1, page.pageCount)} (${page.total} in total)\n`;
}

export async function runListCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const query = {
		...pageFlags(values, 'ListOTAFirmware'),
		productKey: stringFlag(values, 'product-key'),
		destVersion: stringFlag(values, 'dest-version'),
	};
	const client = await connect(args, ctx, out);
	const page = await client.listOtaFirmware(query, ctx.signal);
	if (booleanFlag(values, 'json')) {
		out.json(page);
		return EXIT_OK;
	}
	if (page.items.length === 0) {
		out.out(`No firmware packages.\n${pageFooter(page)}`);
		return EXIT_OK;
	}
	const rows = [['FIRMWARE ID', 'NAME', 'VERSION', 'PRODUCT', 'SIZE', 'VERIFICATION', 'CREATED']];
	for (const fw of page.items) {
		rows.push([
			fw.firmwareId,
			fw.firmwareName,
			fw.destVersion,
			fw.productKey ?? '',
			fw.firmwareSize === undefined ? '' : formatBytes(fw.firmwareSize),
			fw.status === undefined ? '' : (FIRMWARE_STATUS_TEXT[fw.status] ?? String(fw.status)),
			fw.utcCreate ?? '',
		]);
	}
	out.out(table(rows) + pageFooter(page));
	return EXIT_OK;
}

export async function runProductsCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const query = pageFlags(values, 'QueryProductList');
	const client = await connect(args, ctx, out);
	const page = await client.queryProductList(query, ctx.signal);
	if (booleanFlag(values, 'json')) {
		out.json(page);
		return EXIT_OK;
	}
	if (page.items.length === 0) {
		out.out(`No products.\n${pageFooter(page)}`);
		return EXIT_OK;
	}
	const rows = [['PRODUCT KEY', 'NAME', 'DEVICES']];
	for (const product of page.items) {
		rows.push([product.productKey, product.productName, product.deviceCount === undefined ? '' : String(product.deviceCount)]);
	}
	out.out(table(rows) + pageFooter(page));
	return EXIT_OK;
}
