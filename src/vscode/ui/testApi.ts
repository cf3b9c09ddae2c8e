import type { Sandbox } from '../../sandbox';
import type { ProfileStore } from '../credentials/profileStore';
import type { HistoryStore } from '../history';
import type { Settings } from '../settings';
import type { StatusState, StatusView } from '../upload/statusBarRender';
import type { UploadTracker } from '../upload/tracker';
import type { TestSeam } from './testSeam';

/** What `activate()` returns when IOT_OTA_TEST_SEAM=1: the prompt seam plus read access for assertions. */
export interface IotOtaTestApi {
	testSeam: TestSeam;
	profiles: ProfileStore;
	history: HistoryStore;
	settings: Settings;
	uploads: UploadTracker;
	statusBar(): StatusView;
	statusBarState(): StatusState;
	/** The sandbox started by "Start Local Sandbox", if running. */
	sandbox(): Sandbox | undefined;
	/** Everything in globalState and workspaceState as JSON (tests assert no secret is persisted). */
	persistedState(): string;
	/** The values last written to the extra-firmware-pattern context keys. */
	firmwarePatternContext(): { extnames: string[]; names: string[] };
}
