// The set-up the `iot-ota upload --dry-run` suites (uploadDryRun*.test.ts) share: the upload suites' set-up
// (uploadSuite.ts) with a random 64 KB app.bin, the sandbox's request log cleared before each test, and the calls and
// checks both suites make.
import assert from 'node:assert/strict';
import { beforeEach } from 'node:test';
import { runCli, type CliRun } from './cliHarness';
import { useUploadSuite, type UploadSuite } from './uploadSuite';

export interface DryRunSuite extends Omit<UploadSuite, 'env' | 'upload' | 'refuseNextRegistration'> {
	/** The CLI's environment: a private HOME and the sandbox's AccessKey, or its STS key and token. */
	env(sts?: boolean): NodeJS.ProcessEnv;
	/** `iot-ota upload …args --endpoint <sandbox>`, in the suite's folder. */
	cliRun(args: string[], sts?: boolean): Promise<CliRun>;
	/** The arguments of a registering run for `version`. */
	create(version: string): string[];
	/** Every request the sandbox received, as "api:Action" / "oss:PostObject". */
	sent(): string[];
	/** The parameters of the first API request of `action`. */
	apiParams(action: string): Record<string, string> | undefined;
	/** Neither stdout nor stderr holds a secret (the AccessKey secret, the STS secret or token). */
	assertNoSecret(run: CliRun): void;
}

/** Registers the suite's hooks (call it inside `describe`); the values can be read in a test or a later hook. */
export function useDryRunSuite(prefix: string): DryRunSuite {
	const suite = useUploadSuite(prefix, undefined, 64 * 1024 + 3);
	const plainEnv = suite.env;
	const env = (sts = false) => {
		const { sts: key } = suite.sandbox;
		return sts
			? {
					...plainEnv(),
					ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
					ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
					ALIBABA_CLOUD_SECURITY_TOKEN: key.securityToken,
				}
			: plainEnv();
	};

	beforeEach(() => suite.sandbox.requests.clear());

	// The upload suite's getters stay; its functions are replaced by the dry-run suites' own.
	return Object.assign(suite, {
		env,
		cliRun: (args: string[], sts = false) =>
			runCli(suite.cli.cliPath, ['upload', ...args, '--endpoint', suite.sandbox.endpoint], { env: env(sts), cwd: suite.work }),
		create: (version: string) => ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', version],
		sent: () => suite.sandbox.requests.entries.map((e) => `${e.target}:${e.action}`),
		apiParams: (action: string) => suite.sandbox.requests.entries.find((e) => e.target === 'api' && e.action === action)?.params,
		assertNoSecret: (run: CliRun) => {
			const { sandbox } = suite;
			for (const secret of [sandbox.accessKeySecret, sandbox.sts.accessKeySecret, sandbox.sts.securityToken]) {
				assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false, 'a secret was printed');
			}
		},
	});
}
