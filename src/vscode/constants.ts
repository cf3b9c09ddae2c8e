/** Identifiers shared by package.json contributions, the code and the integration tests. */
export const EXTENSION_ID = 'iot-ota-tools.alibaba-iot-ota';
export const CONFIG_SECTION = 'iotOta';

export const Commands = {
	uploadFirmware: 'iotOta.uploadFirmware',
	uploadLatestBuild: 'iotOta.uploadLatestBuild',
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
} as const;

export const Views = {
	container: 'iotOta',
	firmware: 'iotOta.firmware',
	uploads: 'iotOta.uploads',
	account: 'iotOta.account',
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
	profileBeforeSandbox: 'iotOta.profileBeforeSandbox', // globalState: string
} as const;

export const STATUS_BAR_ITEM_ID = 'iotOta.uploadStatus';
/** The profile "Start Local Sandbox" creates and activates. */
export const SANDBOX_PROFILE = 'Local sandbox';
export const OUTPUT_CHANNEL_NAME = 'IoT OTA';
