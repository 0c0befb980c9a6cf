import {crypto} from '../../lib/builtins.js';

const {createHmac, randomBytes, timingSafeEqual} = crypto;

/**
What a `requestState` names: the held call and the round it answers.
*/
export type HeldState = {
	/**
	The modern child's id.
	*/
	child: string;
	/**
	The call's id on the child's wire.
	*/
	call: number;
	round: number;
	/**
	The identity it was issued to: a state is never valid for another.
	*/
	identity: string;
	method: string;
	name: string;
	/**
	Epoch ms after which the state is refused.
	*/
	expires: number;
};

export type StateVerdict = {ok: true; state: HeldState} | {ok: false; reason: 'malformed' | 'tampered' | 'expired'} | {ok: false; reason: 'elsewhere'; instance: string};

/**
 Signs and checks `requestState` (HMAC-SHA256, a key made at start). It
 passes through the client, so it is attacker-controlled input: the MAC
 covers everything in it, and a state from another identity, call or method
 is refused even when the MAC holds.
 */
export class RequestStateCodec {
	readonly #key: Buffer;
	readonly #instance: string;

	/**
	`instance` starts every state, outside the MAC, so a retry that reached another mcpd can be told so.
	*/
	constructor(instance = '', key: Buffer = randomBytes(32)) {
		this.#instance = instance;
		this.#key = key;
	}

	mint(state: HeldState): string {
		const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
		return `${this.#instance}.${payload}.${this.#mac(payload)}`;
	}

	verify(token: unknown, now = Date.now()): StateVerdict {
		if (typeof token !== 'string' || token.length > 4096) {
			return {ok: false, reason: 'malformed'};
		}

		const parts = token.split('.');
		if (parts.length !== 3 || parts[1] === '') {
			return {ok: false, reason: 'malformed'};
		}

		if (parts[0] !== this.#instance) {
			return {ok: false, reason: 'elsewhere', instance: parts[0]};
		}

		const [, payload, mac] = parts;
		const given = Buffer.from(mac, 'base64url');
		const wanted = Buffer.from(this.#mac(payload), 'base64url');
		if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
			return {ok: false, reason: 'tampered'};
		}

		let state: HeldState;
		try {
			state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as HeldState;
		} catch {
			return {ok: false, reason: 'malformed'};
		}

		return typeof state.expires !== 'number' || now > state.expires ? {ok: false, reason: 'expired'} : {ok: true, state};
	}

	#mac(payload: string): string {
		return createHmac('sha256', this.#key).update(payload).digest('base64url');
	}
}
