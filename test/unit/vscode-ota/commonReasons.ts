// The reasons of the core errors a user commonly meets (besides the lifecycle and field rules): each is tried in
// errorWordings.test.ts, and validationText.test.ts checks that the extension words exactly these and the rules.
import { CERTIFICATE_UNTRUSTED } from '../../../src/core/certificateTrust';
import { CONFIG_REASONS } from '../../../src/core/configInsert/configError';
import { CREDENTIAL_REASONS } from '../../../src/core/credentials';
import {
	ABOUT_FILE,
	CANCELLED_BUT_REGISTERED,
	PACKAGE_MAY_BE_REGISTERED,
	PROFILE_CREDENTIALS,
	UPLOAD_FAILED,
} from '../../../src/core/errors';
import { IMAGE_CHECK_REASONS } from '../../../src/core/flow/image';
import { MARKER_REASONS } from '../../../src/core/image/marker';
import { CALL_REASONS } from '../../../src/core/iot/popErrors';
import { FILE_REASONS } from '../../../src/core/limits';
import { TLS_MISCONFIGURED } from '../../../src/core/tlsFailure';
import { OSS_REJECTED } from '../../../src/core/upload/ossError';
import { UPLOAD_TRANSPORT_REASONS } from '../../../src/core/upload/postObject';

export const COMMON_REASONS: readonly string[] = [
	...FILE_REASONS,
	...CREDENTIAL_REASONS,
	...CALL_REASONS,
	CERTIFICATE_UNTRUSTED,
	TLS_MISCONFIGURED,
	OSS_REJECTED,
	...UPLOAD_TRANSPORT_REASONS,
	UPLOAD_FAILED,
	CANCELLED_BUT_REGISTERED,
	PACKAGE_MAY_BE_REGISTERED,
];

/** The config engine's, the image checks' and the prefixed errors' reasons: tried in errorWordingsConfig.test.ts and errorWordingsImage.test.ts. */
export const CONFIG_IMAGE_REASONS: readonly string[] = [
	...CONFIG_REASONS,
	...MARKER_REASONS,
	...IMAGE_CHECK_REASONS,
	ABOUT_FILE,
	PROFILE_CREDENTIALS,
];
