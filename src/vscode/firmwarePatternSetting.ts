// The one setting for extra firmware files, iotOta.firmwarePatterns: its syntax, what the Firmware Files view and the
// Explorer menu make of it, and how the two settings it replaced move into it (pure: no vscode import, unit-tested).
//
// A pattern without "/" matches file names in any folder ("*.hex", "fw-*.ota"; ".img" is short for "*.img"); one with
// "/" is a glob relative to each workspace folder ("out/**/*.bin"); a leading "./" anchors a name to the folder's top.

/** The settings iotOta.firmwarePatterns replaced, and how each one's entries read in the new syntax. */
export const LEGACY_PATTERN_SETTINGS = [
	/** Explorer menu patterns: the same syntax. */
	{ key: 'extraFirmwarePatterns', convert: (pattern: string) => pattern },
	/** Firmware Files globs, always relative to the folder: a bare "*.bin" meant the folder's top, now "./*.bin". */
	{ key: 'firmwareGlobs', convert: (glob: string) => (glob.includes('/') ? glob : `./${glob}`) },
] as const;

export type LegacyPatternKey = (typeof LEGACY_PATTERN_SETTINGS)[number]['key'];

/** Usable entries: strings, trimmed, "\" as "/", without duplicates; blank, absolute and parent ("..") paths dropped. */
export function cleanPatterns(value: unknown): string[] {
	if (!Array.isArray(value)) {
		return [];
	}
	const patterns = value
		.filter((p): p is string => typeof p === 'string')
		.map((p) => p.trim().replace(/\\/g, '/'))
		.filter((p) => p !== '' && p !== './' && !p.startsWith('/') && !/^[a-zA-Z]:/.test(p) && !p.split('/').includes('..'));
	return [...new Set(patterns)];
}

/** `current` followed by the entries of `added` it lacks. */
export function mergePatterns(current: readonly string[], added: readonly string[]): string[] {
	return [...new Set([...current, ...added])];
}

/** The legacy values, converted; entries of values that are not arrays of strings are ignored. */
export function convertLegacy(values: Partial<Record<LegacyPatternKey, unknown>>): string[] {
	return LEGACY_PATTERN_SETTINGS.flatMap(({ key, convert }) => cleanPatterns(values[key]).map(convert));
}

/** What applies: the setting, plus legacy values a failed migration left behind (so nothing the user set is lost). */
export function effectivePatterns(current: unknown, legacy: Partial<Record<LegacyPatternKey, unknown>>): string[] {
	return cleanPatterns(mergePatterns(cleanPatterns(current), convertLegacy(legacy)));
}

/** The glob relative to a workspace folder that a pattern stands for. */
export function patternGlob(pattern: string): string {
	if (pattern.startsWith('./')) {
		return pattern.slice(2);
	}
	if (pattern.includes('/')) {
		return pattern;
	}
	return `**/${pattern.startsWith('.') ? `*${pattern}` : pattern}`;
}

/** The Explorer menu's view of the patterns: extnames for `resourceExtname in …`, the rest as globs to resolve. */
export interface ExplorerPatterns {
	/** ".hex" in the spellings the menu may see (lower, upper and as written). */
	extnames: string[];
	/** Globs relative to a workspace folder, to be resolved to file names for `resourceFilename in …`. */
	globs: string[];
}

/** "*.hex" / ".hex" → extname; anything else ("fw-*.ota", "build/**\/*.ota", "./*.bin") → glob. */
export function explorerPatterns(patterns: readonly string[]): ExplorerPatterns {
	const extnames = new Set<string>();
	const globs: string[] = [];
	for (const pattern of patterns) {
		const ext = /^\*?\.([A-Za-z0-9_-]{1,16})$/.exec(pattern);
		if (ext) {
			extnames.add(`.${ext[1].toLowerCase()}`);
			extnames.add(`.${ext[1].toUpperCase()}`);
			extnames.add(`.${ext[1]}`);
		} else {
			globs.push(patternGlob(pattern));
		}
	}
	return { extnames: [...extnames], globs };
}

/** A settings scope the migration visits. */
export type MigrationScope<F> = { kind: 'user' } | { kind: 'workspace' } | { kind: 'folder'; folder: F };

/**
 * User settings; workspace settings when a folder is open; and each folder's settings in a multi-root workspace (in a
 * single-folder window the folder's settings are the workspace settings).
 */
export function migrationScopes<F>(folders: readonly F[], multiRoot: boolean): MigrationScope<F>[] {
	return [
		{ kind: 'user' },
		...(folders.length > 0 ? [{ kind: 'workspace' as const }] : []),
		...(multiRoot ? folders.map((folder) => ({ kind: 'folder' as const, folder })) : []),
	];
}

/**
 * How a scope's old values move: user settings at once; workspace and folder settings, files of the repository, only
 * in a trusted workspace and after asking (meanwhile the old values keep applying).
 */
export function migrationConsent(kind: MigrationScope<unknown>['kind'], trusted: boolean): 'move' | 'ask' | 'skip' {
	return kind === 'user' ? 'move' : trusted ? 'ask' : 'skip';
}

/** Values set at one scope (user, workspace or one folder): the setting's and each legacy one's (undefined = unset). */
export interface ScopeValues {
	current: unknown;
	legacy: Partial<Record<LegacyPatternKey, unknown>>;
}

/** The writes that move one scope's legacy values into iotOta.firmwarePatterns; undefined when there is nothing to move. */
export interface ScopeMigration {
	/** The new value of iotOta.firmwarePatterns at this scope (unchanged entries first). */
	patterns: string[];
	/** Legacy keys to remove at this scope. */
	remove: LegacyPatternKey[];
	/** The entries that were added. */
	added: string[];
}

/**
 * Legacy values that are arrays move (converted, merged, then removed); anything else at a legacy key stays where it
 * is, since it was never a valid value and removing it would lose what the user typed.
 */
export function planScopeMigration(values: ScopeValues): ScopeMigration | undefined {
	const remove = LEGACY_PATTERN_SETTINGS.map(({ key }) => key).filter((key) => Array.isArray(values.legacy[key]));
	if (remove.length === 0) {
		return undefined;
	}
	const current = Array.isArray(values.current) ? values.current.filter((p): p is string => typeof p === 'string') : [];
	const moved = convertLegacy(Object.fromEntries(remove.map((key) => [key, values.legacy[key]])));
	const patterns = mergePatterns(current, moved);
	return { patterns, remove, added: patterns.slice(current.length) };
}
