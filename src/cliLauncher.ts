// The `iot-ota` executable: turns Node's compile cache on before the CLI bundle (./cli-main.js, from src/cli.ts) is
// loaded, so that bundle is compiled from the cache too. esbuild keeps the require below as it is (esbuild.js).
import { homedir } from 'node:os';
import { enableCompileCache } from './cli/compileCache';

enableCompileCache(process.env, process.platform, homedir());
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./cli-main.js');
