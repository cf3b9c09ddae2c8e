import type { ConfigFormat } from './types';

function baseName(fileName: string): string {
	const parts = fileName.split(/[\\/]/);
	return (parts[parts.length - 1] ?? '').toLowerCase();
}

/** Picks the format from a file name (path allowed); undefined when it is not a format the engine edits. */
export function detectConfigFormat(fileName: string): ConfigFormat | undefined {
	const name = baseName(fileName);
	if (name === 'sdkconfig' || name.startsWith('sdkconfig.') || /^prj(_[^.]*)?\.conf$/.test(name)) {
		return 'sdkconfig';
	}
	if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) {
		return 'env';
	}
	const dot = name.lastIndexOf('.');
	const ext = dot > 0 ? name.slice(dot + 1) : '';
	switch (ext) {
		case 'json':
		case 'jsonc':
		case 'code-workspace':
			return 'json';
		case 'yaml':
		case 'yml':
			return 'yaml';
		case 'toml':
			return 'toml';
		case 'properties':
			return 'properties';
		case 'ini':
		case 'cfg':
		case 'conf':
			return 'ini';
		case 'h':
		case 'hpp':
		case 'hh':
		case 'hxx':
			return 'c-header';
		default:
			return undefined;
	}
}

const LABELS: Record<ConfigFormat, string> = {
	json: 'JSON / JSONC',
	yaml: 'YAML',
	toml: 'TOML',
	env: '.env (dotenv)',
	properties: 'Java .properties',
	ini: 'INI (e.g. platformio.ini)',
	sdkconfig: 'Kconfig (sdkconfig / prj.conf)',
	'c-header': 'C/C++ header (#define)',
};

/** A human label for pickers and messages. */
export function describeFormat(format: ConfigFormat): string {
	return LABELS[format];
}

export const CONFIG_FORMATS: readonly ConfigFormat[] = Object.keys(LABELS) as ConfigFormat[];
