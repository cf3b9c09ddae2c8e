// A refused certificate (and a TLS configuration failure) in the extension: the message as the core says it, and the extension's own way to trust a CA
// (VS Code's system certificates) in place of the CLI's NODE_EXTRA_CA_CERTS; the log keeps the CLI's English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CERTIFICATE_HINTS, type CertificateFlaw } from '../../../src/core/certificateTrust';
import { mapPopError, type CallContext } from '../../../src/core/iot/popErrors';
import { TLS_CONFIGURATION_HINTS, type TlsMisconfiguration } from '../../../src/core/tlsFailure';
import { transportError } from '../../../src/core/upload/postObject';
import { CERTIFICATE_HINT_WORDS, TLS_CONFIGURATION_HINT_WORDS } from '../../../src/vscode/errorWordingsNetwork';
import { errorReport } from '../../../src/vscode/errorText';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { validationText } from '../../../src/vscode/validationText';
import { zhL10n } from './wordingHelpers';

const ctx: CallContext = { action: 'ListOTAFirmware', endpoint: 'https://iot.cn-shanghai.aliyuncs.com', secrets: [], timeoutMs: 30_000 };
const selfSigned = () => mapPopError({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, ctx);

void test('in English, an untrusted issuer names VS Code settings instead of NODE_EXTRA_CA_CERTS; the log keeps the CLI hint', () => {
	const error = selfSigned();
	assert.equal(
		validationText(error, plainL10n),
		'ListOTAFirmware: the TLS certificate of https://iot.cn-shanghai.aliyuncs.com is not trusted: self-signed certificate in certificate chain. ' +
			'If a proxy that inspects HTTPS or a private CA signs the certificates on this network and you trust it, add its CA certificate to the trusted certificates of the operating system, keep the VS Code settings http.systemCertificates on and http.proxySupport other than "off", then reload the window.',
	);
	const { shown, logged } = errorReport(error, plainL10n);
	assert.doesNotMatch(shown, /NODE_EXTRA_CA_CERTS/);
	assert.match(shown, /\(SELF_SIGNED_CERT_IN_CHAIN\)$/);
	assert.equal(logged, error.describe());
	assert.match(logged, /NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem/);
});

void test('in English, the date and host-name hints are the core words; every flaw has a wording', () => {
	assert.deepEqual(Object.keys(CERTIFICATE_HINT_WORDS).sort(), Object.keys(CERTIFICATE_HINTS).sort());
	for (const flaw of ['validity', 'host-name'] as CertificateFlaw[]) {
		assert.equal(CERTIFICATE_HINT_WORDS[flaw](plainL10n), CERTIFICATE_HINTS[flaw], flaw);
	}
	assert.notEqual(CERTIFICATE_HINT_WORDS.issuer(plainL10n), CERTIFICATE_HINTS.issuer);
});

void test('in a zh-cn window, a refused certificate reads in Chinese with the server and the system text kept', () => {
	assert.equal(
		validationText(selfSigned(), zhL10n),
		'ListOTAFirmware：https://iot.cn-shanghai.aliyuncs.com 的 TLS 证书不受信任：self-signed certificate in certificate chain。' +
			'如果此网络上的证书由检查 HTTPS 的代理或私有 CA 签发，且您信任它，请将其 CA 证书加入操作系统的受信任证书，保持 VS Code 设置 http.systemCertificates 为开启、http.proxySupport 不为 "off"，然后重新加载窗口。',
	);
	const expired = transportError({ name: 'Error', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'b.oss', []);
	assert.equal(
		validationText(expired, zhL10n),
		'PostObject：b.oss 的 TLS 证书不受信任：certificate has expired。请检查本机的日期和时间；如果它们正确，则是服务器或中间的代理出示了不在有效期内的证书。',
	);
	const altName = mapPopError(
		{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" },
		ctx,
	);
	assert.match(validationText(altName, zhL10n), /请检查接入点：其证书属于另一个主机名/);
	assert.equal(altName.retryable, false);
});

void test('in a zh-cn window, a TLS configuration failure (plain HTTP on the port) reads in Chinese, the system text kept', () => {
	const plainHttp = transportError(
		{ name: 'Error', code: 'EPROTO', message: 'write EPROTO 80:error:0A00010B:SSL routines::wrong version number:' },
		'b.oss',
		[],
	);
	assert.equal(
		validationText(plainHttp, zhL10n),
		'PostObject：无法与 b.oss 建立 TLS 连接：wrong version number。该接入点在此端口上不使用 HTTPS：请检查接入点的协议和端口。',
	);
	for (const problem of Object.keys(TLS_CONFIGURATION_HINTS) as TlsMisconfiguration[]) {
		assert.equal(TLS_CONFIGURATION_HINT_WORDS[problem](plainL10n), TLS_CONFIGURATION_HINTS[problem], problem);
		assert.notEqual(TLS_CONFIGURATION_HINT_WORDS[problem](zhL10n), TLS_CONFIGURATION_HINTS[problem], problem);
	}
	assert.deepEqual(Object.keys(TLS_CONFIGURATION_HINT_WORDS).sort(), Object.keys(TLS_CONFIGURATION_HINTS).sort());
});

void test('in a zh-cn window, a transient TLS failure of the upload gets the retry hint; another network failure none', () => {
	const damaged = transportError(
		{ name: 'Error', code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', message: 'decryption failed or bad record mac' },
		'b.oss',
		[],
	);
	assert.match(validationText(damaged, zhL10n), /与 OSS 的 TLS 连接中断；如果反复出现，请检查会拦截 HTTPS 的代理或网络设备。$/);
	const reset = transportError({ name: 'Error', code: 'ECONNRESET', message: 'socket hang up' }, 'b.oss', []);
	assert.doesNotMatch(validationText(reset, zhL10n), /TLS/);
	assert.doesNotMatch(validationText(reset, plainL10n), /TLS/);
});
