// Pure rules for which build outputs the Firmware Files view lists (no vscode import: unit-tested in Node).
import { inferSuffix } from '../../core/limits';

export type FirmwareKind = 'platformio' | 'esp-idf' | 'zephyr' | 'build' | 'custom';

/** A file the view lists; `relativePath` is posix, relative to its workspace folder. */
export interface FirmwareCandidate {
	relativePath: string;
	kind: FirmwareKind;
	/** Short origin shown next to the size: PlatformIO env, ESP-IDF chip, Zephyr app, or the containing folder. */
	origin?: string;
}

/** What `build/flasher_args.json` (written by every ESP-IDF build) says, as paths relative to the build folder. */
export interface FlasherArgs {
	app?: string;
	/** Images flashed next to the app (bootloader, partition table, OTA data): serial-only, never OTA packages. */
	otherImages: string[];
	chip?: string;
}

/**
 * One glob over each workspace folder, also matching projects one or two folders down (monorepos).
 * `classifyBuildOutput` is the authority; this only narrows the search and the file watcher.
 */
export const BUILD_OUTPUT_GLOB = '**/{.pio/build/*/firmware.bin,build/*.*,build/zephyr/*.bin,build/*/zephyr/*.bin}';
/**
 * What the file watcher listens to: the outputs plus their folders, because a file written into a folder
 * that was just created (a first build, a new env) is reported as the folder's creation only, and a
 * deleted folder does not report its files.
 */
export const WATCH_GLOB =
	'**/{.pio,.pio/build,.pio/build/*,.pio/build/*/firmware.bin,build,build/*,build/zephyr/*.bin,build/*/zephyr,build/*/zephyr/*.bin}';
export const FLASHER_ARGS_NAME = 'flasher_args.json';
/** Never searched, whatever a user glob says. */
export const SEARCH_EXCLUDE_GLOB = '**/{node_modules,.git,.svn,.hg}/**';
/** How many folders above `.pio`/`build` a project may sit (0 = the workspace folder itself). */
export const MAX_PROJECT_DEPTH = 2;

const EXCLUDED_SEGMENTS = new Set(['node_modules', '.git', '.svn', '.hg']);
/** ESP-IDF writes this next to the app; it only initialises the OTA data partition over serial. */
const NEVER_OTA_NAMES = new Set(['ota_data_initial.bin']);

export function normalizeRelativePath(value: string): string {
	return value
		.replace(/\\/g, '/')
		.split('/')
		.filter((segment) => segment !== '' && segment !== '.')
		.join('/');
}

/** True when a folder of the path is one never searched (node_modules, .git, …). */
export function isExcludedPath(relativePath: string): boolean {
	return relativePath.split('/').some((segment) => EXCLUDED_SEGMENTS.has(segment));
}

/** True when the path's file name ends with a suffix GenerateOTAUploadURL accepts. */
export function hasFirmwareSuffix(relativePath: string): boolean {
	const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
	return inferSuffix(name) !== undefined;
}

/** The built-in toolchain rule matching `relativePath`, or undefined. flasher_args.json itself is not a candidate. */
export function classifyBuildOutput(relativePath: string): FirmwareCandidate | undefined {
	const path = normalizeRelativePath(relativePath);
	const segments = path.split('/');
	if (isExcludedPath(path) || !hasFirmwareSuffix(path)) {
		return undefined;
	}
	const name = segments[segments.length - 1];
	// PlatformIO: <project>/.pio/build/<env>/firmware.bin
	const pio = segments.lastIndexOf('.pio');
	if (pio >= 0 && pio <= MAX_PROJECT_DEPTH && segments.length === pio + 4 && segments[pio + 1] === 'build' && name === 'firmware.bin') {
		return { relativePath: path, kind: 'platformio', origin: segments[pio + 2] };
	}
	const build = segments.indexOf('build');
	if (build < 0 || build > MAX_PROJECT_DEPTH) {
		return undefined;
	}
	const inBuild = segments.slice(build + 1);
	// Zephyr: build/zephyr/*.bin, or build/<app>/zephyr/*.bin with sysbuild.
	if (inBuild.length === 2 && inBuild[0] === 'zephyr' && name.toLowerCase().endsWith('.bin')) {
		return { relativePath: path, kind: 'zephyr' };
	}
	if (inBuild.length === 3 && inBuild[1] === 'zephyr' && name.toLowerCase().endsWith('.bin')) {
		return { relativePath: path, kind: 'zephyr', origin: inBuild[0] };
	}
	// Zephyr/NCS multi-image DFU package, and anything else directly in build/.
	if (inBuild.length === 1 && !NEVER_OTA_NAMES.has(name.toLowerCase())) {
		return name === 'dfu_application.zip' ? { relativePath: path, kind: 'zephyr' } : { relativePath: path, kind: 'build' };
	}
	return undefined;
}

/** Parses flasher_args.json; undefined when it is not one (malformed JSON, wrong shape). */
export function parseFlasherArgs(text: string): FlasherArgs | undefined {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return undefined;
	}
	const record = data as Record<string, unknown>;
	const fileOf = (value: unknown): string | undefined => {
		const file = (value as { file?: unknown } | undefined)?.file;
		return typeof file === 'string' && file.trim() !== '' ? normalizeRelativePath(file.trim()) : undefined;
	};
	const app = fileOf(record.app);
	const flashFiles = record.flash_files;
	const listed =
		typeof flashFiles === 'object' && flashFiles !== null && !Array.isArray(flashFiles)
			? Object.values(flashFiles)
					.filter((v): v is string => typeof v === 'string')
					.map(normalizeRelativePath)
			: [];
	if (!app && listed.length === 0) {
		return undefined;
	}
	const named = ['bootloader', 'partition-table', 'otadata'].map((k) => fileOf(record[k])).filter((f): f is string => f !== undefined);
	const otherImages = [...new Set([...named, ...listed])].filter((file) => file !== app && !file.startsWith('../'));
	const chip = (record.extra_esptool_args as { chip?: unknown } | undefined)?.chip;
	return { app, otherImages, chip: typeof chip === 'string' && chip !== '' ? chip : undefined };
}

export interface FirmwarePlanInput {
	/** Relative paths the built-in glob found (may include flasher_args.json files). */
	found: readonly string[];
	/** Parsed flasher_args.json, keyed by the relative path of its build folder (e.g. "build", "app/build"). */
	flasherArgs: ReadonlyMap<string, FlasherArgs>;
	/** Relative paths found by the user's `iotOta.firmwarePatterns`. */
	custom: readonly string[];
}

/**
 * The candidates to stat and list: built-in matches (ESP-IDF apps recognised through flasher_args.json,
 * bootloader/partition images dropped), then user-glob matches not already listed. The app named by
 * flasher_args.json is included even when the glob did not see it; the caller drops files that do not exist.
 */
export function planFirmwareList(input: FirmwarePlanInput): FirmwareCandidate[] {
	const byPath = new Map<string, FirmwareCandidate>();
	const excluded = new Set<string>();
	for (const [buildDir, args] of input.flasherArgs) {
		const dir = normalizeRelativePath(buildDir);
		const prefix = dir === '' ? '' : `${dir}/`;
		for (const image of args.otherImages) {
			excluded.add(prefix + image);
		}
		if (args.app && hasFirmwareSuffix(args.app)) {
			byPath.set(prefix + args.app, { relativePath: prefix + args.app, kind: 'esp-idf', origin: args.chip });
		}
	}
	for (const found of input.found) {
		const candidate = classifyBuildOutput(found);
		if (candidate && !excluded.has(candidate.relativePath) && !byPath.has(candidate.relativePath)) {
			byPath.set(candidate.relativePath, candidate);
		}
	}
	for (const found of input.custom) {
		const path = normalizeRelativePath(found);
		const segments = path.split('/');
		if (path !== '' && !isExcludedPath(path) && !byPath.has(path)) {
			const folder = segments.length > 1 ? segments.slice(0, -1).join('/') : undefined;
			byPath.set(path, { relativePath: path, kind: 'custom', origin: folder });
		}
	}
	return [...byPath.values()];
}

/** The build folder of a found flasher_args.json path ("app/build/flasher_args.json" → "app/build"), else undefined. */
export function flasherArgsBuildDir(relativePath: string): string | undefined {
	const path = normalizeRelativePath(relativePath);
	const segments = path.split('/');
	if (segments.length < 2 || segments[segments.length - 1] !== FLASHER_ARGS_NAME || segments[segments.length - 2] !== 'build') {
		return undefined;
	}
	return segments.slice(0, -1).join('/');
}

/** What ordering by age needs of a listed file: its path and modification time (ms since the epoch). */
export interface DatedFile {
	relativePath: string;
	mtime: number;
}

/** Newest first; equal times by path, so the order does not depend on the search. */
export function newestFirst(a: DatedFile, b: DatedFile): number {
	return b.mtime - a.mtime || a.relativePath.localeCompare(b.relativePath);
}

/** The most recently modified file (e.g. of all workspace folders together), or undefined for none. */
export function newestFile<T extends DatedFile>(files: readonly T[]): T | undefined {
	return files.reduce<T | undefined>(
		(newest, file) => (newest === undefined || newestFirst(file, newest) < 0 ? file : newest),
		undefined,
	);
}
