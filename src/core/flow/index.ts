// The one upload → register → insert flow: every step and every policy, for both shells (docs/architecture.md).
export {
	packageRequest,
	prepareFlow,
	registrationRequest,
	type PreparedCreate,
	type FlowCreateOptions,
	type FlowInsertTarget,
	type FlowRequest,
	type PreparedFlow,
} from './prepare';
export {
	checkFirmware,
	prepareUpload,
	refuseChangedUpload,
	refuseReplacedFile,
	uploadSuffix,
	type CheckedFirmware,
	type CheckOptions,
	type PreparedUpload,
} from './preflight';
export {
	recordAwaitsRegistration,
	recordMayBeRegistered,
	recordPackageDeleted,
	recordRegistered,
	recordReused,
	recordStarted,
	recordStepFailed,
	recordUploaded,
	recordUploadedEarlier,
	type UploadRecord,
	type UploadStatus,
} from './record';
export {
	checkDestVersion,
	destVersionFor,
	imageSummaryOf,
	readImageForFlow,
	readOpenedImage,
	refuseDamaged,
	refuseSuffixMismatch,
	refuseUnshippable,
	type CheckedImage,
	type ImageRead,
	type ImageSummary,
} from './image';
export { findSameContent, type ContentDigests, type DuplicateClient, type ExistingPackage, type PackageWanted } from './duplicates';
export { sameContentLookup, type SameContentLookup } from './sameContentLookup';
export {
	CANCEL_DURING_CREATE,
	firmwareSignFor,
	pendingRegistrationNotice,
	registerFirmware,
	undoRegistration,
	type PendingRegistration,
	type RegisterClient,
	type Registration,
} from './register';
export {
	createStep,
	runFlow,
	uploadStep,
	type FlowClient,
	type FlowHooks,
	type FlowResult,
	type FlowStep,
	type UploadedObject,
	type UploadStepOptions,
} from './run';
export {
	firmwareUrlSuffix,
	prepareUploadedPackage,
	prepareUploadedRegistration,
	registerUploaded,
	registerUploadedPackage,
	type PreparedUploadedPackage,
	type PreparedUploadedRegistration,
	type UploadedPackageRequest,
	type UploadedRegistrationRequest,
} from './registerUploaded';
export {
	checkPackageFiles,
	defaultPackageName,
	multiFileRequest,
	packageDestVersion,
	prepareMultiFile,
	settlePackage,
	PACKAGE_FILES_MIN,
	type CheckedPackageFiles,
	type MultiFileRequest,
	type PackageFileRequest,
	type PreparedMultiFile,
	type PreparedPackageFile,
} from './multiFilePrepare';
export {
	PackageStoppedError,
	packageMayBeRegistered,
	registerPackage,
	runMultiFile,
	uploadedBeforeStop,
	uploadedBeforeStopText,
	type MultiFileHooks,
	type MultiFileResult,
	type PackageFileStart,
	type UploadedPackageFile,
} from './multiFileRun';
export { defaultFirmwareName } from '../upload/defaultFirmwareName';
export {
	curlCommandLine,
	pendingFirmwareUrl,
	planPackageUpload,
	planUpload,
	TICKET_PLACEHOLDERS,
	type PlannedFile,
	type PlannedInsert,
	type PlannedPostObject,
	type UploadPlan,
} from './uploadPlan';
