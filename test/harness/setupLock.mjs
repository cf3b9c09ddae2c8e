// A directory lock so two test runs on one machine never install into the same cache at the same time.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

function holderAlive(lockDir) {
	try {
		const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Runs `work` while holding `<cacheDir>/setup.lock`; waits (up to 40 min) for another live holder, takes over a stale one. */
export async function withSetupLock(cacheDir, log, work) {
	const lockDir = path.join(cacheDir, 'setup.lock');
	mkdirSync(cacheDir, { recursive: true });
	const deadline = Date.now() + 40 * 60_000;
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') {
				throw error;
			}
			if (!holderAlive(lockDir)) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) {
				throw new Error(`Timed out waiting for another setup to release ${lockDir}.`, { cause: error });
			}
			if (!announced) {
				log(`another process is setting up ${cacheDir}; waiting for it`);
				announced = true;
			}
			await delay(2000);
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}
