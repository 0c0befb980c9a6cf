/**
 A bare JSON-RPC client over a child's stdio, for testing the fixture servers
 directly: every line is kept, nothing is validated, nothing is answered
 unless the test does it.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {once} from 'node:events';
import {waitFor} from './wait-for.js';
import {assertNoNewChildren, descendants} from './processes.js';

export type Message = Record<string, any>;

export type Exit = {
	code: number | null;
	signal: NodeJS.Signals | null;
};

export class StdioPeer {
	readonly child: ChildProcessWithoutNullStreams;
	/**
	Every JSON message from stdout, in order.
	*/
	readonly messages: Message[] = [];
	/**
	Stdout lines that were not JSON.
	*/
	readonly nonJson: string[] = [];
	stderr = '';
	readonly exited: Promise<Exit>;
	private nextId = 1;

	constructor(script: string, args: string[] = [], options: {env?: NodeJS.ProcessEnv} = {}) {
		this.child = spawn(process.execPath, [script, ...args], {stdio: 'pipe', env: options.env ?? process.env});
		this.exited = once(this.child, 'exit').then(([code, signal]) => ({code, signal}));
		this.child.stderr.setEncoding('utf8');
		this.child.stderr.on('data', (text: string) => {
			this.stderr += text;
		});
		let pieces: Buffer[] = [];
		this.child.stdout.on('data', (chunk: Buffer) => {
			let start = 0;
			for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
				pieces.push(chunk.subarray(start, nl));
				this.onLine(Buffer.concat(pieces).toString('utf8'));
				pieces = [];
				start = nl + 1;
			}

			if (start < chunk.length) {
				pieces.push(chunk.subarray(start));
			}
		});
		this.child.stdin.on('error', () => {}); // EPIPE after the child died: the test looks at `exited`
	}

	get pid(): number {
		return this.child.pid!;
	}

	private onLine(line: string): void {
		try {
			this.messages.push(JSON.parse(line));
		} catch {
			this.nonJson.push(line);
		}
	}

	send(message: Message): void {
		this.child.stdin.write(JSON.stringify(message) + '\n');
	}

	/**
	Sends a request and returns its id (number ids, counting from 1).
	*/
	sendRequest(method: string, params?: Message): number {
		const id = this.nextId++;
		this.send(params === undefined
			? {jsonrpc: '2.0', id, method}
			: {
				jsonrpc: '2.0', id, method, params,
			});
		return id;
	}

	/**
	Sends a request and waits for the response with its id.
	*/
	async request(method: string, params?: Message, timeout = 5000): Promise<Message> {
		const id = this.sendRequest(method, params);
		return this.waitForMessage(m => m.id === id && !('method' in m), timeout, `response to ${method} #${id}`);
	}

	notify(method: string, params?: Message): void {
		this.send(params === undefined ? {jsonrpc: '2.0', method} : {jsonrpc: '2.0', method, params});
	}

	/**
	`initialize` then `notifications/initialized`; returns the result.
	*/
	async initialize(protocolVersion = '2025-11-25'): Promise<Message> {
		const response = await this.request('initialize', {protocolVersion, capabilities: {}, clientInfo: {name: 'stdio-peer', version: '0'}});
		this.notify('notifications/initialized');
		return response.result;
	}

	/**
	Tools/call; returns the whole response message.
	*/
	async callTool(name: string, args: Message = {}, timeout = 5000): Promise<Message> {
		return this.request('tools/call', {name, arguments: args}, timeout);
	}

	async waitForMessage(match: (m: Message) => boolean, timeout = 5000, what = 'message'): Promise<Message> {
		return waitFor(() => this.messages.find(match), {timeout, interval: 5, message: `${what}; stderr: ${this.stderr.slice(-500)}`});
	}

	async waitForStderr(pattern: RegExp, timeout = 5000): Promise<RegExpMatchArray> {
		return waitFor(() => this.stderr.match(pattern), {timeout, interval: 5, message: `stderr to match ${pattern}; got ${JSON.stringify(this.stderr.slice(-500))}`});
	}

	/**
	Resolves with the exit, or rejects if it takes longer than `timeout`.
	*/
	async exit(timeout = 5000): Promise<Exit> {
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {reject(new Error(`pid ${this.pid} still running after ${timeout} ms`));
}, timeout);
		});
		try {
			return await Promise.race([this.exited, late]);
		} finally {
			clearTimeout(timer);
		}
	}

	/**
	Ends the child for sure: closes stdin, then SIGKILL after `grace` ms.
	*/
	async close(grace = 1000): Promise<Exit> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) {
			return this.exited;
		}

		this.child.stdin.end();
		const timer = setTimeout(() => this.child.kill('SIGKILL'), grace);
		try {
			return await this.exited;
		} finally {
			clearTimeout(timer);
		}
	}
}

/**
 Starts peers of one script and, after each test, closes them and proves no
 process is left (register with `afterEach(pool.closeAll)`).
 */
export function peerPool(script: string, defaultEnv?: NodeJS.ProcessEnv) {
	let peers: StdioPeer[] = [];
	let before: number[] = [];
	return {
		start(args: string[] = [], env: NodeJS.ProcessEnv | undefined = defaultEnv): StdioPeer {
			if (peers.length === 0) {
				before = descendants();
			}

			const peer = new StdioPeer(script, args, {env});
			peers.push(peer);
			return peer;
		},
		async closeAll(): Promise<void> {
			await Promise.all(peers.map(async peer => peer.close()));
			peers = [];
			await assertNoNewChildren(before);
		},
	};
}
