import {fileURLToPath} from 'node:url';
import {defaultConfig, serverDefaults} from './config/load.js';
import type {Config} from './config/types.js';

/**
Bin/mcpd.js, found from source/ and dist/ alike (both sit beside bin/).
*/
const BIN = fileURLToPath(new URL('../bin/mcpd.js', import.meta.url));

/**
 With no config file, mcpd serves its own demo server (`mcpd demo-server`,
 run by this same Node) so the dashboard, the proxy and the prompt pane
 all have something real to show.
 */
export function embeddedConfig(): Config {
	const demo = serverDefaults('demo', process.execPath, [BIN, 'demo-server']);
	return defaultConfig([demo], '<built-in demo>');
}
