import type {JsonRpcId, JsonRpcMessage} from '../jsonrpc.js';
import type {PendingRequest} from '../pending.js';
import type {ClientContext} from './protocol.js';

/**
The client end of one modern request: its HTTP answer, seen from the core.
*/
export type CallSink = {
	/**
	A notification for this request (progress, log), in the client's terms. False when the client is gone.
	*/
	notify(raw: string): boolean;
	/**
	The answer: a final result or error, or an `input_required` round. `status` is the HTTP status it calls for.
	*/
	respond(raw: string, message: JsonRpcMessage, status: number): void;
};

/**
A child request put to the client through an `InputRequiredResult`.
*/
export type InputAsk = {
	key: string;
	/**
	The id of the child's request, on the child's wire.
	*/
	childId: JsonRpcId;
	method: string;
	params: Record<string, unknown> | undefined;
};

/**
One modern request in flight on a shared child, across its input rounds.
*/
export type Call = {
	readonly id: number;
	/**
	The id of the client's current attempt: it changes with every retry.
	*/
	clientId: JsonRpcId;
	clientToken: JsonRpcId | undefined;
	/**
	`params.name` or `params.uri`: with the method, what is learned about asking for input.
	*/
	readonly name: string;
	context: ClientContext;
	/**
	Undefined while the client holds an `input_required` answer and has not retried yet.
	*/
	sink: CallSink | undefined;
	readonly exclusive: boolean;
	round: number;
	keySeq: number;
	/**
	Asked in the current round, not answered yet, by key.
	*/
	readonly asked: Map<string, InputAsk>;
	/**
	Asked by the child since the last round went out.
	*/
	queued: InputAsk[];
	settle: NodeJS.Timeout | undefined;
	expiry: NodeJS.Timeout | undefined;
	/**
	Input the client sent with its first attempt, used when the child asks under the same key.
	*/
	answers: Record<string, unknown> | undefined;
	/**
	Client capabilities the child needed and the client had not declared.
	*/
	readonly missing: Set<string>;
	/**
	The child's answer, when it came while the client held an `input_required` round.
	*/
	parked: {raw: string; message: JsonRpcMessage; status: number} | undefined;
} & PendingRequest;

/**
What `learned` remembers: this server's tool, prompt or resource that has asked for input.
*/
export function inputKeyOf(method: string, name: string): string {
	return `${method} ${name}`;
}
