import {useCallback, useSyncExternalStore} from 'react';
import type {PromptPort, PromptSnapshot} from '../prompt-port.js';

const none: PromptSnapshot = {state: 'idle', logs: [], history: []};

/**
The agent's state, or a constant idle one when no agent is configured.
*/
export function usePromptSnapshot(prompt: PromptPort | undefined): PromptSnapshot {
	// Wrapped so a class-based port keeps its `this`.
	const subscribe = useCallback((listener: () => void) => prompt?.subscribe(listener) ?? (() => {}), [prompt]);
	const getSnapshot = useCallback(() => prompt?.getSnapshot() ?? none, [prompt]);
	return useSyncExternalStore(subscribe, getSnapshot);
}
