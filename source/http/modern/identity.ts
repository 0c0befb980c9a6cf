import type {IncomingHttpHeaders} from 'node:http';
import type {ServerConfig} from '../../config/types.js';
import type {IdentityRef} from '../../core/modern/pool.js';
import {headerEnv} from '../header-env.js';
import {crypto} from '../../lib/builtins.js';

const {createHash} = crypto;

/**
 A modern request's identity: its server plus the values of that server's
 `header_env` headers. Only a digest of the values is kept as the key, so
 neither the key nor its label (shown to people) carries a secret. Throws,
 naming only the header, when a value is unusable.
 */
export function identityOf(headers: IncomingHttpHeaders, server: ServerConfig): IdentityRef {
	const names = Object.keys(server.headerEnv);
	const env = headerEnv(headers, server.headerEnv);
	if (names.length === 0) {
		return {
			server, key: `${server.name}:`, label: 'shared', env,
		};
	}

	const hash = createHash('sha256');
	for (const name of names.toSorted()) {
		const variable = server.headerEnv[name];
		hash.update(`${name}\u{0}${env?.[variable] ?? ''}\u{0}`);
	}

	const digest = hash.digest('hex');
	return {
		server, key: `${server.name}:${digest}`, label: digest.slice(0, 8), env,
	};
}
