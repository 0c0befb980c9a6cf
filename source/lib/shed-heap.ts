/**
 One memory-reducing full GC, for the end of start-up. Loading ~500 modules
 leaves most of what it allocates alive, so V8 grows its young generation to
 16 MiB (about 10 MiB of it resident) and its old space past what stays live,
 and nothing at rest shrinks them again: V8 shrinks only in a GC that is asked
 to reduce memory, and an idle mcpd allocates too little to be given one. The
 `gc` of `--expose-gc` with the `last-resort` flavour is such a GC; it is
 taken from a fresh context with the flag set only for that moment, so no
 global `gc` appears in mcpd's own context. It costs one pause of a few tens
 of milliseconds, before the first request is read.

 V8 grows the young generation back only by doubling, each time a GC finds
 more survived than it holds, so the first burst of load would run with a
 small one and scavenge two to three times as often (about 8 % fewer calls/s
 in a fresh mcpd's first seconds). Its first growth is therefore made one
 step back to the size start-up had reached, and V8's own factor of 2 is
 restored as soon as that growth is seen.
 */
import {PerformanceObserver} from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

type Collect = (options: {type: 'major'; execution: 'sync'; flavor: 'last-resort'}) => void;

/**
V8's default `--semi-space-growth-factor`.
*/
const V8_GROWTH_FACTOR = 2;

const youngCapacity = () => v8.getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size ?? 0;

export function shedHeap(): void {
	const grown = youngCapacity();
	collectReducingMemory();
	const shed = youngCapacity();
	const factor = shed > 0 ? Math.ceil(grown / shed) : 0;
	if (factor <= V8_GROWTH_FACTOR) {
		return;
	}

	v8.setFlagsFromString(`--semi-space-growth-factor=${factor}`);
	const observer = new PerformanceObserver(() => {
		if (youngCapacity() <= shed) {
			return;
		}

		v8.setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
		observer.disconnect();
	});
	observer.observe({entryTypes: ['gc']});
}

function collectReducingMemory(): void {
	// Started with --expose-gc (tests, benchmarks): use that one and leave the flag as it is.
	let collect = (globalThis as {gc?: Collect}).gc;
	if (collect === undefined) {
		v8.setFlagsFromString('--expose-gc');
		try {
			collect = vm.runInNewContext('gc') as Collect;
		} finally {
			v8.setFlagsFromString('--no-expose-gc');
		}
	}

	collect({type: 'major', execution: 'sync', flavor: 'last-resort'});
}
