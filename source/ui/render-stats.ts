import {writeFileSync} from 'node:fs';

/**
 What the dashboard did, counted so a bench can compare builds by work done
 rather than by CPU time, which a shared machine makes noisy. Counting is a
 few increments; only `MCPD_UI_STATS` (a file path) makes anything read them.
 */
export const renderStats = {
	/**
	Snapshots the store published.
	*/
	snapshots: 0,
	/**
	Times the root component rendered.
	*/
	appRenders: 0,
	/**
	Frames Ink laid out and compared against the screen.
	*/
	frames: 0,
	/**
	Milliseconds Ink spent laying those frames out.
	*/
	frameMs: 0,
	/**
	Writes to the terminal, and their bytes.
	*/
	writes: 0,
	bytes: 0,
};

/**
 With a path, counts what is written to `stdout` and writes the counters to
 that file every second, for a bench to diff. Returns a stop function.
 */
export function reportRenderStats(path: string | undefined, stdout: NodeJS.WriteStream): () => void {
	if (!path) {
		return () => {};
	}

	const write = stdout.write.bind(stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
	stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
		renderStats.writes++;
		renderStats.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
		return write(chunk, ...rest);
	});
	const dump = () => {
		writeFileSync(path, JSON.stringify({...renderStats, at: Date.now()}));
	};

	const timer = setInterval(dump, 1000).unref();
	return () => {
		clearInterval(timer);
		dump();
	};
}
