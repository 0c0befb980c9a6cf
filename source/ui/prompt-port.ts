/**
A finished run as the dashboard keeps it for `[`/`]`.
*/
export type PromptPastRun = {
	task: string;
	state: 'done' | 'error' | 'cancelled';
	answer?: string;
	error?: string;
	startedAt: number;
	elapsedMs: number;
};

/**
What the prompt line shows; the agent side owns it and pushes changes.
*/
export type PromptSnapshot = {
	state: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
	task?: string;
	elapsedMs?: number;
	progress?: {progress: number; total?: number; message?: string};
	logs: string[];
	answer?: string;
	error?: string;
	/**
	Submitted prompts, oldest first.
	*/
	history: string[];
	// Optional from here: a minimal port still works, and the agent's
	// controller (its `AgentSnapshot`) fills them.
	/**
	Finished runs, oldest first.
	*/
	past?: readonly PromptPastRun[];
	/**
	The server the agent runs on, once known.
	*/
	server?: string;
	/**
	The run's hard cap, shown beside the elapsed time.
	*/
	maxTotalMs?: number;
	/**
	The agent process's last stderr lines when it died.
	*/
	stderr?: readonly string[];
};

/**
 The dashboard's handle on the agent: it only submits, cancels and reads.
 `getSnapshot` must return the same object until something changed
 (`useSyncExternalStore`).
 */
export type PromptPort = {
	submit(text: string): void;
	cancel(): void;
	subscribe(listener: () => void): () => void;
	getSnapshot(): PromptSnapshot;
};
