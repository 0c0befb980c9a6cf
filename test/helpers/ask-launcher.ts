// Runs `mcpd ask` from source, as a process of its own, for tests:
//   node --import tsx test/helpers/ask-launcher.ts [ask options] TASK
import {runAskCli} from '../../source/ask/ask-cli.js';

process.exitCode = await runAskCli(process.argv.slice(2));
