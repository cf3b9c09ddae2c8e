import * as vscode from 'vscode';
import { redact } from '../core/errors';
import type { Logger } from '../core/logger';
import { printable } from '../core/printable';
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
	return printableLog(vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }));
}

const LOG_LEVELS: ReadonlySet<PropertyKey> = new Set(['trace', 'debug', 'info', 'warn', 'error']);

/** The channel with every log line made one printable line (src/core/printable.ts): server text cannot forge lines. */
export function printableLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
	return new Proxy(channel, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') {
				return value;
			}
			if (!LOG_LEVELS.has(property)) {
				return value.bind(target);
			}
			return (message: unknown, ...args: unknown[]) =>
				(value as (...all: unknown[]) => void).call(target, typeof message === 'string' ? printable(message) : message, ...args);
		},
	});
}

/** The core's Logger written onto the LogOutputChannel with a `[component]` prefix, redacted, one printable line each. */
export function coreLogger(channel: vscode.LogOutputChannel, mask: SecretMask, component: string): Logger {
	const line = (message: string) => mask.apply(`[${component}] ${printable(message)}`);
	return {
		trace: (message) => channel.trace(line(message)),
		debug: (message) => channel.debug(line(message)),
		info: (message) => channel.info(line(message)),
		warn: (message) => channel.warn(line(message)),
		error: (message) => channel.error(line(message)),
	};
}
