import * as vscode from 'vscode';
import type { Services } from '../commands/services';
import { CONFIG_SECTION } from '../constants';
import type { HistoryEntry } from '../model';
import { SettingKeys } from '../settings';
import { PromptIds } from '../ui/prompter';
import type { FirmwareFile } from '../views/firmwareDiscovery';
import { newestFile } from '../views/buildOutputRules';
import { uploadCommand } from './uploadFlow';

/** The setting "Open Setting" opens when no firmware file is found. */
export const FIRMWARE_PATTERNS_SETTING = `${CONFIG_SECTION}.${SettingKeys.firmwarePatterns}`;

/** The Firmware Files view's discovery (FirmwareTreeProvider), as this command uses it. */
export interface FirmwareSource {
	rescan(): void;
	files(): Promise<FirmwareFile[]>;
}

/** "Upload Latest Build": the most recently modified file the Firmware Files view finds, through the usual upload flow. */
export async function uploadLatestBuild(s: Services, firmware: FirmwareSource | undefined): Promise<HistoryEntry | undefined> {
	// Scan afresh: a build that just finished may still wait for the view's debounced rescan, or have changed mtimes.
	firmware?.rescan();
	const latest = newestFile((await firmware?.files()) ?? []);
	if (!latest) {
		offerFirmwarePatterns(
			s,
			vscode.l10n.t(
				'No firmware build output found in this workspace. Searched for PlatformIO (.pio/build/<env>/firmware.bin), ESP-IDF (build/*.bin) and Zephyr (build/zephyr/*.bin, build/dfu_application.zip) outputs, also in projects up to two folders down, and for the patterns in the {0} setting. Build your project, or add a pattern for its output to that setting.',
				FIRMWARE_PATTERNS_SETTING,
			),
		);
		return undefined;
	}
	s.log.info(`[upload] Latest build: ${latest.relativePath} in ${latest.folder.name}, modified ${new Date(latest.mtime).toISOString()}.`);
	return uploadCommand(s, latest.uri);
}

/** A warning that names what was searched (`message`), with "Open Setting" for iotOta.firmwarePatterns. */
export function offerFirmwarePatterns(s: Services, message: string): void {
	const openSetting = vscode.l10n.t('Open Setting');
	void s.prompter
		.message(PromptIds.uploadNoBuild, 'warning', message, {}, openSetting)
		.then((choice) =>
			choice === openSetting ? vscode.commands.executeCommand('workbench.action.openSettings', FIRMWARE_PATTERNS_SETTING) : undefined,
		);
}
