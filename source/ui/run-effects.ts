import type {SupervisorPort} from '../core/port.js';
import {shortId} from '../lib/format.js';
import {writeExport} from './export-log.js';
import type {Action} from './keymap.js';
import type {PromptPort} from './prompt-port.js';
import type {Effect} from './state/key-context.js';

export type EffectDeps = {
	supervisor: SupervisorPort;
	prompt: PromptPort | undefined;
	onQuit: () => void;
	dispatch: (action: Action) => void;
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function runEffect(effect: Effect, deps: EffectDeps): void {
	const {supervisor, prompt, onQuit, dispatch} = deps;
	const status = (text: string, tone: 'info' | 'warn' | 'error' = 'info') => {
		dispatch({type: 'status', text, tone});
	};

	switch (effect.type) {
		case 'kill': {
			const signal = effect.force ? 'SIGKILL' : 'SIGTERM';
			supervisor.kill(effect.id, {force: effect.force})
				.then(result => {
					status(result === 'not-found' ? 'session already closed' : `${signal} sent to ${shortId(effect.id)}`, result === 'not-found' ? 'warn' : 'info');
				})
				.catch((error: unknown) => {
					status(`kill failed: ${message(error)}`, 'error');
				});
			return;
		}

		case 'restart': {
			supervisor.restartServer(effect.server)
				.then(n => {
					status(`restarted ${effect.server}: ended ${n} session${n === 1 ? '' : 's'}`);
				})
				.catch((error: unknown) => {
					status(`restart failed: ${message(error)}`, 'error');
				});
			return;
		}

		case 'quit': {
			onQuit();
			return;
		}

		case 'export': {
			writeExport(effect.log)
				.then(file => {
					// Up longer than a status usually is: time to copy the path.
					dispatch({
						type: 'status', text: `saved ${file} (${effect.log.lines.length} lines)`, tone: 'info', ms: 15_000,
					});
				})
				.catch((error: unknown) => {
					status(`export failed: ${message(error)}`, 'error');
				});
			return;
		}

		case 'prompt.submit': {
			prompt?.submit(effect.text);
			return;
		}

		case 'prompt.cancel': {
			if (prompt) {
				prompt.cancel();
			} else {
				status('no agent server configured', 'warn');
			}
		}
	}
}

/**
Runs what the reducer asked for: the only place the UI talks to the supervisor or the agent.
*/
export function runEffects(effects: readonly Effect[], deps: EffectDeps): void {
	for (const effect of effects) {
		runEffect(effect, deps);
	}
}
