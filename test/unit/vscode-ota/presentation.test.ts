import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import {
	connectionLabel,
	schemeTellsApart,
	countsText,
	deviceDescription,
	groupLabel,
	jobDescription,
	jobTypeLabel,
	nonEmptyGroups,
	packageDescription,
	quotaLabel,
	taskDescription,
} from '../../../src/vscode/ota/presentation';
import { counts, progress } from './fixtures';

const l10n = plainL10n;

void test('task groups: non-empty ones, failures first, with grouped counts', () => {
	const groups = nonEmptyGroups(counts({ SUCCEEDED: 9648, IN_PROGRESS: 340, FAILED: 12 }));
	assert.deepEqual(
		groups.map((g) => groupLabel(g.status, g.count, l10n, 'en')),
		['Failed (12)', 'In progress (340)', 'Succeeded (9,648)'],
	);
	assert.equal(groupLabel('CONFIRM', 1, l10n, 'en'), 'Waiting for confirmation (1)');
});

void test('counts read "640/1,000 ✓ · 3 ✗", without the failures when there are none', () => {
	assert.equal(countsText(progress({ SUCCEEDED: 640, FAILED: 3, IN_PROGRESS: 357 }).summary, 'en'), '640/1,000 ✓ · 3 ✗');
	assert.equal(countsText(progress({ SUCCEEDED: 2, QUEUED: 1 }).summary, 'en'), '2/3 ✓');
});

void test('a job: its type, then status, counts and whether it is watched', () => {
	assert.equal(jobTypeLabel({ jobType: 'VERIFY_FIRMWARE' }, l10n), 'Verification');
	assert.equal(jobTypeLabel({ jobType: 'UPGRADE_FIRMWARE', selectionType: 'STATIC', targetSelection: 'GRAY' }, l10n), 'Gray rollout');
	assert.equal(jobTypeLabel({ jobType: 'UPGRADE_FIRMWARE', selectionType: 'DYNAMIC', targetSelection: 'ALL' }, l10n), 'Dynamic rollout');
	const p = progress({ SUCCEEDED: 640, FAILED: 3, IN_PROGRESS: 357 });
	assert.equal(jobDescription({ jobStatus: 'IN_PROGRESS' }, p, 'watching', l10n, 'en'), 'In progress · 640/1,000 ✓ · 3 ✗ · watching');
	assert.equal(jobDescription({ jobStatus: 'IN_PROGRESS' }, p, 'starting', l10n, 'en'), 'In progress · 640/1,000 ✓ · 3 ✗ · watching');
	// A watch that does not poll now says so on the job's row.
	assert.equal(jobDescription({ jobStatus: 'IN_PROGRESS' }, p, 'paused', l10n, 'en'), 'In progress · 640/1,000 ✓ · 3 ✗ · watch paused');
	assert.equal(
		jobDescription({ jobStatus: 'IN_PROGRESS' }, p, 'waiting', l10n, 'en'),
		'In progress · 640/1,000 ✓ · 3 ✗ · watch waiting for the Local Sandbox',
	);
	assert.equal(
		jobDescription({ jobStatus: 'IN_PROGRESS' }, p, 'retrying', l10n, 'en'),
		'In progress · 640/1,000 ✓ · 3 ✗ · watch retrying',
	);
	assert.equal(jobDescription({ jobStatus: 'PLANNED' }, undefined, undefined, l10n, 'en'), 'Planned');
	assert.equal(
		jobDescription({ jobStatus: 'IN_PROGRESS' }, progress({ SUCCEEDED: 1 }, { jobStatus: 'COMPLETED' }), undefined, l10n, 'en'),
		'Completed · 1/1 ✓',
		'the counted status wins over the listed one',
	);
});

void test('a package: version, verification, size and age', () => {
	const now = Date.parse('2025-03-04T12:00:00Z');
	const firmware = {
		firmwareId: 'f',
		firmwareName: 'n',
		destVersion: '1.2.0',
		firmwareSize: 1536 * 1024,
		utcCreate: '2025-03-01T12:00:00.000Z',
	};
	// The age's words come from the runtime's ICU data (as in vscode-views/format.test.ts).
	const threeDaysAgo = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' }).format(-3, 'day');
	assert.equal(packageDescription(firmware, 'verified', l10n, 'en', now), `1.2.0 · Verified · 1.5 MB · ${threeDaysAgo}`);
	assert.equal(
		packageDescription({ ...firmware, firmwareSize: undefined, utcCreate: undefined }, 'verifyFailed', l10n, 'en', now),
		'1.2.0 · Verification failed',
	);
});

void test('quota, tasks and devices', () => {
	assert.equal(quotaLabel(12, 500, l10n, 'en'), 'Packages: 12 / 500');
	assert.equal(quotaLabel(undefined, 500, l10n, 'en'), 'Packages: ? / 500');
	assert.equal(
		taskDescription(
			{ taskId: 't', deviceName: 'd', status: 'IN_PROGRESS', progress: '42.00', srcVersion: '1.0', destVersion: '1.1' },
			l10n,
		),
		'1.0 → 1.1 · 42 %',
	);
	assert.equal(taskDescription({ taskId: 't', deviceName: 'd', status: 'FAILED', taskDesc: 'timeout' }, l10n), 'timeout');
	assert.equal(taskDescription({ taskId: 't', deviceName: 'd', status: 'QUEUED' }, l10n), 'Queued');
	assert.equal(deviceDescription({ deviceName: 'd', online: true, versions: { default: '1.0.0' } }, l10n), 'Online · 1.0.0');
	assert.equal(
		deviceDescription({ deviceName: 'd', online: false, versions: { default: '1.0.0', wifi: '2.1' } }, l10n),
		'Offline · default 1.0.0 · wifi 2.1',
	);
});

void test('connection rows: region · instance; the endpoint host only when the rows differ in endpoint, the region one for none', () => {
	const regionsDiffer = ['iotOta.region', 'iotOta.iotInstanceId'];
	assert.equal(connectionLabel({ region: 'ap-southeast-1' }, regionsDiffer, l10n), 'ap-southeast-1 · public instance');
	assert.equal(
		connectionLabel({ region: 'cn-shanghai', endpoint: 'https://gw.example.com', iotInstanceId: 'iot-1' }, regionsDiffer, l10n),
		'cn-shanghai · iot-1',
	);
	const endpointsDiffer = ['iotOta.endpoint'];
	const custom = connectionLabel({ region: 'cn-shanghai', endpoint: 'https://gw.example.com:8443/iot/' }, endpointsDiffer, l10n);
	const regional = connectionLabel({ region: 'cn-shanghai' }, endpointsDiffer, l10n);
	assert.equal(custom, 'cn-shanghai · public instance · gw.example.com:8443/iot');
	assert.equal(regional, 'cn-shanghai · public instance · iot.cn-shanghai.aliyuncs.com');
	assert.notEqual(custom, regional);
});

void test('connection rows: the endpoint in a label shows no user name, password or query, whatever its form', () => {
	const label = (endpoint: string) => connectionLabel({ region: 'cn-shanghai', endpoint }, ['iotOta.endpoint'], l10n);
	assert.equal(label('https://ak:s3cret@gw.example.com/iot/?token=t0k&x=1#frag'), 'cn-shanghai · public instance · gw.example.com/iot');
	// No scheme: "user:password@host" parses as a URL of scheme "user", its password as the path.
	for (const raw of ['ak:s3cret@gw.example.com', 'gw.example.com/iot?SecurityToken=t0k', 'gw.example.com#t0k']) {
		const shown = label(raw);
		assert.ok(!/s3cret|t0k/.test(shown), `${raw} shown as ${shown}`);
		assert.match(shown, /gw\.example\.com/);
	}
	// With its scheme (rows told apart by it alone, viewGroups.ts): still no user info nor query.
	const withScheme = connectionLabel(
		{ region: 'cn-shanghai', endpoint: 'http://ak:s3cret@gw.example.com/iot/?token=t0k' },
		['iotOta.endpoint'],
		l10n,
		true,
	);
	assert.equal(withScheme, 'cn-shanghai · public instance · http://gw.example.com/iot');
});

void test('the scheme tells rows apart only when their labels are alike but for it', () => {
	const https = { region: 'cn-shanghai', endpoint: 'https://gw.example.com' };
	const http = { region: 'cn-shanghai', endpoint: 'http://GW.example.com/' };
	assert.equal(schemeTellsApart(https, [https, http]), true);
	assert.equal(schemeTellsApart(http, [https, http]), true);
	assert.equal(schemeTellsApart(https, [https, { ...http, region: 'ap-southeast-1' }]), false, 'the region tells them apart');
	assert.equal(schemeTellsApart(https, [https, { ...http, iotInstanceId: 'iot-1' }]), false, 'the instance tells them apart');
	assert.equal(schemeTellsApart(https, [https, { ...http, endpoint: 'http://other.example.com' }]), false);
	// No endpoint set: the region's (https), so a folder's http:// of that host is told apart by its scheme.
	assert.equal(
		schemeTellsApart({ region: 'cn-shanghai' }, [{ region: 'cn-shanghai', endpoint: 'http://iot.cn-shanghai.aliyuncs.com' }]),
		true,
	);
});
