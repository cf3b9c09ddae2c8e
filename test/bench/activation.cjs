// Measures module load + activate() of the production bundle against a minimal `vscode` stub.
// Every API the extension touches resolves to an inert stand-in, and the Node built-ins the bundle requires
// are loaded before the clock starts (VS Code's extension host has them loaded already), so this times our
// own code only. Prints {"ms", "requireMs", "activateMs", "builtinsMs", "lazyLoaded", "returned"}: `lazyLoaded` lists
// the files next to the bundle (dist/vendor/*.js, dist/sandbox.js: esbuild.js LAZY_VENDORS, LAZY_CHUNKS) that activation
// loaded, also on the idle turns after activate() — there should be none; `returned` is the type of what activate()
// returned (the production build returns nothing).
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { setImmediate } = require('node:timers');

function inert(name) {
	const fn = function () {};
	const assigned = new Map();
	return new Proxy(fn, {
		set(_target, prop, value) {
			assigned.set(prop, value);
			return true;
		},
		get(_target, prop) {
			if (assigned.has(prop)) {
				return assigned.get(prop);
			}
			if (prop === 'then') {
				return undefined; // not a thenable: awaiting it resolves at once
			}
			if (prop === Symbol.toPrimitive) {
				return () => name;
			}
			if (prop === Symbol.iterator) {
				return function* () {};
			}
			if (prop === 'length') {
				return 0;
			}
			return inert(`${name}.${String(prop)}`);
		},
		apply() {
			return inert(`${name}()`);
		},
		construct() {
			return inert(`new ${name}`);
		},
	});
}

function memento() {
	const data = new Map();
	return {
		get: (k, d) => (data.has(k) ? data.get(k) : d),
		update: async (k, v) => void data.set(k, v),
		keys: () => [...data.keys()],
		setKeysForSync() {},
	};
}

// Enumerable top-level names (namespaces, classes, enums) so esbuild's namespace-import helper copies them.
const apiNames = [
	...new Set(
		[
			...require('node:fs')
				.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8')
				.matchAll(/^\t*export (?:namespace|class|enum) (\w+)/gm),
		].map((m) => m[1]),
	),
];
const vscodeStub = Object.fromEntries(apiNames.map((name) => [name, inert(name)]));
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
	return request === 'vscode' ? vscodeStub : originalLoad.call(this, request, ...rest);
};

const bundle = path.resolve(process.argv[2] ?? 'dist/extension.js');
const storage = path.join(os.tmpdir(), `iot-ota-activation-${process.pid}`);
const context = {
	subscriptions: [],
	globalState: memento(),
	workspaceState: memento(),
	secrets: {
		get: async () => undefined,
		store: async () => undefined,
		delete: async () => undefined,
		onDidChange: () => ({ dispose() {} }),
	},
	extensionUri: inert('extensionUri'),
	extensionPath: path.dirname(path.dirname(bundle)),
	globalStorageUri: { fsPath: storage, scheme: 'file', path: storage },
	storageUri: undefined,
	logUri: { fsPath: storage },
	extensionMode: 1,
	extension: inert('extension'),
	asAbsolutePath: (p) => path.join(path.dirname(path.dirname(bundle)), p),
};

const builtins = [
	...new Set(
		[
			...require('node:fs')
				.readFileSync(bundle, 'utf8')
				.matchAll(/require\("([a-z_:/]+)"\)/g),
		].map((m) => m[1]),
	),
].filter((name) => Module.isBuiltin(name));

(async () => {
	const preloadStarted = process.hrtime.bigint();
	for (const name of builtins) {
		require(name);
	}
	const started = process.hrtime.bigint();
	const ext = require(bundle);
	const loaded = process.hrtime.bigint();
	const returned = await ext.activate(context);
	const ended = process.hrtime.bigint();
	// Whatever activate() left for an idle turn (an immediate, a timer: the upload path's preload must not be one) runs
	// before lazyLoaded is listed.
	await new Promise((resolve) => setImmediate(resolve));
	await new Promise((resolve) => setTimeout(resolve, 0));
	const ms = (a, b) => Number(b - a) / 1e6;
	const bundleDir = path.dirname(bundle) + path.sep;
	const lazyLoaded = Object.keys(require.cache)
		.filter((file) => file.startsWith(bundleDir) && file !== bundle)
		.map((file) => path.relative(bundleDir, file));
	process.stdout.write(
		`${JSON.stringify({ ms: ms(started, ended), requireMs: ms(started, loaded), activateMs: ms(loaded, ended), builtinsMs: ms(preloadStarted, started), lazyLoaded, returned: typeof returned })}\n`,
	);
	process.exit(0);
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
