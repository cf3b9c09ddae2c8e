import * as vscode from 'vscode';
import { redact } from '../core/errors';
import type { Logger } from '../core/logger';
import { OUTPUT_CHANNEL_NAME } from './constants';

/**
 * Secret values this extension host has seen (AccessKey Secrets, STS tokens). Every line written to
 * the log and every error text shown to the user is redacted against it, so a secret that leaks into
 * an error message of a library never reaches the screen or the log file.
 */
export class SecretMask {
	private readonly values = new Set<string>();

	add(...secrets: ReadonlyArray<string | undefined>): void {
		for (const secret of secrets) {
			if (secret && secret.length >= 4) {
				this.values.add(secret);
			}
		}
	}

	list(): string[] {
		return [...this.values];
	}

	apply(text: string): string {
		return redact(text, this.list());
	}
}

export function createLogChannel(): vscode.LogOutputChannel {
	return vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
}

/** The core's Logger written onto the LogOutputChannel with a `[component]` prefix, redacted. */
export function coreLogger(channel: vscode.LogOutputChannel, mask: SecretMask, component: string): Logger {
	const line = (message: string) => mask.apply(`[${component}] ${message}`);
	return {
		trace: (message) => channel.trace(line(message)),
		debug: (message) => channel.debug(line(message)),
		info: (message) => channel.info(line(message)),
		warn: (message) => channel.warn(line(message)),
		error: (message) => channel.error(line(message)),
	};
}
