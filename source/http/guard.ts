import {bracketHost} from '../lib/host.js';
import {crypto} from '../lib/builtins.js';

const {createHash, timingSafeEqual} = crypto;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

export function isWildcardHost(host: string): boolean {
	return ['0.0.0.0', '::', '[::]'].includes(host);
}

/**
`host:port` or `[v6]:port` → hostname, lower-cased, brackets kept for v6.
*/
export function hostnameOf(hostHeader: string): string {
	const value = hostHeader.trim().toLowerCase();
	if (value.startsWith('[')) {
		const end = value.indexOf(']');
		return end === -1 ? value : value.slice(0, end + 1);
	}

	const colon = value.indexOf(':');
	return colon === -1 ? value : value.slice(0, colon);
}

export type GuardOptions = {
	bindHost: string;
	allowedOrigins: string[];
	token: string | undefined;
	/**
	 Mcpd serves a page of its own (`[web]`): a request whose Origin is the
	 very host it was sent to comes from that page, wherever mcpd is reached.
	 */
	sameOrigin?: boolean;
};

/**
 DNS-rebinding and CSRF defence plus bearer auth. Pure, so the rules are tested
 without a server; the fastify hook only maps verdicts to statuses.
 */
export class Guard {
	readonly #allowedHosts: Set<string>;
	readonly #allowedOrigins: Set<string>;
	readonly #checkHost: boolean;
	readonly #tokenDigest: Buffer | undefined;
	readonly #sameOrigin: boolean;

	constructor(options: GuardOptions) {
		this.#allowedOrigins = new Set(options.allowedOrigins.map(origin => origin.toLowerCase().replace(/\/+$/, '')));
		this.#allowedHosts = new Set();
		for (const origin of this.#allowedOrigins) {
			try {
				this.#allowedHosts.add(new URL(origin).hostname);
			} catch {}
		}

		const bind = options.bindHost.toLowerCase();
		// Bound to every interface, the Host a client uses cannot be known; the token is the defence there.
		this.#checkHost = !isWildcardHost(bind);
		if (!isLoopbackHost(bind)) {
			this.#allowedHosts.add(bracketHost(bind));
		}

		this.#tokenDigest = options.token === undefined ? undefined : digest(options.token);
		// Under a wildcard bind without a token nothing vouches for the Host, and a
		// DNS-rebinding page is same-origin with whatever name it made up.
		this.#sameOrigin = options.sameOrigin === true && (this.#checkHost || this.#tokenDigest !== undefined);
	}

	/**
	Returns a reason when the request must be refused with 403.
	*/
	checkOrigin(hostHeader: string | undefined, originHeader: string | undefined): string | undefined {
		if (this.#checkHost) {
			if (hostHeader === undefined) {
				return 'missing Host header';
			}

			const hostname = hostnameOf(hostHeader);
			if (!isLoopbackHost(hostname) && !this.#allowedHosts.has(hostname)) {
				return `Host "${hostHeader}" is not allowed`;
			}
		}

		if (originHeader !== undefined && originHeader !== 'null') {
			const origin = originHeader.toLowerCase();
			if (this.#allowedOrigins.has(origin)) {
				return undefined;
			}

			let url: URL;
			try {
				url = new URL(origin);
			} catch {
				return `Origin "${originHeader}" is not allowed`;
			}

			const {hostname} = url;
			if (this.#sameOrigin && url.host === hostHeader?.trim().toLowerCase()) {
				return undefined;
			}

			if (!isLoopbackHost(hostname)) {
				return `Origin "${originHeader}" is not allowed (add it to http.allowed_origins)`;
			}
		} else if (originHeader === 'null') {
			return 'Origin "null" is not allowed';
		}

		return undefined;
	}

	/**
	True when no token is configured or the Authorization header carries it.
	*/
	checkToken(authorization: string | undefined): boolean {
		if (this.#tokenDigest === undefined) {
			return true;
		}

		if (authorization === undefined) {
			return false;
		}

		const match = /^bearer\s+(\S.*)$/i.exec(authorization.trim());
		if (!match) {
			return false;
		}

		// Comparing fixed-length digests keeps the comparison constant-time whatever the length.
		return timingSafeEqual(digest(match[1]), this.#tokenDigest);
	}
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}
