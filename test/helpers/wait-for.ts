import {setTimeout as sleep} from 'node:timers/promises';

export type WaitForOptions = {
	/**
	Give up after this many ms. Default 5000.
	*/
	timeout?: number;
	/**
	Pause between attempts, in ms. Default 20.
	*/
	interval?: number;
	/**
	What was awaited, for the error.
	*/
	message?: string;
};

/**
What a truthy check leaves of `T`.
*/
export type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/**
 Polls `fn` until it returns a truthy value (which is returned); a throw
 counts as "not yet". On timeout, throws an error naming `message`, with the
 last throw (if any) as its `cause` and in its text. For assertion callbacks
 that return nothing, use `waitForPass`.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, {timeout = 5000, interval = 20, message = 'condition'}: WaitForOptions = {}): Promise<Truthy<T>> {
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await fn();
			if (value) {
				return value as Truthy<T>;
			}

			lastError = undefined;
		} catch (error) {
			lastError = error;
		}

		if (Date.now() >= deadline) {
			break;
		}

		await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
	}

	const detail = lastError === undefined ? 'still falsy' : `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
	throw new Error(`waitFor timed out after ${timeout} ms: ${message} (${detail})`, {cause: lastError});
}

/**
 Like `waitFor`, for assertion callbacks that return nothing: resolves once
 `fn` runs without throwing.
 */
export async function waitForPass(fn: () => unknown, options?: WaitForOptions): Promise<void> {
	await waitFor(async () => {
		await fn();
		return true;
	}, options);
}
