import {Text, useInput, useStdin, type Key} from 'ink';
import {useEffect, useMemo, useRef} from 'react';
import type {SupervisorPort} from '../core/port.js';
import type {DashboardSnapshot, DashboardStore} from '../store/types.js';
import {useFrozen} from './hooks/use-frozen.js';
import {usePromptSnapshot} from './hooks/use-prompt.js';
import {useAgentModel} from './hooks/use-agent-model.js';
import {useDashboardSnapshot} from './hooks/use-store.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {useUiState} from './hooks/use-ui-state.js';
import {minColumns, minRows, planLayout} from './layout.js';
import {CompactLayout} from './layouts/compact.js';
import type {LayoutProps} from './layouts/slots.js';
import {StandardLayout} from './layouts/standard.js';
import {WideLayout} from './layouts/wide.js';
import type {DashboardInfo} from './panes/header.js';
import type {PromptPort} from './prompt-port.js';
import type {AgentEnv} from './state/agent-items.js';
import type {Env, PageSizes} from './state/env.js';
import {handleKeys} from './state/handle-keys.js';
import {reduce} from './state/reduce.js';
import {deriveView} from './state/view.js';
import {useEffects} from './use-effects.js';

export type AppProps = {
	store: DashboardStore;
	port: SupervisorPort;
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
export function App({store, port, info, prompt, onQuit, now = Date.now}: AppProps) {
	const live = useDashboardSnapshot(store);
	// Keys act on what is on screen: while frozen, the held snapshot. Set on every render below.
	const heldRef = useRef<DashboardSnapshot | undefined>(undefined);
	const promptSnapshot = usePromptSnapshot(prompt);
	const {columns, rows} = useTerminalSize();
	// Set on every render below, before any key can read it.
	const pagesRef = useRef<PageSizes>({servers: 1, sessions: 1, tail: 1});
	const agentRef = useRef<AgentEnv | undefined>(undefined);
	const getEnv = (): Env => ({
		snapshot: heldRef.current ?? store.getSnapshot(),
		now: now(),
		readOnly: info.readOnly,
		pages: pagesRef.current,
		promptAvailable: prompt !== undefined,
		promptHistory: promptSnapshot.history,
		// Whether a run is in flight is read now, not as last drawn: Ctrl+C must not quit over a run just started.
		agent: agentRef.current && {...agentRef.current, running: prompt?.getSnapshot().state === 'running'},
	});
	const [ui, apply] = useUiState(getEnv, effects => {
runEffects(effects);});
	const {snapshot, waiting} = useFrozen(live, ui.frozen);
	heldRef.current = ui.frozen ? snapshot : undefined;
	const runEffects = useEffects({
		port, prompt, onQuit, dispatch(action) {apply((s, env) => reduce(s, action, env));
}
	});

	const plan = planLayout(columns, rows, {
		zoom: ui.zoom, focus: ui.focus, serverCount: snapshot.servers.length, agent: ui.focus === 'prompt' && prompt !== undefined,
	});
	pagesRef.current = plan.pages;
	const agent = useAgentModel(promptSnapshot, ui.agent, plan);
	agentRef.current = prompt ? agent.env : undefined;

	const {isRawModeSupported} = useStdin();
	useInput((input: string, key: Key) => {
		apply((s, env) => handleKeys(s, input, key, env));
	}, {isActive: isRawModeSupported});

	useEffect(() => {
		if (!ui.status) {
			return;
		}

		const {at, ms = statusMs} = ui.status;
		const timer = setTimeout(() => {
apply((s, env) => reduce(s, {type: 'status.clear', at}, env));}, ms);
		return () => {
clearTimeout(timer);};
	}, [ui.status, apply]);

	const view = useMemo(() => deriveView(snapshot, ui), [snapshot, ui]);
	// Only the tail on screen redraws for new stderr lines (see DashboardStore.watchTail).
	useEffect(() => {
		store.watchTail(view.tailKey === '' ? undefined : view.tailKey);
	}, [store, view.tailKey]);
	if (plan.kind === 'tiny') {
		return <Text wrap='truncate-end'>mcpd needs ≥ {minColumns}×{minRows} (now {columns}×{rows})</Text>;
	}

	const props: LayoutProps = {
		plan, snapshot, view, ui, waiting, info, prompt: promptSnapshot, promptAvailable: prompt !== undefined, agent: agent.model,
	};
	if (plan.kind === 'wide') {
		return <WideLayout {...props} />;
	}

	return plan.kind === 'compact' ? <CompactLayout {...props} /> : <StandardLayout {...props} />;
}
