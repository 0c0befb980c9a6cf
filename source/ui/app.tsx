import {Text, useInput, useStdin, type Key} from 'ink';
import {useEffect, useEffectEvent, useMemo} from 'react';
import type {SupervisorPort} from '../core/port.js';
import type {DashboardStore} from '../store/types.js';
import {layoutAgent} from './agent-layout.js';
import {useFrozen} from './hooks/use-frozen.js';
import {usePromptSnapshot} from './hooks/use-prompt.js';
import {useDashboardSnapshot} from './hooks/use-store.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {useUiState} from './hooks/use-ui-state.js';
import type {Action} from './keymap.js';
import {minColumns, minRows} from './layout.js';
import {CompactLayout} from './layouts/compact.js';
import type {LayoutProps} from './layouts/slots.js';
import {StandardLayout} from './layouts/standard.js';
import {WideLayout} from './layouts/wide.js';
import type {DashboardInfo} from './panes/header.js';
import type {PromptPort} from './prompt-port.js';
import {runEffects} from './run-effects.js';
import {keyContext, planScreen} from './screen.js';
import type {Effect, KeyContext} from './state/key-context.js';
import {handleKeys} from './state/handle-keys.js';
import {reduce} from './state/reduce.js';
import type {UiState} from './state/ui-state.js';
import {deriveView} from './state/view.js';

export type AppProps = {
	store: DashboardStore;
	supervisor: SupervisorPort;
	info: DashboardInfo;
	prompt?: PromptPort;
	/**
	Asked to quit; the caller shuts down and unmounts.
	*/
	onQuit: () => void;
	/**
	Injectable for tests of the double Ctrl+C window.
	*/
	now?: () => number;
};

/**
How long a footer status stays up.
*/
const statusMs = 3000;

/**
Size → layout, and the one key dispatcher. Panes only read and call back.
*/
export function App({store, supervisor, info, prompt, onQuit, now = Date.now}: AppProps) {
	const live = useDashboardSnapshot(store);
	const promptSnapshot = usePromptSnapshot(prompt);
	const {columns, rows} = useTerminalSize();
	const [ui, apply] = useUiState();
	const {snapshot, waiting} = useFrozen(live, ui.frozen);
	const promptAvailable = prompt !== undefined;

	// Keys act on what is on screen: while frozen, the held snapshot. Whether a run is in
	// flight is read now, not as drawn: Ctrl+C must not quit over a run just started.
	const contextFor = (state: UiState): KeyContext => keyContext(state, {
		columns, rows, snapshot: ui.frozen ? snapshot : store.getSnapshot(), now: now(), readOnly: info.readOnly, prompt: prompt?.getSnapshot(),
	});
	const run = (effects: readonly Effect[]) => {
		runEffects(effects, {
			supervisor, prompt, onQuit, dispatch,
		});
	};

	function dispatch(action: Action) {
		run(apply(state => reduce(state, action, contextFor(state))));
	}

	const {isRawModeSupported} = useStdin();
	useInput((input: string, key: Key) => {
		run(apply(state => handleKeys(state, input, key, contextFor(state))));
	}, {isActive: isRawModeSupported});

	const clearStatus = useEffectEvent((at: number) => {
		dispatch({type: 'status.clear', at});
	});
	useEffect(() => {
		if (!ui.status) {
			return;
		}

		const {at, ms = statusMs} = ui.status;
		const timer = setTimeout(() => {
			clearStatus(at);
		}, ms);
		return () => {
			clearTimeout(timer);
		};
	}, [ui.status]);

	// The same pure functions the reducer calls per key, memoized on their inputs.
	const serverCount = snapshot.servers.length;
	const plan = useMemo(() => planScreen({
		columns, rows, serverCount, promptAvailable,
	}, {zoom: ui.zoom, focus: ui.focus}), [columns, rows, serverCount, promptAvailable, ui.zoom, ui.focus]);
	const agent = useMemo(() => layoutAgent(promptSnapshot, ui.agent, plan), [promptSnapshot, ui.agent, plan]);

	const view = useMemo(() => deriveView(snapshot, ui), [snapshot, ui]);
	// Only the tail on screen redraws for new stderr lines (see DashboardStore.watchTail).
	useEffect(() => {
		store.watchTail(view.tailKey === '' ? undefined : view.tailKey);
	}, [store, view.tailKey]);
	if (plan.kind === 'tiny') {
		return <Text wrap='truncate-end'>mcpd needs ≥ {minColumns}×{minRows} (now {columns}×{rows})</Text>;
	}

	const props: LayoutProps = {
		plan, snapshot, view, ui, waiting, info, prompt: promptSnapshot, promptAvailable, agent: agent.model,
	};
	if (plan.kind === 'wide') {
		return <WideLayout {...props} />;
	}

	return plan.kind === 'compact' ? <CompactLayout {...props} /> : <StandardLayout {...props} />;
}
