import process from 'node:process';
import type {SupervisorPort} from '../core/port.js';
import {procReader} from '../lib/proc-stat.js';
import {createDashboardStore} from '../store/store.js';
import type {LatencySource} from '../store/types.js';
import {App} from './app.js';
import {mountDashboard} from './mount.js';
import {renderStats, reportRenderStats} from './render-stats.js';
import {applyTheme, type ThemeName} from './theme.js';
import type {DashboardInfo} from './panes/header.js';
import type {PromptPort} from './prompt-port.js';

export type RunDashboardOptions = {
	supervisor: SupervisorPort;
	latency: LatencySource;
	info: DashboardInfo;
	prompt?: PromptPort;
	/**
	Called on `q` (confirmed) or a double Ctrl+C; without it the dashboard unmounts itself.
	*/
	onQuit?: () => void;
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/**
	The palette: dark terminal (the default) or light.
	*/
	theme?: ThemeName;
};

export type Dashboard = {
	/**
	Settles once the dashboard is unmounted and the terminal restored.
	*/
	waitUntilExit(): Promise<void>;
	unmount(): void;
};

/**
 Mounts the dashboard. It never exits the process or kills anything itself:
 quitting calls `onQuit`, and commands go through the supervisor port.
 */
export function runDashboard(options: RunDashboardOptions): Dashboard {
	applyTheme(options.theme ?? 'dark');
	const store = createDashboardStore({supervisor: options.supervisor, latency: options.latency, readProcesses: procReader});
	const stopStats = reportRenderStats(process.env.MCPD_UI_STATS, options.stdout ?? process.stdout);
	store.subscribe(() => {
		renderStats.snapshots++;
	});
	const unmount = () => {
		instance.unmount();
	};

	const onQuit = options.onQuit ?? unmount;
	const instance = mountDashboard(<App store={store} supervisor={options.supervisor} info={options.info} prompt={options.prompt} onQuit={onQuit} />, {
		stdout: options.stdout,
		stdin: options.stdin,
		// Mcpd already decided this is a terminal; Ink alone would also look at CI=…,
		// which dev containers set, and then print only the final frame.
		interactive: true,
		alternateScreen: true,
		// Mcpd shuts its children down first; Ink's own Ctrl+C would just drop the screen.
		exitOnCtrlC: false,
		// Mcpd's log goes to its file and the in-app ring, never over the frame.
		patchConsole: false,
		maxFps: 15,
		incrementalRendering: true,
		onRender({renderTime}) {
			renderStats.frames++;
			renderStats.frameMs += renderTime;
		},
	});
	const exited = instance.waitUntilExit().then(
		() => {
			store.dispose();
			stopStats();
		},
		(error: unknown) => {
			store.dispose();
			stopStats();
			throw error;
		},
	);
	// Rejections reach callers of waitUntilExit, not the process.
	exited.catch(() => {});
	return {
		waitUntilExit: async () => exited,
		unmount,
	};
}
