import {startMcpd, testConfig, server} from './helpers/mcpd.ts';
const m = await startMcpd(testConfig([server('echo', {command: process.execPath, args: ['/work/shared/bench/echo-server.mjs']})], {http: {port: 3999}}));
console.log('ready', m.base);
process.on('SIGTERM', async () => { await m.close(); process.exit(0); });
