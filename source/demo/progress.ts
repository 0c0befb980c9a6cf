import type {RequestHandlerExtra} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {ServerNotification, ServerRequest} from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export type ReportProgress = (progress: number, total: number, message?: string) => Promise<void>;

/**
 A progress sender for one tool call. It sends nothing when the request had
 no `_meta.progressToken`, as the spec requires.
 */
export function progressFor(extra: ToolExtra): ReportProgress {
	const progressToken = extra._meta?.progressToken;
	return async (progress, total, message) => {
		if (progressToken === undefined) {
			return;
		}

		await extra.sendNotification({
			method: 'notifications/progress',
			params: {
				progressToken, progress, total, ...(message !== undefined && {message}),
			},
		});
	};
}
