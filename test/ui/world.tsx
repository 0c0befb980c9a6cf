import React from 'react';
import {createDashboardStore} from '../../source/store/store.js';
import type {LatencySnapshot} from '../../source/store/types.js';
import {App} from '../../source/ui/app.js';
import type {PromptPort} from '../../source/ui/prompt-port.js';
import {emptyLatency, FakeSupervisor, server} from '../store/fake-supervisor.js';

export type WorldOptions = {
	sessions?: number;
	readOnly?: boolean;
	prompt?: PromptPort;
	latency?: () => LatencySnapshot;
};

/**
A fake supervisor with three servers and some sessions, a real store, and the App element.
*/
export function world({sessions = 12, readOnly = false, prompt, latency = emptyLatency}: WorldOptions = {}) {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs'), server('search', {crashes: 3}), server('git')];
	const store = createDashboardStore({supervisor, latency});
	for (let i = 0; i < sessions; i++) {
		supervisor.open({
			id: `${String(i).padStart(2, '0')}aaaaaa-0000-4000-8000-000000000000`, server: ['fs', 'search'][i % 2], pid: 1000 + i, clientName: `client-${i}`,
		});
	}

	for (let i = 0; i < 30; i++) {
		supervisor.stderr('00aaaaaa-0000-4000-8000-000000000000', `first session line ${i}`);
	}

	let quits = 0;
	const element = (
		<App store={store} supervisor={supervisor} prompt={prompt} info={{version: '0.1.0', url: 'http://127.0.0.1:8080', readOnly}} onQuit={() => quits++} />
	);
	return {
		supervisor, store, element, quits: () => quits,
	};
}

export const id = (i: number) => `${String(i).padStart(2, '0')}aaaaaa-0000-4000-8000-000000000000`;
export const short = (i: number) => `${String(i).padStart(2, '0')}aaaaaa`;
