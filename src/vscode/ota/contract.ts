// What the OTA commands build on (issue 14): the core lifecycle client of an account, the job watches and the OTA
// Packages view. `Services.ota` holds one of each; src/vscode/ota/index.ts builds them.
import type * as vscode from 'vscode';
import type { IotClient } from '../../core/iotClient';
import type { GuardPolicy, HaltReport, JobProgress, LifecycleClient, OtaJob, WatchOutcome } from '../../core/lifecycle';
import type { ConnectionChoice } from '../credentials/folderConnection';
import type { ProfileRecord } from '../model';
import type { ResolvedConnection } from '../workspaceTrust';
import type { ConnectionNode, LoadMoreNode, OtaRef } from './nodes';

/** The core clients of one account. Every call goes through the account's process-wide QPS limiters. */
export interface OtaConnection {
	profile: ProfileRecord;
	/** Every OTA lifecycle action (src/core/lifecycle/client.ts). */
	lifecycle: LifecycleClient;
	/** Products (QueryProductList) and the upload actions. */
	iot: IotClient;
	connection: ResolvedConnection;
}

/**
 * Where a command reached the platform: its profile, and the file whose folder settings (endpoint, instance) shaped the
 * connection, as URI text. A follow-up of that command (Delete Package of a package a cancel left registered) goes there.
 */
export interface OtaPlace {
	profile: string;
	scope?: string;
	/**
	 * The workspace folder that held `scope` when the place was made, as URI text (none: the file was in no folder). A place
	 * whose file is no longer in that folder is refused: the window's settings could name another account's instance (not one of
	 * the Local sandbox profile, which no folder setting moves).
	 */
	folder?: string;
}

export interface OtaAccess {
	/**
	 * For commands: the active profile's clients. With no profile (or its secret missing) the user is walked through
	 * Configure Credentials; a sandbox profile restarts the sandbox; a workspace endpoint asks for trust first.
	 */
	connect(): Promise<OtaConnection>;
	/**
	 * For a follow-up of a command: the clients of the profile and folder scope the command used (not the active
	 * profile's); a scoped connection is made for the call, not kept. Fails when the profile has no secret here, and when
	 * the place's folder is no longer open in the window (FolderNotOpen).
	 */
	connectAt(place: OtaPlace): Promise<OtaConnection>;
	/** For views: like connect(), but undefined instead of asking for credentials. */
	current(): Promise<OtaConnection | undefined>;
	/** A named profile's clients (a watch keeps the profile it was started with); undefined when it has no secret here. */
	forProfile(name: string): Promise<OtaConnection | undefined>;
	/**
	 * Whether a named profile has its record and its secret on this machine, read from the profile store: no client is
	 * made, and a sandbox profile does not start the sandbox.
	 */
	hasCredentials(name: string): Promise<boolean>;
	/** The profiles (also which one is active), the settings of how the account is reached, or the sandbox changed. */
	readonly onDidChange: vscode.Event<void>;
	/**
	 * A profile's record or secrets changed (saved again, replaced or removed, here or in another window), with its name;
	 * its connection is already dropped unless they are still what it was made from. Also for every profile after a change
	 * of the settings that shape its connection (then dropped). Not for a switch of the active profile.
	 */
	readonly onDidChangeProfile: vscode.Event<string>;
}

/** A watch as persisted in workspaceState (StateKeys.watchedJobs): enough to resume it after a reload. */
export interface WatchedJob {
	jobId: string;
	/** The profile it was started with; it keeps polling with that profile's account. */
	profile: string;
	/**
	 * With a place (Watch Job offered after a command that used a file's folder settings): that file, as URI text; it
	 * polls through the place's connection (OtaAccess.connectAt). Saved watches from before places have none.
	 */
	scope?: string;
	/** The place's folder (OtaPlace.folder). */
	folder?: string;
	/**
	 * With a place: the connection it last polled with, as the OTA Packages view's rows compare connections (region, endpoint
	 * as its calls use it, instance; watchRules.ts watchedConnection). A watch resumed after a reload whose folder is gone polls
	 * on at another open folder of this connection (watchRules.ts placeInstead). Saved watches from before it have none.
	 */
	connection?: ConnectionChoice;
	productKey?: string;
	firmwareId?: string;
	/** Halt the job when the guard's threshold is reached (Roll Out's halt guard, or Watch Job with `haltAt`). */
	guard?: GuardPolicy;
	/** Started right after a Retry Failed or Confirm: core watchJob's `afterRerun`. */
	afterRerun?: boolean;
	/** Epoch ms. */
	since: number;
}

/**
 * `watching`: polling; `paused`: the window has been unfocused for long (polling resumes on focus); `waiting`: a saved
 * watch of the Local Sandbox's profile, resumed while the sandbox is stopped (it polls once the user starts the sandbox);
 * `retrying`: the last refresh failed (error holds why) and it is tried again; `ended`: finished or halted (outcome), or
 * given up because no retry can mend it (no outcome; error holds why: the job is gone, the profile has no credentials,
 * the user stopped the Local Sandbox); no longer watched.
 */
export type WatchPhase = 'starting' | 'watching' | 'paused' | 'waiting' | 'retrying' | 'ended';

export interface WatchSnapshot {
	watched: WatchedJob;
	phase: WatchPhase;
	job?: OtaJob;
	progress?: JobProgress;
	outcome?: WatchOutcome;
	halt?: HaltReport;
	/** The last refresh's error, redacted. */
	error?: string;
}

export interface WatchEvent {
	jobId: string;
	/** `progress` fires after every refresh (progress.changed tells whether the counts moved). */
	type: 'started' | 'progress' | 'paused' | 'resumed' | 'error' | 'halted' | 'ended' | 'stopped';
	snapshot: WatchSnapshot;
}

/**
 * Watches given up together, told in one notice: one that no retry can mend (its job is gone…), or every watch of a
 * profile gone from this machine (`profile` set). Each also fires its own `ended` event.
 */
export interface WatchGiveUp {
	snapshots: WatchSnapshot[];
	/** The profile that has no credentials on this machine any more, when that is why they ended. */
	profile?: string;
	/** They were the watches of the Local Sandbox's profile, ended because the user stopped the sandbox. */
	sandboxStopped?: boolean;
}

export interface WatchRequest {
	jobId: string;
	productKey?: string;
	firmwareId?: string;
	guard?: GuardPolicy;
	/** The Watch Job offered after a Retry Failed or Confirm: the job's re-run tasks may run while it stays COMPLETED. */
	afterRerun?: boolean;
	/** Defaults to the active profile. */
	profile?: string;
	/** Where the command that offers the watch reached the platform: the watch polls there (its profile wins over `profile`). */
	place?: OtaPlace;
}

/** What a Watch Job call did. */
export interface WatchStart {
	/**
	 * The watch started (or was on already), so its guard acts; false when Stop Local Sandbox ended it before its first
	 * call returned. Told by the call, not read from the watch: the job may have ended (and with it the watch) before the
	 * call returned.
	 */
	started: boolean;
	/** The watch's latest snapshot. */
	snapshot: WatchSnapshot;
}

/** The jobs watched live in this window (core watchJob per job; the extension only renders). */
export interface JobWatches {
	/**
	 * Starts watching (persisted); watching a watched job again with another guard restarts its polling with that guard,
	 * and a waiting one polls at once.
	 */
	watch(request: WatchRequest): Promise<WatchStart>;
	/** Stops watching (the job keeps running); resolves once its polling has stopped. */
	unwatch(jobId: string): Promise<void>;
	isWatched(jobId: string): boolean;
	get(jobId: string): WatchSnapshot | undefined;
	/** Watched jobs, oldest first. */
	list(): WatchSnapshot[];
	readonly onDidChange: vscode.Event<WatchEvent>;
	/** Watches given up (after their `ended` events): the notice to show. */
	readonly onDidGiveUp: vscode.Event<WatchGiveUp>;
}

export interface RevealOptions {
	/** Expand the revealed node (a job: its task groups; a group: its first page). */
	expand?: boolean;
	focus?: boolean;
	select?: boolean;
	/**
	 * Where `ref` was reached (a watch's, an Uploads row's, a node's place): when the view lists several connections, the node
	 * is shown under that place's connection; without one, under the first that has it.
	 */
	place?: OtaPlace;
}

/** How other code (commands, the status bar, the Uploads view) asks the OTA Packages view to reload or show something. */
export interface OtaViewPort {
	/**
	 * Reloads what `ref` names: a job (jobId), a package (firmwareId), a product (productKey), or everything. Call it
	 * after a command changed something on the platform (a new job, a cancel, a delete).
	 */
	refresh(ref?: OtaRef): void;
	/**
	 * Shows the most specific node `ref` names (task group with taskStatus and jobId, job, package, product, device),
	 * loading the path to it (a job's package and product are looked up when not given).
	 */
	reveal(ref: OtaRef, opts?: RevealOptions): Promise<void>;
	/** Shows a device's unfinished tasks (in any job) under the device. */
	revealDeviceTasks(productKey: string, deviceName: string, place?: OtaPlace): Promise<void>;
	/** Shows the next page of a task group or a device list ("Load more…"). */
	loadMore(node: LoadMoreNode): void;
	/** Lists only the product's devices reporting `version` (undefined: all of them). */
	filterDevices(productKey: string, version: string | undefined, place?: OtaPlace): Promise<void>;
	/** The filter of a product's device list. */
	deviceFilter(productKey: string, place?: OtaPlace): string | undefined;
	/**
	 * The connection rows that show `ref`, looked in row by row (as reveal looks without a place); none when the view lists
	 * one connection. Refused when no row shows it.
	 */
	rowsShowing(ref: OtaRef): Promise<ConnectionNode[]>;
	/** The connection rows whose loaded devices list `deviceName` of `productKey`, in the view's order; none with one connection. */
	rowsWithDevice(productKey: string, deviceName: string): ConnectionNode[];
}

export interface OtaServices {
	access: OtaAccess;
	watches: JobWatches;
	view: OtaViewPort;
}
