// What a firmware file says about itself (docs/protocols.md §9). One shape for every format,
// so the CLI, the extension and the sandbox read the same fields.
import type { Container } from '../limits';
import type { FirmwareSuffix } from '../types';

export type ContentFormat = 'esp-idf' | 'mcuboot' | 'zip' | 'tar' | 'gzip' | 'unknown';

/** Where the embedded version was read from; there is no "guessed". */
export type VersionSource = 'esp-app-desc' | 'mcuboot-header' | 'nrf-manifest' | 'manifest' | 'version-file' | 'nested-image' | 'marker';

/** What a check's `detail` says, as a code and its values, for a shell to word in its own language (`detail` is the English). */
export type CheckProblem =
	| { code: 'truncated'; endsAt: number; needed: number }
	| { code: 'tlv-magic'; magic: string; offset: number; expectedBytes?: number }
	| { code: 'tlv-overrun'; offset: number }
	| { code: 'header-size'; headerSize: number };

/** Which check it is, as a code: checkNameText is its English, the `name`; a shell words it in its own language. */
export type CheckKind =
	| 'esp-checksum'
	| 'esp-sha256'
	| 'esp-structure'
	| 'mcuboot-header'
	| 'mcuboot-structure'
	| 'mcuboot-tlv-structure'
	| 'mcuboot-tlv-area'
	| 'mcuboot-digest'
	| 'zip-structure'
	| 'zip-crc'
	| 'gzip-crc'
	| 'gzip-stream'
	| 'tar-structure'
	| 'archive-contents'
	| 'archive-entries';

/** A check's name as a code and its values (`name` is the English). */
export interface CheckLabel {
	kind: CheckKind;
	/** The archive entries the check is about, outermost first; the name puts each before it ("fw.tar: app.bin: …"). */
	within?: string[];
	/** An MCUboot digest TLV's algorithm: "SHA-256", "SHA-384", "SHA-512". */
	algorithm?: string;
	/** How many entries a ZIP's CRC-32s verified. */
	count?: number;
}

/** One integrity check: what the file stores against what was computed from its bytes. */
export interface IntegrityCheck {
	/** e.g. "ESP image checksum", "app.bin: MCUboot SHA-256 TLV": checkNameText(label). */
	name: string;
	label: CheckLabel;
	/** `unverifiable`: the check exists but cannot be done here (an encrypted payload, no zlib.crc32). */
	status: 'verified' | 'mismatch' | 'unverifiable';
	stored?: string;
	computed?: string;
	detail?: string;
	/** The detail's code and values, where the detail is one of ours (not a decoder's message). */
	problem?: CheckProblem;
}

/** `damaged`: at least one check failed (or the file ends early); `not-applicable`: the format has nothing to check. */
export type IntegrityVerdict = 'verified' | 'damaged' | 'not-applicable';

export interface Integrity {
	verdict: IntegrityVerdict;
	checks: IntegrityCheck[];
}

export interface SignatureInfo {
	present: boolean;
	/** e.g. "ECDSA-P256", "RSA-3072 (PSS)", "Secure Boot v2 RSA-3072"; empty when none. */
	kinds: string[];
}

export interface EspImageDetails {
	chipId: number;
	segments: number;
	spiMode: string;
	/** The header's clock divider code (esp_image_spi_freq_t), e.g. "DIV_2"; the MHz value depends on the chip. */
	spiSpeed: string;
	flashSize: string;
	entryAddress: string;
	minChipRevision: string;
	maxChipRevision: string;
	hashAppended: boolean;
	/** Bytes up to and including the checksum and the appended SHA-256. */
	imageLength: number;
	appDescription?: {
		secureVersion: number;
		version: string;
		projectName: string;
		time: string;
		date: string;
		idfVersion: string;
		elfSha256: string;
	};
	/** Bytes after the image (padding, a signature sector). */
	trailingBytes: number;
}

export interface McubootTlv {
	type: number;
	name: string;
	length: number;
	protected: boolean;
}

export interface McubootDetails {
	loadAddress: string;
	headerSize: number;
	protectedTlvSize: number;
	imageSize: number;
	flags: string[];
	version: { major: number; minor: number; revision: number; build: number };
	tlvs: McubootTlv[];
	securityCounter?: number;
	encrypted: boolean;
	/** Bytes after the TLV area (slot padding, the boot trailer). */
	trailingBytes: number;
}

export interface ArchiveEntry {
	/** Path inside the archive, "/"-separated. */
	name: string;
	size: number;
	type: 'file' | 'directory' | 'link' | 'other';
	/** What the entry itself is, when it is an image or an archive. */
	content?: ContentInfo;
}

export interface ArchiveDetails {
	entries: ArchiveEntry[];
	entryCount: number;
	/** More entries than are listed (the listing is capped). */
	listingTruncated: boolean;
	/** The entry the version came from (manifest.json, VERSION, an image). */
	versionEntry?: string;
}

export interface ContentInfo {
	format: ContentFormat;
	/** Chip or board: "ESP32-S3", an nRF manifest's board. */
	chip?: string;
	project?: string;
	/** The version the contents declare; undefined means "version unknown". */
	version?: string;
	versionSource?: VersionSource;
	/** Other spellings of the same version (MCUboot 1.2.3+4 is "1.2.3.4" as mcumgr reports it). */
	versionAliases?: string[];
	buildDate?: string;
	toolchain?: string;
	integrity: Integrity;
	signature: SignatureInfo;
	esp?: EspImageDetails;
	mcuboot?: McubootDetails;
	archive?: ArchiveDetails;
	/** A gzip stream's payload. */
	inner?: ContentInfo;
	/** Findings worth showing that do not make the file inconsistent. */
	warnings: string[];
}

/**
 * Why contents do not fit the suffix, as a code and values for a shell to word in its own language (`message` is the
 * English): the suffix wants `expected` (a tar inside gzip for .tar.gz), or a raw image's name holds the `found` archive.
 */
export type SuffixProblem =
	{ code: 'contents-mismatch'; expected: Container; inGzip?: boolean } | { code: 'archive-as-image'; found: Container };

/** `none`: the name has no OTA suffix, so there is nothing to compare; a mismatch and `none` say why in `message`. */
export type SuffixCheck =
	| { suffix: FirmwareSuffix; status: 'match'; message?: undefined }
	| { suffix: FirmwareSuffix; status: 'mismatch'; message: string; problem: SuffixProblem }
	| { suffix?: undefined; status: 'none'; message: string };

export interface FirmwareIdentity extends ContentInfo {
	file: string;
	size: number;
	md5: string;
	sha256: string;
	suffix: SuffixCheck;
	/** Not damaged and the contents match the suffix (`iot-ota inspect` exits 0). */
	consistent: boolean;
}

export interface InspectOptions {
	/** Searched in the first and last MB of contents no parser recognises; see compileVersionMarker. Off by default. */
	versionMarker?: RegExp;
	signal?: AbortSignal;
}
