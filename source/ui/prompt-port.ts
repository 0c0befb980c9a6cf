/** What the prompt line shows; the agent side owns it and pushes changes. */
export interface PromptSnapshot {
	state: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
	task?: string;
	elapsedMs?: number;
	progress?: {progress: number; total?: number; message?: string};
	logs: string[];
	answer?: string;
	error?: string;
	/** Submitted prompts, oldest first. */
	history: string[];
}

/**
 * The dashboard's handle on the agent: it only submits, cancels and reads.
 * `getSnapshot` must return the same object until something changed
 * (`useSyncExternalStore`).
 */
export interface PromptPort {
	submit(text: string): void;
	cancel(): void;
	subscribe(listener: () => void): () => void;
	getSnapshot(): PromptSnapshot;
}
