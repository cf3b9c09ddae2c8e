// The values of iotOta.upload.timeoutSeconds and .maxAttempts, pure (settings.ts passes what the configuration holds;
// test/unit/vscode-upload/uploadSettings.test.ts ties the bounds to the manifest's).

/** The manifest's bounds and default of each integer upload setting. */
export const UPLOAD_SETTING_LIMITS = {
	timeoutSeconds: { min: 5, max: 24 * 3600, fallback: 60 },
	maxAttempts: { min: 1, max: 10, fallback: 4 },
} as const;

/**
 * An integer setting's value: out of range clamped, a fraction (which the manifest's "integer" type does not stop in
 * settings.json) rounded down, anything but a number the default.
 */
export function integerSetting(value: unknown, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
	return typeof value === 'number' && Number.isFinite(value) ? Math.floor(Math.min(max, Math.max(min, value))) : fallback;
}
