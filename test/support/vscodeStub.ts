// A minimal `vscode` module for unit tests of extension modules whose logic needs only l10n, commands, events and
// Disposable.from, ThemeIcon: `require('vscode')` resolves to this object once installVscodeStub() ran (load the module under test
// afterwards, with a dynamic import). Anything else of the API is absent, so a test fails loudly if the module reaches
// for it.
import Module from 'node:module';

export interface VscodeStub {
	l10n: { t(message: string, ...args: unknown[]): string };
	commands: {
		executed: Array<{ command: string; args: unknown[] }>;
		executeCommand(command: string, ...args: unknown[]): Promise<undefined>;
		registerCommand(command: string, callback: (...args: unknown[]) => unknown): { dispose(): void };
	};
	EventEmitter: typeof StubEventEmitter;
	Disposable: { from(...disposables: Array<{ dispose(): unknown }>): { dispose(): void } };
	ThemeIcon: typeof StubThemeIcon;
}

/** vscode.ThemeIcon's contract a quick-pick item's iconPath needs: the codicon's id. */
class StubThemeIcon {
	constructor(readonly id: string) {}
}

/** vscode.EventEmitter's contract: `event` subscribes (returns a disposable), `fire` calls every listener. */
class StubEventEmitter<T> {
	private listeners = new Set<(value: T) => void>();
	readonly event = (listener: (value: T) => void): { dispose(): void } => {
		this.listeners.add(listener);
		return { dispose: () => this.listeners.delete(listener) };
	};
	fire(value: T): void {
		for (const listener of [...this.listeners]) {
			listener(value);
		}
	}
	dispose(): void {
		this.listeners.clear();
	}
}

let installed: VscodeStub | undefined;

export function installVscodeStub(): VscodeStub {
	if (installed) {
		return installed;
	}
	const executed: VscodeStub['commands']['executed'] = [];
	const stub: VscodeStub = {
		l10n: {
			t: (message, ...args) =>
				message.replace(/\{(\d+)\}/g, (match, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : match)),
		},
		commands: {
			executed,
			executeCommand: async (command, ...args) => {
				executed.push({ command, args });
				return undefined;
			},
			registerCommand: () => ({ dispose: () => undefined }),
		},
		EventEmitter: StubEventEmitter,
		Disposable: { from: (...disposables) => ({ dispose: () => disposables.forEach((d) => d.dispose()) }) },
		ThemeIcon: StubThemeIcon,
	};
	const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
	const original = loader._load;
	loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
		return request === 'vscode' ? stub : original.call(this, request, parent, isMain);
	};
	installed = stub;
	return stub;
}
