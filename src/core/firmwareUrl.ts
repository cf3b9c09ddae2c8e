/**
 * The one rule for a FirmwareUrl this program accepts, uses and writes (config files, clipboard, CreateOTAFirmware):
 * a plain https:// URL, or http:// where the endpoint it came from may use plain http (uploadHost.ts: the local
 * sandbox, or insecure endpoints explicitly allowed). Everything that reaches a config file is checked here first, so a
 * hostile or broken endpoint cannot smuggle quotes, line breaks or a `javascript:` link into it.
 */
import { OtaError } from './errors';
import { plainHttpAllowed, type EndpointTrust } from './uploadHost';

/** RFC 3986 characters without the single quote: what a percent-encoded URL needs, nothing a config reader would mistake. */
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]*$/;

function describeCharacter(ch: string): string {
	const code = ch.codePointAt(0) as number;
	if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
		return 'a line break or another control character';
	}
	if (ch === ' ') {
		return 'a space';
	}
	if (ch === '"' || ch === "'" || ch === '`') {
		return 'a quote';
	}
	const shown = code > 0x20 && code < 0x7f ? `"${ch}"` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	return `${shown}, which a URL must percent-encode`;
}

/**
 * Why `url` is not an acceptable FirmwareUrl, or undefined when it is one. Never echoes the URL itself. `trust` is the
 * endpoint the URL came from: a plain http:// URL is judged by that endpoint's plain-http rule. Without it only the
 * URL's form is judged, for a URL whose source was judged already (a ticket IotClient checked, a stored record).
 */
export function firmwareUrlProblem(url: unknown, trust?: EndpointTrust): string | undefined {
	if (typeof url !== 'string' || url.length === 0) {
		return 'it is empty';
	}
	const bad = [...url].find((ch) => !URL_CHARACTERS.test(ch));
	if (bad !== undefined) {
		return `it contains ${describeCharacter(bad)}`;
	}
	if (/%(?![0-9A-Fa-f]{2})/.test(url)) {
		return 'it has a "%" that is not followed by two hex digits';
	}
	const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
	if (scheme !== 'https' && scheme !== 'http') {
		return scheme ? `it uses the "${scheme}:" scheme` : 'it does not start with https://';
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	if (!new RegExp(`^${scheme}://[^/?#]`, 'i').test(url) || parsed.hostname === '') {
		return `it does not start with ${scheme}:// and a host name`;
	}
	if (parsed.username !== '' || parsed.password !== '') {
		return 'it carries a user name or password';
	}
	if (scheme === 'http' && trust && !plainHttpAllowed(parsed.hostname, trust)) {
		return 'it is plain http://, which only the local sandbox may use unless insecure endpoints are allowed';
	}
	return undefined;
}

/** Returns `url` when it is an acceptable FirmwareUrl (see firmwareUrlProblem); otherwise throws one OtaError saying why (code UnsafeFirmwareUrl). */
export function checkFirmwareUrl(url: unknown, trust?: EndpointTrust): string {
	const problem = firmwareUrlProblem(url, trust);
	if (problem !== undefined) {
		throw new OtaError({
			code: 'UnsafeFirmwareUrl',
			source: 'validation',
			message: `Refused the FirmwareUrl: it must be a plain https:// URL, but ${problem}. It was not used or written anywhere.`,
			hint: 'The IoT Platform answers https:// URLs; check the endpoint (iotOta.endpoint or --endpoint) that produced this one.',
		});
	}
	return url as string;
}
