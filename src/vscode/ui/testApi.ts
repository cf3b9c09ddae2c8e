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
}
