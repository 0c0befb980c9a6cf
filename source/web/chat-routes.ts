import type {FastifyInstance, FastifyReply} from 'fastify';
import type {Config} from '../config/types.js';
import {loadAssets} from './assets.js';
import {chatTarget} from './chat-target.js';
import {CHAT_HEADERS} from './security-headers.js';

export const CHAT_PREFIX = '/chat/';

export type ChatRoutesOptions = {
	config: Config;
	/**
	Mcpd's environment, to know which keys a server with `inherit_env` already has.
	*/
	parentEnv: NodeJS.ProcessEnv;
	version: string;
};

/**
 `[web]`: the chat page. Its files are public (they hold nothing but code, and
 a browser cannot send a bearer token when it navigates); `config.json` and
 the MCP endpoint it talks to stay behind the token.
 */
export function chatRoutes(app: FastifyInstance, options: ChatRoutesOptions): void {
	const assets = loadAssets();
	const found = chatTarget(options.config, options.parentEnv);
	const config = 'target' in found ? {...found.target, version: options.version} : {problem: found.problem, version: options.version};

	app.get('/chat', async (_request, reply) => reply.headers(CHAT_HEADERS).redirect(CHAT_PREFIX, 308));

	app.get(`${CHAT_PREFIX}config.json`, async (_request, reply) =>
		reply.headers(CHAT_HEADERS).header('cache-control', 'no-store').type('application/json').send(JSON.stringify(config)));

	const serve = async (file: string | undefined, reply: FastifyReply) => {
		// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty file name, should the router pass one, means the page as well
		const asset = assets.get(file || 'index.html');
		if (asset === undefined) {
			return reply.code(404).headers(CHAT_HEADERS).type('text/plain; charset=utf-8').send('Not found');
		}

		// Small files that change with mcpd's version: revalidate rather than risk a stale script.
		return reply.headers(CHAT_HEADERS).header('cache-control', 'no-cache').type(asset.type).send(asset.body);
	};

	app.get(CHAT_PREFIX, async (_request, reply) => serve(undefined, reply));
	app.get<{Params: {file: string}}>(`${CHAT_PREFIX}:file`, async (request, reply) => serve(request.params.file, reply));
}

/**
The page's own files, which the token guard lets through.
*/
export function isPublicChatPath(url: string): boolean {
	const path = url.split('?', 1)[0];
	return path === '/chat' || (path.startsWith(CHAT_PREFIX) && path !== `${CHAT_PREFIX}config.json` && !path.slice(CHAT_PREFIX.length).includes('/'));
}
