import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { credentialsFromEnv, readAliyunCliProfile, validateCredentials } from '../../../src/core/credentials';
import { OtaError } from '../../../src/core/errors';

const SECRET = 'kS3cr3tValueThatMustNotLeak';
const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-creds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, config: unknown): string {
	const file = path.join(dir, name);
	writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
	return file;
}

const profile = (over: Record<string, unknown>) => ({
	name: 'default',
	mode: 'AK',
	access_key_id: 'LTAIdefault',
	access_key_secret: SECRET,
	sts_token: '',
	region_id: 'cn-shanghai',
	...over,
});

function assertNoSecret(error: unknown): true {
	assert.ok(error instanceof OtaError);
	assert.equal(error.source, 'credentials');
	assert.equal(`${error.message} ${error.hint ?? ''}`.includes(SECRET), false);
	return true;
}

void test('credentialsFromEnv reads ALIBABA_CLOUD_* (trimmed), with an optional STS token', () => {
	assert.equal(credentialsFromEnv({}), undefined);
	assert.deepEqual(credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: ' LTAIabc ', ALIBABA_CLOUD_ACCESS_KEY_SECRET: `${SECRET}\n` }), {
		accessKeyId: 'LTAIabc',
		accessKeySecret: SECRET,
	});
	assert.deepEqual(
		credentialsFromEnv({
			ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.abc',
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
			ALIBABA_CLOUD_SECURITY_TOKEN: 'tok',
		}),
		{ accessKeyId: 'STS.abc', accessKeySecret: SECRET, securityToken: 'tok' },
	);
	assert.deepEqual(credentialsFromEnv({ ALICLOUD_ACCESS_KEY_ID: 'LTAIold', ALICLOUD_ACCESS_KEY_SECRET: SECRET }), {
		accessKeyId: 'LTAIold',
		accessKeySecret: SECRET,
	});
});

void test('credentialsFromEnv refuses half-set variables and STS ids without token', () => {
	assert.throws(
		() => credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIabc' }),
		(e: unknown) => {
			assertNoSecret(e);
			assert.match((e as OtaError).message, /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not/);
			return true;
		},
	);
	assert.throws(() => credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }), /ALIBABA_CLOUD_ACCESS_KEY_ID is not/);
	assert.throws(() => credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.abc', ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET }), {
		code: 'MissingSecurityToken',
	});
});

void test('validateCredentials: one clear error per problem, never echoing the secret', () => {
	const cases: Array<[Partial<{ accessKeyId: string; accessKeySecret: string; securityToken: string }>, string]> = [
		[{ accessKeySecret: SECRET }, 'MissingAccessKeyId'],
		[{ accessKeyId: '   ', accessKeySecret: SECRET }, 'MissingAccessKeyId'],
		[{ accessKeyId: 'LTAI abc', accessKeySecret: SECRET }, 'InvalidAccessKeyId'],
		[{ accessKeyId: 'LTAIabc', accessKeySecret: ' \t' }, 'MissingAccessKeySecret'],
		[{ accessKeyId: 'LTAIabc', accessKeySecret: `${SECRET} x` }, 'InvalidAccessKeySecret'],
		[{ accessKeyId: 'STS.abc', accessKeySecret: SECRET, securityToken: '  ' }, 'MissingSecurityToken'],
	];
	for (const [input, code] of cases) {
		assert.throws(
			() => validateCredentials(input),
			(e: unknown) => assertNoSecret(e) && (e as OtaError).code === code,
			code,
		);
	}
	assert.deepEqual(validateCredentials({ accessKeyId: ' LTAIabc ', accessKeySecret: ` ${SECRET} `, securityToken: '' }), {
		accessKeyId: 'LTAIabc',
		accessKeySecret: SECRET,
	});
});

void test('aliyun config: the current profile in AK mode, with its region', async () => {
	const configPath = writeConfig('ak.json', {
		current: 'work',
		profiles: [profile({}), profile({ name: 'work', access_key_id: 'LTAIwork', region_id: 'ap-southeast-1' })],
		meta_path: '',
	});
	assert.deepEqual(await readAliyunCliProfile({ configPath, env: {} }), {
		name: 'work',
		mode: 'AK',
		credentials: { accessKeyId: 'LTAIwork', accessKeySecret: SECRET },
		region: 'ap-southeast-1',
	});
});

void test('aliyun config: an explicit profile beats ALIBABA_CLOUD_PROFILE, which beats current', async () => {
	const configPath = writeConfig('multi.json', {
		current: 'default',
		profiles: [profile({}), profile({ name: 'env', access_key_id: 'LTAIenv' }), profile({ name: 'cli', access_key_id: 'LTAIcli' })],
	});
	const env = { ALIBABA_CLOUD_PROFILE: 'env' };
	assert.equal((await readAliyunCliProfile({ configPath, env }))?.credentials.accessKeyId, 'LTAIenv');
	assert.equal((await readAliyunCliProfile({ configPath, env, profile: 'cli' }))?.credentials.accessKeyId, 'LTAIcli');
	assert.equal((await readAliyunCliProfile({ configPath, env: {} }))?.credentials.accessKeyId, 'LTAIdefault');
});

void test('aliyun config: StsToken mode (mode compared case-insensitively)', async () => {
	const configPath = writeConfig('sts.json', {
		current: 'sts',
		profiles: [profile({ name: 'sts', mode: 'ststoken', access_key_id: 'STS.tmp', sts_token: 'CAIStoken' })],
	});
	const result = await readAliyunCliProfile({ configPath, env: {} });
	assert.equal(result?.mode, 'StsToken');
	assert.deepEqual(result?.credentials, { accessKeyId: 'STS.tmp', accessKeySecret: SECRET, securityToken: 'CAIStoken' });
});

void test('aliyun config: StsToken mode without sts_token is refused', async () => {
	const configPath = writeConfig('sts-missing.json', {
		current: 'sts',
		profiles: [profile({ name: 'sts', mode: 'StsToken', access_key_id: 'LTAIx' })],
	});
	await assert.rejects(
		readAliyunCliProfile({ configPath, env: {} }),
		(e: unknown) => assertNoSecret(e) && (e as OtaError).code === 'MissingSecurityToken',
	);
});

void test('aliyun config: unsupported modes say which mode and what to do', async () => {
	const configPath = writeConfig('ram.json', {
		current: 'role',
		profiles: [profile({ name: 'role', mode: 'RamRoleArn', ram_role_arn: 'acs:ram::1:role/x' })],
	});
	await assert.rejects(readAliyunCliProfile({ configPath, env: {} }), (e: unknown) => {
		assertNoSecret(e);
		const err = e as OtaError;
		assert.equal(err.code, 'UnsupportedProfileMode');
		assert.match(err.message, /"role" uses mode RamRoleArn/);
		assert.match(err.hint ?? '', /ALIBABA_CLOUD_ACCESS_KEY_ID/);
		return true;
	});
});

void test('aliyun config: a missing profile lists the ones that exist', async () => {
	const configPath = writeConfig('few.json', { current: 'default', profiles: [profile({}), profile({ name: 'other' })] });
	await assert.rejects(readAliyunCliProfile({ configPath, profile: 'nope', env: {} }), (e: unknown) => {
		const err = e as OtaError;
		assert.equal(err.code, 'ProfileNotFound');
		assert.match(err.message, /no profile named "nope"/);
		assert.match(err.hint ?? '', /default, other/);
		return true;
	});
});

void test('aliyun config: no file → undefined; broken JSON → a clear error; IGNORE_PROFILE honoured', async () => {
	assert.equal(await readAliyunCliProfile({ configPath: path.join(dir, 'absent.json'), env: {} }), undefined);
	await assert.rejects(readAliyunCliProfile({ configPath: writeConfig('broken.json', '{"current": '), env: {} }), {
		code: 'InvalidAliyunConfig',
	});
	assert.equal(await readAliyunCliProfile({ env: { ALIBABA_CLOUD_IGNORE_PROFILE: 'TRUE' } }), undefined);
});
