// The one upload → register → insert flow: every step and every policy, for both shells (docs/architecture.md).
export {
	prepareFlow,
	registrationRequest,
	type FlowCreateOptions,
	type FlowInsertTarget,
	type FlowRequest,
	type PreparedFlow,
} from './prepare';
export { recordRegistered, recordStarted, recordStepFailed, recordUploaded, type UploadRecord, type UploadStatus } from './record';
export {
	CANCEL_DURING_CREATE,
	firmwareSignFor,
	registerFirmware,
	undoRegistration,
	type RegisterClient,
	type Registration,
} from './register';
export { runFlow, uploadStep, type FlowClient, type FlowHooks, type FlowResult, type FlowStep, type UploadStepOptions } from './run';
export { defaultFirmwareName } from '../upload/defaultFirmwareName';
