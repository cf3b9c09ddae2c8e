// Pure decision of which IoT endpoint a request may use (no vscode import: unit-tested in plain Node).
// A cloned repository must not be able to send the user's AccessKey to a host of its choosing.
import { isLoopbackHost } from '../../core/regions';

export type EndpointSource = 'profile' | 'user' | 'workspace' | 'default';

export interface EndpointInputs {
	/** Endpoint stored in the profile (the local sandbox profile). */
	profileEndpoint?: string;
	/** iotOta.endpoint from user settings. */
	userEndpoint?: string;
	/** iotOta.endpoint from workspace/folder settings. */
	workspaceEndpoint?: string;
	workspaceTrusted: boolean;
	/** Endpoints the user already confirmed (globalState). */
	confirmed: readonly string[];
	/** Workspace endpoints the user declined in this window (`confirmationKey(endpoint, 'workspace')`): not asked again. */
	declined?: readonly string[];
}

export interface EndpointPlan {
	/** undefined = the region's public endpoint. */
	endpoint?: string;
	source: EndpointSource;
	/** A question to ask before the endpoint may be used (then remember the answer for `endpoint`). */
	confirm?: 'workspace' | 'insecure';
	/** A configured endpoint that was not used, and why (logged). */
	ignored?: { endpoint: string; reason: 'untrusted-workspace' | 'declined' };
}

/** Key under which a confirmation is remembered: insecure confirmations are separate from workspace ones. */
export function confirmationKey(endpoint: string, kind: 'workspace' | 'insecure'): string {
	return `${kind}:${normalise(endpoint)}`;
}

function normalise(endpoint: string): string {
	return endpoint.trim().replace(/\/+$/, '').toLowerCase();
}

/** Plain http to anything but loopback would send the signature and STS token in clear text. */
export function isInsecureEndpoint(endpoint: string): boolean {
	try {
		const url = new URL(endpoint);
		return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
	} catch {
		return false; // endpointFor() rejects it later with a clear message
	}
}

export function planEndpoint(inputs: EndpointInputs): EndpointPlan {
	const confirmed = new Set(inputs.confirmed);
	const withInsecureCheck = (plan: EndpointPlan): EndpointPlan => {
		if (
			plan.endpoint &&
			!plan.confirm &&
			isInsecureEndpoint(plan.endpoint) &&
			!confirmed.has(confirmationKey(plan.endpoint, 'insecure'))
		) {
			return { ...plan, confirm: 'insecure' };
		}
		return plan;
	};
	if (inputs.profileEndpoint) {
		return withInsecureCheck({ endpoint: inputs.profileEndpoint, source: 'profile' });
	}
	const fallback: EndpointPlan = inputs.userEndpoint ? { endpoint: inputs.userEndpoint, source: 'user' } : { source: 'default' };
	if (inputs.workspaceEndpoint && normalise(inputs.workspaceEndpoint) !== normalise(inputs.userEndpoint ?? '')) {
		if (!inputs.workspaceTrusted) {
			return withInsecureCheck({ ...fallback, ignored: { endpoint: inputs.workspaceEndpoint, reason: 'untrusted-workspace' } });
		}
		const plan: EndpointPlan = { endpoint: inputs.workspaceEndpoint, source: 'workspace' };
		const key = confirmationKey(inputs.workspaceEndpoint, 'workspace');
		if (!confirmed.has(key)) {
			return inputs.declined?.includes(key)
				? withInsecureCheck({ ...fallback, ignored: { endpoint: inputs.workspaceEndpoint, reason: 'declined' } })
				: { ...plan, confirm: 'workspace' };
		}
		return withInsecureCheck(plan);
	}
	return withInsecureCheck(fallback);
}
