// The reasons of the settings, upload ticket, answer, package state, package target, named devices and aliyun CLI profile errors: each is tried in
// errorWordingsApi.test.ts, and validationText.test.ts checks that the extension words exactly these, the rules and
// the common reasons.
import { PROFILE_REASONS } from '../../../src/core/credentials';
import { PACKAGE_TARGET_REASONS } from '../../../src/core/flow/packageTarget';
import { ANSWER_REASONS } from '../../../src/core/iot/mappers';
import { REACH_REASONS } from '../../../src/core/lifecycle/reach';
import { PACKAGE_STATE_REASONS } from '../../../src/core/lifecycle/rollout';
import { INVALID_PROXY } from '../../../src/core/proxy';
import { ENDPOINT_REASONS } from '../../../src/core/regions';
import { BOUND_REASONS } from '../../../src/core/responseBounds';
import { UPLOAD_TICKET_REASONS } from '../../../src/core/upload/postObject';
import { UPLOAD_HOST_REASONS } from '../../../src/core/uploadHost';

export const API_REASONS: readonly string[] = [
	...ENDPOINT_REASONS,
	INVALID_PROXY,
	...UPLOAD_HOST_REASONS,
	...UPLOAD_TICKET_REASONS,
	...ANSWER_REASONS,
	...BOUND_REASONS,
	...PACKAGE_STATE_REASONS,
	...PACKAGE_TARGET_REASONS,
	...REACH_REASONS,
	...PROFILE_REASONS,
];
