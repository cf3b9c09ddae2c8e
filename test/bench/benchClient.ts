import { IotClient } from '../../src/core/iotClient';

/** The API client of a measured child, pointed at the bench's sandbox through BENCH_* variables. */
export function benchClient(): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: process.env.BENCH_ENDPOINT,
		credentials: { accessKeyId: process.env.BENCH_AK_ID ?? '', accessKeySecret: process.env.BENCH_AK_SECRET ?? '' },
	});
}
