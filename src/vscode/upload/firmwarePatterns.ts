// Pure split of iotOta.extraFirmwarePatterns (no vscode import).

export interface FirmwarePatterns {
	/** Extnames for `resourceExtname in …` (".hex" plus its upper-case spelling). */
	extnames: string[];
	/** Globs that need a workspace scan to turn into file names for `resourceFilename in …`. */
	globs: string[];
}

/** "*.hex" / ".hex" / "hex" → extname; anything else ("fw-*.img", "build/**\/*.ota") → glob. */
export function splitFirmwarePatterns(patterns: readonly string[]): FirmwarePatterns {
	const extnames = new Set<string>();
	const globs: string[] = [];
	for (const raw of patterns) {
		const pattern = raw.trim();
		const ext = /^(?:\*?\.)?([A-Za-z0-9_-]{1,16})$/.exec(pattern);
		if (ext && (pattern.startsWith('.') || pattern.startsWith('*.'))) {
			extnames.add(`.${ext[1].toLowerCase()}`);
			extnames.add(`.${ext[1].toUpperCase()}`);
			extnames.add(`.${ext[1]}`);
		} else if (pattern) {
			globs.push(pattern.includes('/') ? pattern : `**/${pattern}`);
		}
	}
	return { extnames: [...extnames], globs };
}
