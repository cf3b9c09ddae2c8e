/** Config file formats the insertion engine can edit. */
export type ConfigFormat = 'json' | 'yaml' | 'toml' | 'env' | 'properties' | 'ini' | 'sdkconfig' | 'c-header';

/** One replacement against the ORIGINAL text (offsets in UTF-16 code units, like VS Code). */
export interface TextEdit {
	offset: number;
	length: number;
	newText: string;
}

/** One step of a key path: an object key or an array index. */
export type KeySegment = string | number;

/** What an insertion would do: the edits, and the value that was there before (if any). */
export interface InsertPlan {
	edits: TextEdit[];
	/** The previous value at the key path, as text (strings unquoted/unescaped). */
	previousValue?: string;
}
