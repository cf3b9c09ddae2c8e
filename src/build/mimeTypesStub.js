// Bundled in place of `mime-types` (133 KB of mime-db). form-data only consults it when a part has no
// explicit contentType, and every part we send names its type; `false` makes form-data fall back to
// application/octet-stream, which is what firmware is.
module.exports = { lookup: () => false };
