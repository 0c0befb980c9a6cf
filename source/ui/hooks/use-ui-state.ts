import {useCallback, useRef, useState} from 'react';
import type {Effect, Env, Step} from '../state/env.js';
import {initialUiState, type UiState} from '../state/ui-state.js';

export type Apply = (step: (ui: UiState, env: Env) => Step) => void;

/**
 UI state behind a ref: each step folds into the latest value at once, so
 several keys in one tick (`x` then `y`) never read a stale render. `apply`
 is stable; `getEnv` and `onEffects` are read fresh on every call.
 */
export function useUiState(getEnv: () => Env, onEffects: (effects: readonly Effect[]) => void): [UiState, Apply] {
	const [ui, setUi] = useState<UiState>(initialUiState);
	const uiRef = useRef(ui);
	const deps = useRef({getEnv, onEffects});
	deps.current = {getEnv, onEffects};
	const apply = useCallback<Apply>(step => {
		const result = step(uiRef.current, deps.current.getEnv());
		uiRef.current = result.ui;
		setUi(result.ui);
		if (result.effects.length > 0) {
			deps.current.onEffects(result.effects);
		}
	}, []);
	return [ui, apply];
}
