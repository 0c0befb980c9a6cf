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

/**
Runs what the reducer asked for: the only place the UI talks to the supervisor or the agent.
*/
export function runEffects(effects: readonly Effect[], deps: EffectDeps): void {
	const {supervisor, prompt, onQuit, dispatch} = deps;
	const status = (text: string, tone: 'info' | 'warn' | 'error' = 'info') => {dispatch({type: 'status', text, tone});
};

	for (const effect of effects) {
		switch (effect.type) {
			case 'kill': {
				supervisor.kill(effect.id, {force: effect.force}).then(
					result => {
status(result === 'not-found' ? 'session already closed' : `${effect.force ? 'SIGKILL' : 'SIGTERM'} sent to ${shortId(effect.id)}`, result === 'not-found' ? 'warn' : 'info');},
					(error: unknown) => {
status(`kill failed: ${message(error)}`, 'error');},
				);
				break;
			}

			case 'restart': {
				supervisor.restartServer(effect.server).then(
					n => {
status(`restarted ${effect.server}: ended ${n} session${n === 1 ? '' : 's'}`);},
					(error: unknown) => {
status(`restart failed: ${message(error)}`, 'error');},
				);
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}

			case 'export': {
				writeExport(effect.log).then(
					file => {
dispatch({
						type: 'status', text: `saved ${file} (${effect.log.lines.length} lines)`, tone: 'info', ms: 15_000,
					});},
					(error: unknown) => {
status(`export failed: ${message(error)}`, 'error');},
				);
				break;
			}

			case 'prompt.submit': {
				prompt?.submit(effect.text);
				break;
			}

			case 'prompt.cancel': {
				if (prompt) {
					prompt.cancel();
				} else {
					status('no agent server configured', 'warn');
				}

				break;
			}
		}
	}
}
