import { Commands } from '../constants';
import { otaRefFromArg } from '../ota/nodes';
import type { ViewsHandle } from '../views';
import type { CommandHandler } from './wrapper';
import type { Services } from './services';

/**
 * The command table: every contributed command id → its handler. Handlers load their flow module on
 * first use (dynamic import), so activation stays cheap and pop-core / form-data are only evaluated
 * when a command needs the network.
 */
export function createCommandTable(
	s: Services,
	views: Pick<ViewsHandle, 'refresh' | 'firmware'> | undefined,
): Record<string, CommandHandler> {
	return {
		[Commands.uploadFirmware]: async (arg?: unknown, selection?: unknown) =>
			(await import('../upload/uploadFlow.js')).uploadCommand(s, arg, selection),
		[Commands.uploadLatestBuild]: async () => (await import('../upload/uploadLatest.js')).uploadLatestBuild(s, views?.firmware),
		[Commands.showUploadProgress]: async () => (await import('../upload/progressCommands.js')).showUploadProgress(s),
		[Commands.cancelUpload]: async (arg?: unknown) => (await import('../upload/progressCommands.js')).cancelUpload(s, arg),
		[Commands.configureCredentials]: async () => (await import('../credentials/configure.js')).configureCredentials(s),
		[Commands.switchProfile]: async (arg?: unknown) => (await import('../credentials/profileCommands.js')).switchProfile(s, arg),
		[Commands.clearCredentials]: async (arg?: unknown) => (await import('../credentials/profileCommands.js')).clearCredentials(s, arg),
		[Commands.startSandbox]: async () => {
			await s.sandbox.start();
		},
		[Commands.stopSandbox]: async () => {
			await s.sandbox.stop();
		},
		[Commands.insertFirmwareUrl]: async (arg?: unknown) => (await import('../insert/insertFlow.js')).insertFirmwareUrl(s, arg),
		[Commands.copyFirmwareUrl]: async (arg?: unknown) => (await import('../insert/insertFlow.js')).copyFirmwareUrl(s, arg),
		[Commands.createOtaFirmware]: async (arg?: unknown) => (await import('../create/createFlow.js')).createOtaFirmware(s, arg),
		[Commands.revealFile]: async (arg?: unknown) => (await import('./historyCommands.js')).revealFile(s, arg),
		[Commands.removeHistoryEntry]: async (arg?: unknown) => (await import('./historyCommands.js')).removeHistoryEntry(s, arg),
		[Commands.exportHistory]: async () => (await import('./historyCommands.js')).exportHistory(s),
		[Commands.refresh]: () => views?.refresh(),
		[Commands.refreshOtaPackages]: (arg?: unknown) => s.ota.view.refresh(arg === undefined ? undefined : otaRefFromArg(arg)),
		[Commands.watchJob]: async (arg?: unknown) => (await import('../ota/commands.js')).watchJob(s, arg),
		[Commands.stopWatchingJob]: async (arg?: unknown) => (await import('../ota/commands.js')).stopWatchingJob(s, arg),
		[Commands.revealJob]: async (arg?: unknown) => (await import('../ota/commands.js')).revealJob(s, arg),
		[Commands.showJobFailures]: async (arg?: unknown) => (await import('../ota/commands.js')).showJobFailures(s, arg),
		[Commands.loadMore]: async (arg?: unknown) => (await import('../ota/commands.js')).loadMore(s, arg),
		[Commands.filterDevices]: async (arg?: unknown) => (await import('../ota/commands.js')).filterDevices(s, arg),
		[Commands.showDeviceTasks]: async (arg?: unknown) => (await import('../ota/commands.js')).showDeviceTasks(s, arg),
		[Commands.revealPackage]: async (arg?: unknown) => (await import('../ota/commands.js')).revealPackage(s, arg),
		// The actions on packages, jobs and tasks (issue 14, helper otacmds) replace these.
		[Commands.verifyOnDevices]: () => notYet(Commands.verifyOnDevices),
		[Commands.rollOut]: () => notYet(Commands.rollOut),
		[Commands.cancelTasks]: () => notYet(Commands.cancelTasks),
		[Commands.retryFailed]: () => notYet(Commands.retryFailed),
		[Commands.confirmTasks]: () => notYet(Commands.confirmTasks),
		[Commands.deletePackage]: () => notYet(Commands.deletePackage),
		[Commands.copyFirmwareId]: () => notYet(Commands.copyFirmwareId),
		[Commands.copyJobId]: () => notYet(Commands.copyJobId),
		[Commands.diagnose]: () => notYet(Commands.diagnose),
		[Commands.showLog]: () => s.log.show(),
	};
}

function notYet(id: string): never {
	throw new Error(`${id} is not implemented yet`);
}
