// Firmware identity: what an image says about itself, read from its bytes before it ships (issue 12).
export { inspectFirmware, readEmbeddedVersion } from './inspect';
export { compileVersionMarker } from './marker';
export {
	damageSummary,
	describeVersionSource,
	FORMAT_TEXT,
	sameVersion,
	VERSION_SOURCE_TEXT,
	versionGuard,
	versionsAgree,
	type VersionGuardResult,
} from './guard';
export type * from './types';
