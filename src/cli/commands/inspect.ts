import path from 'node:path';
import {
	compileVersionMarker,
	describeVersionSource,
	FORMAT_TEXT,
	inspectFirmware,
	type ArchiveDetails,
	type FirmwareIdentity,
	type IntegrityCheck,
} from '../../core/image';
import { booleanFlag, stringFlag, VERSION_MARKER_FLAG, type CommandSpec, type ParsedArgs } from '../args';
import { formatBytes, formatCount } from '../../core/format';
import { printable } from '../../core/printable';
import { EXIT_OK, EXIT_USAGE, type CliContext, type SafeOutput } from '../io';

export const INSPECT_SPEC: CommandSpec = {
	name: 'inspect',
	summary: 'Read what a firmware file says about itself: format, chip, version, integrity, signature, hashes.',
	synopsis: '<file> [flags]',
	positionals: { min: 1, max: 1 },
	flags: [VERSION_MARKER_FLAG],
	notes: [
		'Knows ESP-IDF application images, MCUboot images (Zephyr, nRF Connect SDK) and .zip/.tar/.tar.gz/.gz archives.',
		'Exit codes: 0 the file is consistent, 2 it is damaged (checksum or digest mismatch, cut short) or its contents do not match its suffix.',
	],
};

const LISTED_ENTRIES = 20;

export async function runInspectCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const marker = stringFlag(args.values, 'version-marker');
	const identity = await inspectFirmware(path.resolve(ctx.cwd, args.positionals[0]), {
		versionMarker: marker === undefined ? undefined : compileVersionMarker(marker),
		signal: ctx.signal,
	});
	if (booleanFlag(args.values, 'json')) {
		out.json(identity);
	} else {
		out.out(describeIdentity(identity));
	}
	return identity.consistent ? EXIT_OK : EXIT_USAGE;
}

function checkText(check: IntegrityCheck): string {
	const detail = check.detail ?? (check.stored !== undefined ? `stored ${check.stored}, computed ${check.computed ?? '?'}` : undefined);
	return detail ? `${check.name} (${detail})` : check.name;
}

function integrityText(identity: FirmwareIdentity): string {
	const { verdict, checks } = identity.integrity;
	if (verdict === 'damaged') {
		return `DAMAGED: ${checks
			.filter((c) => c.status === 'mismatch')
			.map(checkText)
			.join('; ')}`;
	}
	const unverifiable = checks.filter((c) => c.status === 'unverifiable').map((c) => `not checked: ${checkText(c)}`);
	const verified = checks.filter((c) => c.status === 'verified').map((c) => c.name);
	const parts = verdict === 'verified' ? [`verified: ${verified.join(', ')}`, ...unverifiable] : ['nothing to verify', ...unverifiable];
	return parts.join('; ');
}

function entryLines(archive: ArchiveDetails | undefined): string[] {
	if (!archive) {
		return [];
	}
	const lines = archive.entries.slice(0, LISTED_ENTRIES).map((entry) => {
		const content = entry.content;
		const what = content ? `  ${FORMAT_TEXT[content.format]}${content.version ? ` ${content.version}` : ''}` : '';
		return `  ${entry.type === 'directory' ? entry.name : `${entry.name}  ${formatBytes(entry.size)}`}${what}`;
	});
	const more = archive.entryCount - lines.length;
	return [`Entries:    ${archive.entryCount}`, ...lines, ...(more > 0 ? [`  … and ${more} more`] : [])];
}

export function describeIdentity(identity: FirmwareIdentity): string {
	const value = (text: string | undefined): string => text ?? 'unknown';
	const version = identity.version ? `${identity.version} (${describeVersionSource(identity)})` : 'unknown (the file declares none)';
	const aliases = identity.versionAliases?.length ? `, also written ${identity.versionAliases.join(', ')}` : '';
	const inner = identity.inner ? ` of ${FORMAT_TEXT[identity.inner.format]}` : '';
	const suffix = identity.suffix.status === 'match' ? `.${identity.suffix.suffix} matches the contents` : identity.suffix.message;
	const lines = [
		`File:       ${identity.file} (${formatBytes(identity.size)}, ${formatCount(identity.size)} bytes)`,
		`Format:     ${FORMAT_TEXT[identity.format]}${inner}`,
		`Chip:       ${value(identity.chip)}`,
		`Project:    ${value(identity.project)}`,
		`Version:    ${version}${aliases}`,
		`Built:      ${value(identity.buildDate)}`,
		`Toolchain:  ${value(identity.toolchain)}`,
		`Integrity:  ${integrityText(identity)}`,
		`Signature:  ${identity.signature.present ? identity.signature.kinds.join(', ') : 'none'}`,
		`MD5:        ${identity.md5}`,
		`SHA-256:    ${identity.sha256}`,
		`Suffix:     ${suffix}`,
		...entryLines(identity.archive ?? identity.inner?.archive),
		...identity.warnings.map((warning) => `Warning:    ${warning}`),
	];
	const problems = [
		...(identity.integrity.verdict === 'damaged'
			? ['the contents are damaged (see Integrity); rebuild the file or copy it again']
			: []),
		...(identity.suffix.status === 'mismatch' ? ['the contents do not match the suffix (see Suffix)'] : []),
	];
	lines.push('', problems.length ? `Not consistent: ${problems.join('; ')}.` : 'Consistent.');
	// One printable line each: a line break in an archive entry's name (in a check's name, the listing, the version
	// source) cannot forge a line such as "Consistent.".
	return `${lines.map(printable).join('\n')}\n`;
}
