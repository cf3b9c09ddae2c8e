/** The time and number spellings of the IoT answers (docs/protocols.md §11.2–§11.8 give an example of each). */

/** `2019-11-04T03:38:22.000Z` (Utc* fields). */
export const iso = (ms: number): string => new Date(ms).toISOString();

const pad = (n: number): string => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Wed, 20-Feb-2019 02:16:09 GMT` (QueryDevice's Gmt* fields). */
export function cookieGmt(ms: number): string {
	const d = new Date(ms);
	const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${time} GMT`;
}

/** `2018-08-06 10:47:50`: QueryDeviceDetail's Gmt* fields, in China time (UTC+8) as in the documented example. */
export function chinaTime(ms: number): string {
	return iso(ms + 8 * 3600_000)
		.slice(0, 19)
		.replace('T', ' ');
}

/** `2020-10-13T09:46Z` (ListOTAModuleByProduct's GmtCreate / GmtModified, as documented). */
export const minuteIso = (ms: number): string => `${iso(ms).slice(0, 16)}Z`;

/** A task's Progress: a string with two decimals, `"0.00"`…`"100.00"`. */
export const progressText = (progress: number): string => progress.toFixed(2);

/** QueryOTAJob's GrayPercent: `"50.00"`, keeping a third decimal when one was given. */
export function percentText(percent: string): string {
	const decimals = percent.split('.')[1]?.length ?? 0;
	return Number(percent).toFixed(Math.max(2, decimals));
}
