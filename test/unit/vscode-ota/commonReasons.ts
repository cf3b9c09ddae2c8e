// The reasons of the core errors a user commonly meets (besides the lifecycle and field rules): each is tried in
// errorWordings.test.ts, and validationText.test.ts checks that the extension words exactly these and the rules.
import { CREDENTIAL_REASONS } from '../../../src/core/credentials';
import { CANCELLED_BUT_REGISTERED, PACKAGE_MAY_BE_REGISTERED, UPLOAD_FAILED } from '../../../src/core/errors';
import { CALL_REASONS } from '../../../src/core/iot/popErrors';
import { FILE_REASONS } from '../../../src/core/limits';
import { OSS_REJECTED } from '../../../src/core/upload/ossError';
import { UPLOAD_TRANSPORT_REASONS } from '../../../src/core/upload/postObject';

export const COMMON_REASONS: readonly string[] = [
	...FILE_REASONS,
	...CREDENTIAL_REASONS,
	...CALL_REASONS,
	OSS_REJECTED,
	...UPLOAD_TRANSPORT_REASONS,
	UPLOAD_FAILED,
	CANCELLED_BUT_REGISTERED,
	PACKAGE_MAY_BE_REGISTERED,
];
