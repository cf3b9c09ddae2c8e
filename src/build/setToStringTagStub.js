// Bundled in place of `es-set-tostringtag`, a polyfill for engines without Symbol.toStringTag, which loads
// get-intrinsic and ~30 helper modules. form-data calls it once, at load, to name FormData.prototype; this does
// what the package does on every Node we run on, without the ~2 ms those modules cost a process's first upload
// (docs/performance.md, "Mechanisms").
module.exports = function setToStringTag(object, value, options) {
	if (options?.force || !Object.prototype.hasOwnProperty.call(object, Symbol.toStringTag)) {
		Object.defineProperty(object, Symbol.toStringTag, {
			configurable: !options?.nonConfigurable,
			enumerable: false,
			value,
			writable: false,
		});
	}
};
