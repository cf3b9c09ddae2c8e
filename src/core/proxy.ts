import type { Agent } from 'node:http';
import { OtaError } from './errors';
import { isLoopbackHost } from './regions';
import { httpsProxyAgent } from './vendor';

/** The reason (MessageReason code) of a proxy variable that is not a usable URL; the extension words it by this. */
export const INVALID_PROXY = 'invalid-proxy';

const agents = new Map<string, Agent>();

/**
 * The agent to reach `url` through the proxy named by HTTPS_PROXY/https_proxy/HTTP_PROXY/http_proxy,
 * or undefined for a direct connection (no proxy set, NO_PROXY match, or a loopback target).
 * pop-core and the uploader ignore these variables on their own, so callers pass this as `agent`.
 */
export function agentFor(url: string, env: NodeJS.ProcessEnv = process.env): Agent | undefined {
	const proxy = proxyFor(url, env);
	if (!proxy) {
		return undefined;
	}
	let agent = agents.get(proxy);
	if (!agent) {
		const HttpsProxyAgent = httpsProxyAgent();
		agent = new HttpsProxyAgent(proxy, { keepAlive: true });
		agents.set(proxy, agent);
	}
	return agent;
}

/** The proxy URL to use for `url`, or undefined for a direct connection. */
export function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return undefined;
	}
	if (isLoopbackHost(target.hostname)) {
		return undefined;
	}
	const names = target.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] : ['HTTP_PROXY', 'http_proxy'];
	const name = names.find((n) => env[n]?.trim());
	if (!name) {
		return undefined;
	}
	const port = target.port || (target.protocol === 'https:' ? '443' : '80');
	if (bypassesProxy(target.hostname, port, env.NO_PROXY ?? env.no_proxy ?? '')) {
		return undefined;
	}
	return normaliseProxyUrl(name, (env[name] ?? '').trim());
}

/** NO_PROXY: comma/space separated; `*` matches all; `.example.com`, `*.example.com` and `example.com` match the domain and its subdomains; `host:port` also checks the port. */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return noProxy
		.split(/[\s,]+/)
		.map((entry) => entry.trim().toLowerCase())
		.filter(Boolean)
		.some((entry) => {
			if (entry === '*') {
				return true;
			}
			const { entryHost, entryPort } = splitHostPort(entry);
			if (entryPort && entryPort !== port) {
				return false;
			}
			const domain = entryHost.replace(/^\*?\./, '');
			return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
		});
}

function splitHostPort(entry: string): { entryHost: string; entryPort?: string } {
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
	if (bracketed) {
		return { entryHost: bracketed[1], entryPort: bracketed[2] };
	}
	const withPort = /^([^:]+):(\d+)$/.exec(entry);
	return withPort ? { entryHost: withPort[1], entryPort: withPort[2] } : { entryHost: entry };
}

function normaliseProxyUrl(variable: string, value: string): string {
	const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
	let parsed: URL | undefined;
	try {
		parsed = new URL(candidate);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
		throw new OtaError({
			code: 'InvalidProxy',
			source: 'validation',
			message: `${variable} is not a usable http(s) proxy URL.`,
			hint: `Set ${variable} to a URL such as http://proxy.example.com:8080, or unset it.`,
			reason: { code: INVALID_PROXY, values: { variable } },
		});
	}
	return parsed.href;
}
