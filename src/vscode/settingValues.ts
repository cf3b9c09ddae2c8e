// Numeric setting values, pure (settings.ts passes what the configuration holds; test/unit/vscode-upload/
// uploadSettings.test.ts ties the upload settings' bounds to the manifest's).

/** The manifest's bounds and default of each integer upload setting. */
export const UPLOAD_SETTING_LIMITS = {
	timeoutSeconds: { min: 5, max: 24 * 3600, fallback: 60 },
	maxAttempts: { min: 1, max: 10, fallback: 4 },
} as const;

/** A number setting's value: out of range clamped, anything but a finite number the default. */
export function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/**
 * An integer setting's value: as clampNumber, and a fraction (which the manifest's "integer" type does not stop in
 * settings.json) rounded down.
 */
export function integerSetting(value: unknown, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
	return Math.floor(clampNumber(value, min, max, fallback));
}
