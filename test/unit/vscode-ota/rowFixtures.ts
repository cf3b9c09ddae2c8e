// What the tests of the OTA Packages view's connection rows share: two folders' places and rows (a: cn-shanghai with an
// Enterprise instance, b: ap-southeast-1), and the view's data over stubbed connections that record their calls.
import type { OtaConnection, OtaPlace } from '../../../src/vscode/ota/contract';
import type { ViewGroup } from '../../../src/vscode/ota/viewGroups';
import { OtaError } from '../../../src/core/errors';
import { job } from './fixtures';

export const placeA: OtaPlace = { profile: 'p', scope: 'file:///w/a', folder: 'file:///w/a' };
export const placeB: OtaPlace = { profile: 'p', scope: 'file:///w/b', folder: 'file:///w/b' };
export const groupA: ViewGroup = {
	key: 'cn-shanghai||iot-1',
	connection: { region: 'cn-shanghai', iotInstanceId: 'iot-1' },
	folders: ['a'],
	place: placeA,
	differing: ['iotOta.region', 'iotOta.iotInstanceId'],
	showsScheme: false,
};
export const groupB: ViewGroup = {
	...groupA,
	key: 'ap-southeast-1||',
	connection: { region: 'ap-southeast-1' },
	folders: ['b'],
	place: placeB,
};

/** A connection that lists `products` (pk1 unless told) with one package `fw-<name>` and one job, recording its calls as `<name> <action>`. */
function account(name: string, calls: string[], products = ['pk1']): OtaConnection {
	const firmware = { firmwareId: `fw-${name}`, firmwareName: name, destVersion: '1.0.0', productKey: 'pk1', status: 1 };
	return {
		connection: { region: name, iotInstanceId: undefined },
		iot: {
			queryProductList: async () => {
				calls.push(`${name} QueryProductList`);
				return {
					items: products.map((productKey) => ({ productKey, productName: 'Lamp', deviceCount: 1 })),
					total: products.length,
				};
			},
		},
		lifecycle: {
			listFirmware: async () => {
				calls.push(`${name} ListOTAFirmware`);
				return { items: [firmware], total: 1 };
			},
			listJobsByFirmware: async () => {
				calls.push(`${name} ListOTAJobByFirmware`);
				return { items: [job({ jobId: `job-${name}`, firmwareId: firmware.firmwareId })], total: 1 };
			},
			// Another instance's job or package: the platform's not-found answers (docs/protocols.md §11.10).
			queryJob: async (jobId: string) => {
				calls.push(`${name} QueryOTAJob`);
				if (jobId !== `job-${name}`) {
					throw new OtaError({ code: 'iot.ota.InvalidJobId', source: 'api', message: 'The job is not existed.' });
				}
				return { jobId, productKey: 'pk1', firmwareId: firmware.firmwareId };
			},
			queryFirmware: async (firmwareId: string) => {
				calls.push(`${name} QueryOTAFirmware`);
				if (firmwareId !== firmware.firmwareId) {
					throw new OtaError({
						code: 'iot.ota.FirmwareNotFound',
						source: 'api',
						message: 'The specified firmware does not exist.',
					});
				}
				return firmware;
			},
		},
	} as unknown as OtaConnection;
}

/**
 * The view's data with `groups` as its connection rows (none: one connection, the window's); `products`: what each
 * connection lists, by its name ('a', 'b', 'window').
 */
export async function treeData(groups: ViewGroup[], products: Record<string, string[]> = {}) {
	const { OtaTreeData } = await import('../../../src/vscode/ota/treeData.js');
	const { NodeCache } = await import('../../../src/vscode/ota/nodeCache.js');
	const calls: string[] = [];
	const connectedAt: OtaPlace[] = [];
	const data = new OtaTreeData({
		cache: new NodeCache(),
		connection: async () => account('window', calls, products.window),
		connectionAt: async (place) => {
			connectedAt.push(place);
			const name = place === placeA ? 'a' : 'b';
			return account(name, calls, products[name]);
		},
		groups: () => groups,
		groupKey: (place) => (place.scope === placeA.scope ? groupA.key : place.scope === placeB.scope ? groupB.key : undefined),
		watches: { get: () => undefined } as never,
		deviceFilter: () => undefined,
	});
	return { data, calls, connectedAt };
}
