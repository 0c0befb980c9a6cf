/**
 `node:http` and `node:crypto` taken through `require`. Importing them as ES
 modules builds a namespace of every export, and reading their lazy getters
 (`WebSocket`, `webcrypto`) loads undici and WebCrypto: about 2 MB of a
 headless mcpd's resident memory, for code it never runs.
 */
import {createRequire} from 'node:module';
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';

const require = createRequire(import.meta.url);

export const http = require('node:http') as typeof Http;
export const crypto = require('node:crypto') as typeof Crypto;
