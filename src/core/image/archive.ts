// What ZIP and tar archives share: the entry listing, the images inside (inspected as they stream past), the
// metadata files that declare a version, and how the archive's version is decided (docs/protocols.md §9.3).
import type { InspectionBudget } from './budget';
import type { ByteReader } from './byteReader';
import { integrityOf, signatureOf, withinEntry } from './checks';
import { describeVersionSource, versionsAgree, VERSION_SOURCE_TEXT } from './guard';
import { metadataKind, readDeclaredVersion, type DeclaredVersion } from './manifest';
import type { ArchiveEntry, ContentInfo, InspectOptions, IntegrityCheck } from './types';

export interface NestedContext {
	/** The path of the file being read (named in messages). */
	file: string;
	/** 0 for the file itself; entries of an archive are one deeper. */
	depth: number;
	/** The contents are the whole file (or the payload of a gzip file), so the version marker applies. */
	wholeFile: boolean;
	options: InspectOptions;
	/** Shared by everything read from one file: inflated bytes and archive entries are capped. */
	budget: InspectionBudget;
	/** Inspects nested contents; passed in so the format modules do not import each other in a cycle. */
	inspect(reader: ByteReader, ctx: NestedContext): Promise<ContentInfo>;
}

const MAX_LISTED_ENTRIES = 1000;
const MAX_DEPTH = 4;
const MAX_METADATA_BYTES = 64 * 1024;
const DECLARATION_PRIORITY: ReadonlyArray<DeclaredVersion['source']> = ['nrf-manifest', 'manifest', 'version-file'];

type Identity = Pick<ContentInfo, 'chip' | 'project' | 'version' | 'versionSource' | 'versionAliases' | 'buildDate' | 'toolchain'>;

/** The identity fields of nested contents, carried up to the archive or gzip stream holding them. */
export function identityOf(content: ContentInfo): Identity {
	const { chip, project, version, versionSource, versionAliases, buildDate, toolchain } = content;
	return { chip, project, version, versionSource, versionAliases, buildDate, toolchain };
}

export class ArchiveCollector {
	private readonly entries: ArchiveEntry[] = [];
	private entryCount = 0;
	private readonly checks: IntegrityCheck[] = [];
	private readonly warnings: string[] = [];
	private readonly declared: DeclaredVersion[] = [];
	private readonly nested: Array<{ name: string; content: ContentInfo }> = [];

	constructor(
		private readonly format: 'zip' | 'tar',
		private readonly ctx: NestedContext,
	) {}

	/** Records one entry; `reader` streams a file entry's bytes and is consumed here. */
	async add(name: string, size: number, type: ArchiveEntry['type'], reader?: ByteReader): Promise<ContentInfo | undefined> {
		this.ctx.budget.entry();
		this.entryCount++;
		let content: ContentInfo | undefined;
		if (reader) {
			const metadata = metadataKind(name);
			if (metadata && size <= MAX_METADATA_BYTES) {
				const found = readDeclaredVersion(name, metadata, await reader.read(MAX_METADATA_BYTES));
				if (typeof found === 'string') {
					this.warnings.push(found);
				} else if (found) {
					this.declared.push(found);
				}
			} else if (this.ctx.depth < MAX_DEPTH) {
				const inspected = await this.ctx.inspect(reader, { ...this.ctx, depth: this.ctx.depth + 1, wholeFile: false });
				if (inspected.format !== 'unknown') {
					content = inspected;
					this.nested.push({ name, content });
				}
			}
			await reader.drain();
		}
		if (this.entries.length < MAX_LISTED_ENTRIES) {
			this.entries.push(content ? { name, size, type, content } : { name, size, type });
		}
		return content;
	}

	check(check: IntegrityCheck): void {
		this.checks.push(check);
	}

	warn(warning: string): void {
		this.warnings.push(warning);
	}

	finish(): ContentInfo {
		const prefixed = <T>(list: (content: ContentInfo) => T[], map: (name: string, item: T) => T): T[] =>
			this.nested.flatMap(({ name, content }) => list(content).map((item) => map(name, item)));
		const checks = [
			...this.checks,
			...prefixed(
				(c) => c.integrity.checks,
				(name, check) => withinEntry(name, check),
			),
		];
		const { identity, versionEntry } = this.resolveIdentity();
		return {
			format: this.format,
			...identity,
			integrity: integrityOf(checks),
			signature: signatureOf(
				prefixed(
					(c) => c.signature.kinds,
					(name, kind) => `${name}: ${kind}`,
				),
			),
			archive: {
				entries: this.entries,
				entryCount: this.entryCount,
				listingTruncated: this.entryCount > this.entries.length,
				versionEntry,
			},
			warnings: [
				...this.warnings,
				...prefixed(
					(c) => c.warnings,
					(name, warning) => `${name}: ${warning}`,
				),
			],
		};
	}

	/** A declared version (nRF manifest, manifest.json, VERSION) wins; else the one version all images inside agree on. */
	private resolveIdentity(): { identity: Identity; versionEntry?: string } {
		const versioned = this.nested.filter(({ content }) => content.version !== undefined);
		const declared = DECLARATION_PRIORITY.map((source) => this.declared.find((d) => d.source === source)).find(Boolean);
		if (declared) {
			const about = versioned.filter(({ name }) => !declared.file || name === declared.file);
			const spelled = { version: declared.version, versionAliases: declared.aliases };
			for (const { name, content } of about.filter(({ content }) => !versionsAgree(spelled, content))) {
				this.warnings.push(
					`${declared.entry} declares version ${declared.version} but ${name} (${describeVersionSource(content)}) declares ${content.version}.`,
				);
			}
			const image = about.length === 1 ? identityOf(about[0].content) : {};
			return {
				identity: {
					...image,
					chip: declared.target ?? image.chip,
					version: declared.version,
					versionAliases: declared.aliases,
					versionSource: declared.source,
				},
				versionEntry: declared.entry,
			};
		}
		if (versioned.length === 0) {
			return { identity: {} };
		}
		const [first] = versioned;
		if (versioned.every(({ content }) => versionsAgree(first.content, content))) {
			return { identity: { ...identityOf(first.content), versionSource: 'nested-image' }, versionEntry: first.name };
		}
		const listed = versioned.map(({ name, content }) => `${name} ${content.version} (${VERSION_SOURCE_TEXT[content.versionSource!]})`);
		this.warnings.push(`The images inside declare different versions (${listed.join(', ')}); the archive's version is unknown.`);
		return { identity: {} };
	}
}
