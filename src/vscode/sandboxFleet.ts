// The fleet "Start Local Sandbox" seeds, from iotOta.sandbox.*. A workspace's values apply only in a trusted workspace
// (the keys are restrictedConfigurations), so a cloned repository cannot make the extension host seed a huge fleet.
// Pure: settings.ts passes what WorkspaceConfiguration.inspect() returns; `l10n` is vscode.l10n in the extension.
import type { l10n } from 'vscode';
import type { ShareProblem } from '../sandbox';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export interface SandboxFleetSettings {
	devices: number;
	/** Behaviour name → percent of the fleet (the sandbox checks names and shares). */
	behaviours: Record<string, number>;
	timeScale: number;
}

export interface InspectedSetting<T> {
	defaultValue?: T;
	globalValue?: T;
	workspaceValue?: T;
	workspaceFolderValue?: T;
}

export const SANDBOX_FLEET_KEYS = { devices: 'sandbox.devices', behaviours: 'sandbox.behaviours', timeScale: 'sandbox.timeScale' } as const;

/** The manifest's bounds of iotOta.sandbox.devices and .timeScale (test/unit/vscode-ota/actions.test.ts ties them together). */
export const SANDBOX_FLEET_LIMITS = { devices: { min: 0, max: 100_000 }, timeScale: { min: 0.001, max: 1_000_000 } };

function valueOf<T>(inspected: InspectedSetting<T> | undefined, trusted: boolean): T | undefined {
	const workspace = trusted ? (inspected?.workspaceFolderValue ?? inspected?.workspaceValue) : undefined;
	return workspace ?? inspected?.globalValue ?? inspected?.defaultValue;
}

function inRange(value: unknown, { min, max }: { min: number; max: number }): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : undefined;
}

/** The effective fleet; values of the wrong type fall back to the manifest's defaults. */
export function sandboxFleet(inspect: (key: string) => InspectedSetting<unknown> | undefined, trusted: boolean): SandboxFleetSettings {
	const read = (key: string) => valueOf(inspect(key), trusted);
	const fallback = (key: string) => inspect(key)?.defaultValue;
	const behaviours = read(SANDBOX_FLEET_KEYS.behaviours);
	const isMap = (value: unknown): value is Record<string, number> => typeof value === 'object' && value !== null && !Array.isArray(value);
	return {
		devices: Math.floor(
			inRange(read(SANDBOX_FLEET_KEYS.devices), SANDBOX_FLEET_LIMITS.devices) ?? (fallback(SANDBOX_FLEET_KEYS.devices) as number),
		),
		behaviours: isMap(behaviours) ? behaviours : (fallback(SANDBOX_FLEET_KEYS.behaviours) as Record<string, number>),
		timeScale:
			inRange(read(SANDBOX_FLEET_KEYS.timeScale), SANDBOX_FLEET_LIMITS.timeScale) ??
			(fallback(SANDBOX_FLEET_KEYS.timeScale) as number),
	};
}

/** Why the sandbox refuses iotOta.sandbox.behaviours, worded by its code (the sandbox's English stays the CLI's). */
export function shareProblemText(problem: ShareProblem, l10n: Translator): string {
	switch (problem.code) {
		case 'unknown-behaviour':
			return l10n.t('Unknown behaviour "{0}": use one of {1}.', problem.behaviour, problem.known);
		case 'share-range':
			return l10n.t('The share of behaviour {0} must be a percentage from 0 to 100.', problem.behaviour);
		case 'shares-total':
			return l10n.t('The behaviour shares add up to {0}%, more than 100%.', problem.total);
	}
}
