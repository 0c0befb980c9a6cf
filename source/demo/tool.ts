import type {Fields, Values} from './args.js';

/**
What a running tool call may do besides answering.
*/
export type ToolCall = {
	/**
	Aborted when the client cancels the call or goes away.
	*/
	signal: AbortSignal;
	/**
	Sends progress, if the request asked for it (a `_meta.progressToken`); the spec says nothing otherwise.
	*/
	progress(progress: number, total: number, message?: string): void;
	/**
	A `notifications/message` log, if the client's level lets it through.
	*/
	log(level: 'info', logger: string, data: string): void;
};

export type DemoTool = {
	name: string;
	description: string;
	fields: Fields;
	/**
	The answer's text.
	*/
	run(args: Values, call: ToolCall): Promise<string>;
};
