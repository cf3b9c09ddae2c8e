// Third-party packages that only a command needs (config insertion, upload, API calls, the sandbox). Each is
// required on first use rather than imported, so the extension does not parse them at activation: esbuild.js
// (LAZY_VENDORS) turns these require() calls into loads of separate files in dist/vendor/, and refuses an
// `import` of them. Node's module cache makes every call after the first a lookup.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { HttpsProxyAgent as HttpsProxyAgentClass } from 'https-proxy-agent' with { 'resolution-mode': 'import' };
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

export const yaml = (): typeof import('yaml') => require('yaml');
export const jsoncParser = (): typeof import('jsonc-parser') => require('jsonc-parser');
/** smol-toml's typings are ESM-only; its CommonJS build loads through require(). */
export const smolToml = (): typeof SmolToml => require('smol-toml');
export const formData = (): typeof import('form-data') => require('form-data');
/** lib/rpc directly: the package index also loads the ROA client and its XML stack (~100 KB), which we never use. */
export const popRpcClient = (): typeof import('@alicloud/pop-core/lib/rpc') => require('@alicloud/pop-core/lib/rpc');
/** https-proxy-agent is ESM-only; Node ≥ 20.19 and the bundle both load it through require(). */
export const httpsProxyAgent = (): typeof HttpsProxyAgentClass =>
	(require('https-proxy-agent') as { HttpsProxyAgent: typeof HttpsProxyAgentClass }).HttpsProxyAgent;
export const busboy = (): typeof import('busboy') => require('busboy');
/** Firmware inspection (src/core/image): zip listing and tar streaming. */
export const yauzl = (): typeof import('yauzl') => require('yauzl');
export const tarStream = (): typeof import('tar-stream') => require('tar-stream');
