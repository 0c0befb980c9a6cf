import {useCallback, useRef, useState} from 'react';
import type {Effect, Step} from '../state/key-context.js';
import {initialUiState, type UiState} from '../state/ui-state.js';

/**
Folds one step into the UI state and hands back the effects it asked for.
*/
export type Apply = (step: (ui: UiState) => Step) => readonly Effect[];

/**
 UI state behind a ref: each step folds into the latest value at once, so
 several keys in one tick (`x` then `y`) never read a stale render. The ref
 is written only by `apply`, never during render; `apply` is stable.
 */
export function useUiState(): [UiState, Apply] {
	const [ui, setUi] = useState<UiState>(initialUiState);
	const uiRef = useRef(ui);
	const apply = useCallback<Apply>(step => {
		const result = step(uiRef.current);
		uiRef.current = result.ui;
		setUi(result.ui);
		return result.effects;
	}, []);
	return [ui, apply];
}
