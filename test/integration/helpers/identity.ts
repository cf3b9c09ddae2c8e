// Shared by the firmware identity suites (identity*.test.ts): the ESP-IDF app image they upload and show, which
// declares VERSION, and the actions the suite's sandbox received.
import { espImage } from '../../support/firmware';
import type { SuiteContext } from './ota';

export const VERSION = '2.4.0';
export const image = espImage({ app: { version: VERSION, projectName: 'identity_app' } });

/** The actions the suite's sandbox received in the running test. */
export const actionsSent = (ctx: SuiteContext): string[] => ctx.sandbox.requests.entries.map((e) => e.action);
