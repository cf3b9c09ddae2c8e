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
	/** A command of the upload path: what it loads on first use (pop-core, form-data) loads while its first picker is up (uploadPreload.ts). */
	const preloading =
		<A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
		(...args: A): Promise<R> => {
			s.preloadUploadPath();
			return handler(...args);
		};
	return {
		[Commands.uploadFirmware]: preloading(async (arg?: unknown, selection?: unknown) =>
			(await import('../upload/uploadFlow.js')).uploadCommand(s, arg, selection),
		),
		[Commands.uploadLatestBuild]: preloading(async () =>
			(await import('../upload/uploadLatest.js')).uploadLatestBuild(s, views?.firmware),
		),
		[Commands.uploadFromFolder]: preloading(async (arg?: unknown, selection?: unknown) =>
			(await import('../upload/uploadFolder.js')).uploadFromFolder(s, views?.firmware, arg, selection),
		),
		[Commands.showUploadCommands]: preloading(async (arg?: unknown, selection?: unknown) =>
			(await import('../upload/showUploadCommands.js')).showUploadCommands(s, arg, selection),
		),
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
		[Commands.createOtaFirmware]: preloading(async (arg?: unknown) =>
			(await import('../create/createFlow.js')).createOtaFirmware(s, arg),
		),
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
		[Commands.verifyOnDevices]: async (arg?: unknown) => (await import('../ota/actions/verify.js')).verifyOnDevices(s, arg),
		[Commands.rollOut]: async (arg?: unknown) => (await import('../ota/actions/rollout.js')).rollOut(s, arg),
		[Commands.cancelTasks]: async (arg?: unknown, selection?: unknown) =>
			(await import('../ota/actions/control.js')).cancelTasks(s, arg, selection),
		[Commands.retryFailed]: async (arg?: unknown, selection?: unknown) =>
			(await import('../ota/actions/control.js')).retryFailed(s, arg, selection),
		[Commands.confirmTasks]: async (arg?: unknown, selection?: unknown) =>
			(await import('../ota/actions/control.js')).confirmTasks(s, arg, selection),
		[Commands.deletePackage]: async (arg?: unknown) => (await import('../ota/actions/packageActions.js')).deletePackage(s, arg),
		[Commands.copyFirmwareId]: async (arg?: unknown) => (await import('../ota/actions/packageActions.js')).copyFirmwareId(s, arg),
		[Commands.copyJobId]: async (arg?: unknown) => (await import('../ota/actions/packageActions.js')).copyJobId(s, arg),
		[Commands.diagnose]: async (arg?: unknown) => (await import('../ota/actions/diagnose.js')).diagnose(s, arg),
		[Commands.registerImageVersion]: async (arg?: unknown) => (await import('../ota/actions/diagnose.js')).registerImageVersion(s, arg),
		[Commands.showLog]: () => s.log.show(),
	};
}
