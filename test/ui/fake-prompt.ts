import type {PromptPort, PromptSnapshot} from '../../source/ui/prompt-port.js';

/**
A PromptPort whose snapshot the test drives; it records submits and cancels.
*/
export class FakePrompt implements PromptPort {
	readonly submitted: string[] = [];
	cancels = 0;
	#snapshot: PromptSnapshot;
	readonly #listeners = new Set<() => void>();

	constructor(initial: Partial<PromptSnapshot> = {}) {
		this.#snapshot = {
			state: 'idle', logs: [], history: ['older question', 'last question'], ...initial,
		};
	}

	submit(text: string) {
		this.submitted.push(text);
	}

	cancel() {
		this.cancels++;
	}

	subscribe(listener: () => void) {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	getSnapshot() {
		return this.#snapshot;
	}

	set(next: Partial<PromptSnapshot>) {
		this.#snapshot = {...this.#snapshot, ...next};
		for (const l of this.#listeners) {
			l();
		}
	}
}

/**
The code-mode agent's report layout (its executor_server.py), long enough to scroll at 80×24.
*/
export const SEED_ANSWER = [
	'✅ **Task Complete**',
	'',
	'The agent counted **3 words** in your task.',
	'',
	'### Execution Output',
	'```',
	'Task: count the words',
	'Words: 3',
	'```',
	'',
	'### Generated Code',
	'```python',
	'task = "count the words"',
	'print(f"Task: {task}")',
	'print(f"Words: {len(task.split())}")',
	'```',
	'',
	'### Errors',
	'None',
	'',
	...Array.from({length: 12}, (_, i) => `- note ${i + 1}`),
	'',
	'last line of the answer',
].join('\n');
