// Writes ESP-IDF and MCUboot images and archives for the image-reader tests, byte by byte as esptool / espsecure and
// imgtool lay them out (docs/protocols.md §9, §Cross-checks). Nothing binary is checked in.
export * from './archives';
export * from './bytes';
export * from './esp';
export * from './mcuboot';
