/**
 Ink applies input and renders asynchronously: poll until the condition
 holds or the deadline passes, never sleep once and hope.
 */
export async function waitFor<T>(probe: () => T | undefined | false, {timeout = 3000, interval = 5, message = 'condition'}: {timeout?: number; interval?: number; message?: string} = {}): Promise<T> {
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	for (;;) {
		try {
			const value = probe();
			if (value !== undefined && value !== false) {
				return value;
			}
		} catch (error) {
			lastError = error;
		}

		if (Date.now() > deadline) {
			const why = lastError instanceof Error ? `: ${lastError.message}` : '';
			throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
		}

		await new Promise(resolve => setTimeout(resolve, interval));
	}
}

/**
Waits until `frame()` matches; the error shows the last frame seen.
*/
export async function waitForFrame(frame: () => string | undefined, match: string | RegExp | ((text: string) => boolean), timeout = 3000): Promise<string> {
	const test = typeof match === 'function' ? match : (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
	try {
		return await waitFor(() => {
			const text = frame();
			return text !== undefined && test(text) ? text : undefined;
		}, {timeout, message: `a frame matching ${String(match)}`});
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- last frame ---\n${frame() ?? '(none)'}`);
	}
}
