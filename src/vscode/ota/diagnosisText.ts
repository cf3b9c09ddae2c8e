// A diagnosis worded in the window's language, by its code, from the values it is made of (core diagnosisValues). The
// core's English (`diagnose`) stays the CLI's; test/unit/vscode-ota/diagnosisText.test.ts checks that the English here
// is word for word the core's, for every code. A code this table does not know keeps the core's English.
import type { l10n } from 'vscode';
import type { Diagnosis, DiagnosisValues } from '../../core/lifecycle';
import type { Translator } from '../upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator (the type-only import lets `@vscode/l10n-dev export` find the texts). */
export type DiagnosisL10nIsTranslator = typeof l10n extends Translator ? true : never;

type Wording = (v: DiagnosisValues, l10n: Translator) => { cause: string; fix: string } | undefined;

/** ` ("TaskDesc")` when the task has one. */
const quoted = (v: DiagnosisValues, l10n: Translator) => (v.desc ? l10n.t(' ("{0}")', v.desc) : '');
const retry = (v: DiagnosisValues) => `iot-ota retry ${v.jobId} --tasks ${v.taskId}`;

const WORDINGS: Record<string, Wording> = {
	'version-mismatch': (v, l10n) => ({
		cause: v.version
			? l10n.t("the device reports {0}: the image's version differs from DestVersion {1}", v.version, v.dest)
			: l10n.t('the device reported a version that is neither its old version nor DestVersion {0}', v.dest),
		fix: l10n.t('rebuild the image with that version, or register the package with the version the image reports'),
	}),
	timeout: (v, l10n) => ({
		cause:
			l10n.t('no DestVersion {0} report within the {1}-minute timeout after the first progress', v.dest, v.timeout) +
			(v.version && v.version === v.srcVersion ? l10n.t('; the device still reports {0}', v.version) : ''),
		fix: l10n.t(
			'check that the new image boots and reports its version at start-up (/ota/device/inform); raise --timeout for slow downloads',
		),
	}),
	'download-failed': (v, l10n) => ({
		cause: l10n.t('the device could not download the package{0}', quoted(v, l10n)),
		fix: l10n.t("check the device's network, DNS and TLS access to OSS and its free storage, then {0}", retry(v)),
	}),
	'checksum-failed': (v, l10n) => ({
		cause: l10n.t("the downloaded file did not match the package's digest{0}", quoted(v, l10n)),
		fix: l10n.t("check the device's download buffer and sign method; if it persists, upload and register the package again"),
	}),
	'flash-failed': (v, l10n) => ({
		cause: l10n.t('the device could not write the image to flash{0}', quoted(v, l10n)),
		fix: l10n.t('check that the image fits the OTA partition and is built for this board'),
	}),
	'busy-elsewhere': (v, l10n) =>
		v.elsewhere && {
			cause: l10n.t(
				'the device already had an unfinished task in job {0} ({1}), so this one failed',
				v.elsewhere.jobId,
				v.elsewhere.status,
			),
			fix: l10n.t(
				'cancel that task (iot-ota cancel {0} --devices {1}) and retry, or roll out with --overwrite',
				v.elsewhere.jobId,
				v.deviceName,
			),
		},
	cancelled: (v, l10n) => ({
		cause: l10n.t('the task was cancelled{0}', quoted(v, l10n)),
		fix: l10n.t('{0} runs it again', retry(v)),
	}),
	'rolled-back': (v, l10n) =>
		v.version === undefined
			? undefined
			: {
					cause: l10n.t(
						'the task succeeded but the device now reports {0}: it went back from {1} (a crash loop or a rollback?)',
						v.version,
						v.dest,
					),
					fix: l10n.t('check the new image for crashes after boot; the bootloader reverted it'),
				},
	'waiting-confirm': (v, l10n) => ({
		cause: l10n.t('the task waits for confirmation (the batch needs confirming)'),
		fix: `iot-ota confirm ${v.jobId} --tasks ${v.taskId}`,
	}),
	offline: (v, l10n) => ({
		cause: l10n.t('the device is {0}: the task waits until it connects', v.deviceStatus?.toLowerCase() ?? '?'),
		fix: l10n.t('bring the device online; the platform pushes the package when it connects'),
	}),
	'not-pulled': (_v, l10n) => ({
		cause: l10n.t('the batch does not push (NeedPush off) and the device has not asked for the package'),
		fix: l10n.t('let the device request it (thing/ota/firmware/get), or roll out again with push enabled'),
	}),
	'never-reports': (v, l10n) => ({
		cause: l10n.t('the device was notified but never reported progress, so the timeout never starts and the platform keeps pushing'),
		fix: l10n.t(
			'make the device report progress (step ≥ 0) when it gets the push, or cancel it (iot-ota cancel {0} --devices {1})',
			v.jobId,
			v.deviceName,
		),
	}),
	'no-version-after-100': (v, l10n) => ({
		cause:
			l10n.t('the device finished (100 %) but never reported DestVersion {0}', v.dest) +
			(v.version ? l10n.t('; it reports {0}', v.version) : ''),
		fix: l10n.t('the new image must report its version at start-up (/ota/device/inform); check that it boots'),
	}),
	'no-timeout': (v, l10n) => ({
		cause: l10n.t('stuck at {0} % with no timeout set, so the task stays open until the device reports', v.progress),
		fix: l10n.t('cancel it (iot-ota cancel {0} --in-progress) and roll out with --timeout', v.jobId),
	}),
	queued: (_v, l10n) => ({
		cause: l10n.t('still queued: the batch is scheduled, rate-limited (--rate), or the device has not been reached'),
		fix: l10n.t('wait, or check the batch schedule and push rate with iot-ota watch'),
	}),
	'device-failed': (v, l10n) => ({
		cause: l10n.t('the device reported a failure{0}', quoted(v, l10n)),
		fix: l10n.t("see the device's log, fix the cause, then {0}", retry(v)),
	}),
};

/** The diagnosis's cause and fix in the window's language; the core's English where the values fall short. */
export function diagnosisText(diagnosis: Diagnosis, values: DiagnosisValues, l10n: Translator): { cause: string; fix: string } {
	return WORDINGS[diagnosis.code]?.(values, l10n) ?? { cause: diagnosis.cause, fix: diagnosis.fix };
}

/** The codes this module words (the test compares them with the core's KNOWN_CAUSES). */
export const WORDED_CODES: readonly string[] = Object.keys(WORDINGS);
