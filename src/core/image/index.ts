// Firmware identity: what an image says about itself, read from its bytes before it ships (issue 12).
export { inspectFirmware, inspectOpenedFirmware, readEmbeddedVersion, reportedVersion } from './inspect';
export { checkContentsAs, detectFormat, SNIFF_BYTES } from './sniff';
export { checkNameText } from './checks';
export { compileVersionMarker, LenientVersionMarker, usableVersionMarker, type VersionMarker } from './marker';
export {
	damagedChecks,
	damageSummary,
	declaredVersionOf,
	describeVersionSource,
	FORMAT_TEXT,
	sameVersion,
	VERSION_SOURCE_TEXT,
	versionGuard,
	versionsAgree,
	versionSourceOf,
	type DeclaredImageVersion,
	type VersionSourceParts,
	type VersionGuardResult,
} from './guard';
export type * from './types';
