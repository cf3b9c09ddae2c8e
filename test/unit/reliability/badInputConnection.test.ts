// Bad input through the CLI, how it connects: credentials (empty, spaced, wrong, STS without or with another token,
// expired), an instance that needs an IotInstanceId, and endpoints that are not usable. Each is refused with one
// exact message (see badInputSupport.ts) and the documented exit code; local mistakes before anything is sent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { parseJsonOutput } from '../cli/cliHarness';
import { withDeadline } from '../../support/reliability';
import { expectRefused, OFFLINE_CREDS, untouchedEndpoint, useBadInputSuite, type Expected } from './badInputSupport';

// Each case owns its files and sandboxes with fault rules, so the cases run side by side.
void describe('reliability: bad input is refused with one exact message (CLI): credentials, instance, endpoint', { concurrency: 8 }, () => {
	const t = useBadInputSuite('iot-ota-rel-input-connection-', { cli: true });
	const { inProcess, run, runNet, runOffline } = t;
	let work: string;
	let sandbox: Sandbox;
	let enterprise: Sandbox;
	let firmware: string;

	before(async () => {
		({ work, sandbox } = t.suite);
		firmware = t.firmware;
		enterprise = await startSandbox({ dataDir: path.join(work, 'enterprise'), qps: 1000, requireInstanceId: true });
	});

	after(() => withDeadline(enterprise?.stop() ?? Promise.resolve(), 10_000, 'enterprise sandbox.stop()'));

	// ── credentials ───────────────────────────────────────────────────────────────────────────────

	const MISSING =
		'No Alibaba Cloud credentials found. Either set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys), or configure the aliyun CLI (`aliyun configure`, stored in ~/.aliyun/config.json; choose a profile with --profile).';
	const credentialCases: Array<[string, () => NodeJS.ProcessEnv, Expected]> = [
		[
			'empty id and secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' }),
			{ exit: 3, code: 'MissingCredentials', message: MISSING, offline: true },
		],
		[
			'a whitespace-only secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: '   ' }),
			{
				exit: 3,
				code: 'IncompleteEnvCredentials',
				message:
					'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not. Set both variables, or unset both to use another credential source.',
				offline: true,
			},
		],
		[
			'an id with a space inside',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5t Sandbox', ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret }),
			{
				exit: 3,
				code: 'InvalidAccessKeyId',
				message: 'The AccessKey ID contains spaces. Copy the AccessKey ID again without spaces or line breaks.',
				offline: true,
			},
		],
		[
			'a secret with a line break inside',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'abc\ndef' }),
			{
				exit: 3,
				code: 'InvalidAccessKeySecret',
				message: 'The AccessKey Secret contains spaces. Copy the AccessKey Secret again without spaces or line breaks.',
				offline: true,
			},
		],
		[
			'a wrong secret',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'WrongSecretWrongSecret0123' }),
			{
				exit: 3,
				code: 'SignatureDoesNotMatch',
				message:
					'GenerateOTAUploadURL failed: Specified signature is not matched with our calculation. Check the AccessKey Secret: it does not match the AccessKey ID.',
				requestId: true,
			},
		],
		[
			'an unknown AccessKey ID',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tNobodyHasThisKey', ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret }),
			{
				exit: 3,
				code: 'InvalidAccessKeyId.NotFound',
				message: 'GenerateOTAUploadURL failed: Specified access key is not found. Check the AccessKey ID: no such key exists.',
				requestId: true,
			},
		],
		[
			'an STS key without its token',
			() => ({ ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.sts.accessKeySecret }),
			{
				exit: 3,
				code: 'MissingSecurityToken',
				message:
					'The AccessKey ID is a temporary STS key but no STS security token was given. Provide the SecurityToken returned together with the STS key (ALIBABA_CLOUD_SECURITY_TOKEN), or use a permanent AccessKey.',
				offline: true,
			},
		],
		[
			'an STS key with another token',
			() => ({
				ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.sts.accessKeySecret,
				ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISnotTheRightToken/+=',
			}),
			{
				exit: 3,
				code: 'InvalidSecurityToken.MismatchWithAccessKey',
				message:
					'GenerateOTAUploadURL failed: Specified SecurityToken mismatch with the AccessKey. Check the STS token: it must be the one issued with this STS AccessKey ID.',
				requestId: true,
			},
		],
	];
	for (const [what, env, expected] of credentialCases) {
		void test(`credentials: ${what} → ${expected.code}, exit ${expected.exit}`, async () => {
			await expectRefused(expected.offline ? runOffline(['upload', firmware], env()) : runNet(['upload', firmware], env()), expected);
		});
	}

	void test('credentials: without --json a rejected key is exactly one "Error:" line on stderr (no extra warn line), nothing on stdout', async () => {
		const result = await inProcess(['upload', firmware, '--endpoint', sandbox.endpoint], {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'WrongSecretWrongSecret0123',
		});
		assert.equal(result.code, 3);
		assert.equal(result.stdout, '');
		assert.match(
			result.stderr,
			/^Error: GenerateOTAUploadURL failed: Specified signature is not matched with our calculation\. Check the AccessKey Secret: it does not match the AccessKey ID\. \(SignatureDoesNotMatch, RequestId: [0-9A-F-]{36}\)\n$/,
		);
	});

	void test('credentials: an expired STS token (gateway InvalidSecurityToken.Expired) → exit 3 with the refresh hint', async () => {
		// A sandbox of its own: the injected answer must not be taken by a concurrent case.
		const own = await startSandbox({ dataDir: path.join(work, 'sts-expired') });
		try {
			own.faults.add({
				target: 'api',
				action: 'GenerateOTAUploadURL',
				kind: 'status',
				status: 400,
				code: 'InvalidSecurityToken.Expired',
			});
			const env = {
				ALIBABA_CLOUD_ACCESS_KEY_ID: own.sts.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: own.sts.accessKeySecret,
				ALIBABA_CLOUD_SECURITY_TOKEN: own.sts.securityToken,
			};
			await expectRefused(runNet(['upload', firmware], env, own), {
				exit: 3,
				code: 'InvalidSecurityToken.Expired',
				message:
					'GenerateOTAUploadURL failed: The request processing has failed due to some unknown error (fault injected by the sandbox). Refresh the STS token: it has expired.',
				requestId: true,
			});
		} finally {
			await own.stop();
		}
	});

	void test('instance: an Enterprise-only account without --instance → iot.system.InstanceNotFound with the hint, exit 4', async () => {
		const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: enterprise.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: enterprise.accessKeySecret };
		await expectRefused(runNet(['upload', firmware], env, enterprise), {
			exit: 4,
			code: 'iot.system.InstanceNotFound',
			message:
				'GenerateOTAUploadURL failed: The specified instance does not exist. Set the IotInstanceId of your Enterprise instance (IoT Platform console → Instances), or check that it belongs to this region.',
			requestId: true,
		});
		await expectRefused(runNet(['upload', firmware, '--instance', 'iot-not-mine'], env, enterprise), {
			exit: 4,
			code: 'iot.system.InstanceNotFound',
			message:
				'GenerateOTAUploadURL failed: The specified instance does not exist. Check the IotInstanceId: it must be the ID of an Enterprise instance in this region.',
			requestId: true,
		});
		const ok = await runNet(['upload', firmware, '--instance', enterprise.enterpriseInstanceId], env, enterprise);
		assert.equal(ok.code, 0, ok.stdout + ok.stderr);
	});

	// ── endpoint ──────────────────────────────────────────────────────────────────────────────────

	const endpointHint =
		'Use a URL such as https://iot.cn-shanghai.aliyuncs.com, or leave the endpoint empty to derive it from the region.';
	const endpointCases: Array<[string, string, string, string]> = [
		[
			'not a URL',
			'iot dot example',
			'InvalidEndpoint',
			`The IoT endpoint "iot dot example" is not usable: it is not a URL. ${endpointHint}`,
		],
		[
			'an ftp:// URL',
			'ftp://127.0.0.1/',
			'InvalidEndpoint',
			`The IoT endpoint "ftp://127.0.0.1/" is not usable: the scheme must be https (got ftp). ${endpointHint}`,
		],
		[
			'a URL with a query string',
			'https://iot.cn-shanghai.aliyuncs.com/?x=1',
			'InvalidEndpoint',
			`The IoT endpoint "https://iot.cn-shanghai.aliyuncs.com/?x=1" is not usable: it must not contain a query string or fragment. ${endpointHint}`,
		],
		[
			'credentials in the URL (not echoed)',
			'https://LTAI:s3cr3tValue@iot.example.com',
			'InvalidEndpoint',
			`The IoT endpoint "https://***@iot.example.com" is not usable: it must not contain "@" (a user name or password). ${endpointHint}`,
		],
		[
			'a user name and password without a scheme (not echoed)',
			'LTAI:s3cr3tValue@iot.example.com',
			'InvalidEndpoint',
			`The IoT endpoint "***@iot.example.com" is not usable: it must not contain "@" (a user name or password). ${endpointHint}`,
		],
		[
			'a password holding an @ (not echoed, not even in part)',
			'https://LTAI:s3cr@tValue@iot.example.com',
			'InvalidEndpoint',
			`The IoT endpoint "https://***@iot.example.com" is not usable: it must not contain "@" (a user name or password). ${endpointHint}`,
		],
		[
			'a password holding a / (not a URL, and not echoed)',
			'https://LTAI:s3cr/tValue@iot.example.com',
			'InvalidEndpoint',
			`The IoT endpoint "https://***@iot.example.com" is not usable: it is not a URL. ${endpointHint}`,
		],
		[
			'plain http to a non-loopback host',
			'http://iot.example.com',
			'InsecureEndpoint',
			'The IoT endpoint iot.example.com uses plain http, which would send your credentials unencrypted. Use https, or explicitly allow insecure endpoints for testing.',
		],
	];
	for (const [what, endpoint, code, message] of endpointCases) {
		void test(`endpoint: ${what} → ${code}, exit 2, nothing sent`, async () => {
			// Any request would go through the "proxy", a local guard that counts it: nothing leaves 127.0.0.1 even on a regression.
			const guard = await untouchedEndpoint();
			try {
				const result = await inProcess(['upload', firmware, '--endpoint', endpoint, '--json'], {
					...OFFLINE_CREDS,
					HTTPS_PROXY: guard.endpoint,
					HTTP_PROXY: guard.endpoint,
				});
				await expectRefused({ ...result, hits: guard.hits() }, { exit: 2, code, message, offline: true });
			} finally {
				await guard.close();
			}
		});
	}

	void test('endpoint: plain http to an address the loopback check does not recognise works only with --allow-insecure-endpoint', async () => {
		// [::ffff:127.0.0.1] is this machine, but it is not on the loopback list: the flag is what lets it through.
		const mapped = sandbox.endpoint.replace('127.0.0.1', '[::ffff:127.0.0.1]');
		const refused = await run(['upload', firmware, '--endpoint', mapped]);
		assert.equal(refused.code, 2, refused.stdout);
		assert.equal((parseJsonOutput(refused).error as { code: string }).code, 'InsecureEndpoint');
		const allowed = await run(['upload', firmware, '--endpoint', mapped, '--allow-insecure-endpoint']);
		assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
	});
});
