// Pure (no vscode import).

/** "LTAI****wxyz": enough to recognise a key in the log or a picker, never the whole id. */
export function maskKeyId(accessKeyId: string): string {
	if (accessKeyId.length <= 8) {
		return '****';
	}
	return `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}
