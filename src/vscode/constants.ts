/** Identifiers shared by package.json contributions, the code and the integration tests. */
export const EXTENSION_ID = 'iot-ota-tools.alibaba-iot-ota';
export const CONFIG_SECTION = 'iotOta';

export const Commands = {
	uploadFirmware: 'iotOta.uploadFirmware',
	uploadLatestBuild: 'iotOta.uploadLatestBuild',
	/** The Explorer's menu on a folder: pick firmware files in it, then the usual upload. */
	uploadFromFolder: 'iotOta.uploadFromFolder',
	/** What Upload Firmware would send, as `iot-ota upload --dry-run` prints it; nothing is sent. */
	showUploadCommands: 'iotOta.showUploadCommands',
	configureCredentials: 'iotOta.configureCredentials',
	switchProfile: 'iotOta.switchProfile',
	clearCredentials: 'iotOta.clearCredentials',
	startSandbox: 'iotOta.startSandbox',
	stopSandbox: 'iotOta.stopSandbox',
	insertFirmwareUrl: 'iotOta.insertFirmwareUrl',
	copyFirmwareUrl: 'iotOta.copyFirmwareUrl',
	createOtaFirmware: 'iotOta.createOtaFirmware',
	revealFile: 'iotOta.revealFile',
	removeHistoryEntry: 'iotOta.removeHistoryEntry',
	exportHistory: 'iotOta.exportHistory',
	refresh: 'iotOta.refresh',
	showLog: 'iotOta.showLog',
	showUploadProgress: 'iotOta.showUploadProgress',
	cancelUpload: 'iotOta.cancelUpload',
	// Issue 14, the OTA Packages view and live watching (src/vscode/ota/: nodes, watches, views).
	refreshOtaPackages: 'iotOta.refreshOtaPackages',
	watchJob: 'iotOta.watchJob',
	stopWatchingJob: 'iotOta.stopWatchingJob',
	revealJob: 'iotOta.revealJob',
	showJobFailures: 'iotOta.showJobFailures',
	loadMore: 'iotOta.loadMore',
	filterDevices: 'iotOta.filterDevices',
	showDeviceTasks: 'iotOta.showDeviceTasks',
	revealPackage: 'iotOta.revealPackage',
	// Issue 14, the actions on packages, jobs and tasks.
	verifyOnDevices: 'iotOta.verifyOnDevices',
	rollOut: 'iotOta.rollOut',
	cancelTasks: 'iotOta.cancelTasks',
	retryFailed: 'iotOta.retryFailed',
	confirmTasks: 'iotOta.confirmTasks',
	deletePackage: 'iotOta.deletePackage',
	copyFirmwareId: 'iotOta.copyFirmwareId',
	copyJobId: 'iotOta.copyJobId',
	diagnose: 'iotOta.diagnose',
	/** A diagnosis fix: registers a package's file again under the version its image reports. */
	registerImageVersion: 'iotOta.registerImageVersion',
} as const;

export const Views = {
	container: 'iotOta',
	firmware: 'iotOta.firmware',
	uploads: 'iotOta.uploads',
	account: 'iotOta.account',
	/** OTA Packages: products → packages → jobs → task groups → tasks, and each product's devices. */
	packages: 'iotOta.packages',
} as const;

/** Context keys set with `setContext`, used in `when` clauses. */
export const ContextKeys = {
	hasCredentials: 'iotOta.hasCredentials',
	uploading: 'iotOta.uploading',
	sandboxRunning: 'iotOta.sandboxRunning',
	/** Number of files the Firmware Files view lists (set after each scan). */
	firmwareCount: 'iotOta.firmwareCount',
	/** Number of rows in this workspace's upload history. */
	historyCount: 'iotOta.historyCount',
	/** Lower/upper-case extnames (".hex") from iotOta.firmwarePatterns, for `resourceExtname in …`. */
	extraFirmwareExtnames: 'iotOta.extraFirmwareExtnames',
	/** File names in the workspace matching the other patterns of iotOta.firmwarePatterns, for `resourceFilename in …`. */
	extraFirmwareNames: 'iotOta.extraFirmwareNames',
	/** Number of jobs watched live in this window. */
	watchedJobs: 'iotOta.watchedJobs',
} as const;

/** SecretStorage keys; the value never leaves SecretStorage except into an in-memory IotClient. */
export const SecretKeys = {
	accessKeySecret: (profile: string) => `iotOta.profile.${profile}.accessKeySecret`,
	securityToken: (profile: string) => `iotOta.profile.${profile}.securityToken`,
} as const;

/** globalState / workspaceState keys. */
export const StateKeys = {
	profiles: 'iotOta.profiles', // globalState: ProfileRecord[] (no secrets)
	activeProfile: 'iotOta.activeProfile', // globalState: string
	history: 'iotOta.history', // workspaceState: HistoryEntry[]
	trustedEndpoints: 'iotOta.trustedEndpoints', // globalState: string[] of endpoints the user confirmed
	lastProductKey: 'iotOta.lastProductKey', // workspaceState: string
	lastModules: 'iotOta.lastModules', // workspaceState: Record<ProductKey, ModuleName> Create OTA Firmware used last
	profileBeforeSandbox: 'iotOta.profileBeforeSandbox', // globalState: string
	watchedJobs: 'iotOta.watchedJobs', // workspaceState: WatchedJob[] (src/vscode/ota/contract.ts), resumed after a reload
	patternMoveDeclined: 'iotOta.patternMoveDeclined', // workspaceState: string, the old pattern values "Keep Them" kept
} as const;

export const STATUS_BAR_ITEM_ID = 'iotOta.uploadStatus';
/** The status-bar item of the watched jobs ("OTA 640/1,000 ✓ · 3 ✗"). */
export const WATCH_STATUS_ITEM_ID = 'iotOta.watchStatus';
/** The profile "Start Local Sandbox" creates and activates. */
export const SANDBOX_PROFILE = 'Local sandbox';
export const OUTPUT_CHANNEL_NAME = 'IoT OTA';
/** The read-only documents of Diagnose (src/vscode/ota/actions/diagnosisDocuments.ts). */
export const DIAGNOSIS_SCHEME = 'iot-ota-diagnosis';
/** The read-only documents of Show Upload Commands. */
export const UPLOAD_COMMANDS_SCHEME = 'iot-ota-upload-commands';
