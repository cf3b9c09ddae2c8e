import { IotClient } from '../../src/core/iotClient';

interface SandboxAccess {
	endpoint: string;
	accessKeyId: string;
	accessKeySecret: string;
}

/** An API client of the bench's sandbox. */
export function sandboxClient(info: SandboxAccess): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: info.endpoint,
		credentials: { accessKeyId: info.accessKeyId, accessKeySecret: info.accessKeySecret },
	});
}

/** The BENCH_* variables through which a measured child reaches the sandbox (read back by `benchClient`). */
export function childEnv(info: SandboxAccess): NodeJS.ProcessEnv {
	return { BENCH_ENDPOINT: info.endpoint, BENCH_AK_ID: info.accessKeyId, BENCH_AK_SECRET: info.accessKeySecret };
}

/** The credentials `iot-ota` reads from the environment, for the sandbox. */
export function cliEnv(info: SandboxAccess): NodeJS.ProcessEnv {
	return { ALIBABA_CLOUD_ACCESS_KEY_ID: info.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: info.accessKeySecret };
}

/** The API client of a measured child, pointed at the bench's sandbox through BENCH_* variables. */
export function benchClient(): IotClient {
	return sandboxClient({
		endpoint: process.env.BENCH_ENDPOINT ?? '',
		accessKeyId: process.env.BENCH_AK_ID ?? '',
		accessKeySecret: process.env.BENCH_AK_SECRET ?? '',
	});
}
