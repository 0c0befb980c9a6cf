/**
 One memory-reducing full GC, for the end of start-up. Loading ~500 modules
 leaves most of what it allocates alive, so V8 grows its young generation to
 16 MiB (about 10 MiB of it resident) and its old space past what stays live,
 and nothing at rest shrinks them again: V8 shrinks only in a GC that is asked
 to reduce memory, and an idle mcpd allocates too little to be given one. The
 `gc` of `--expose-gc` with the `last-resort` flavour is such a GC; it is
 taken from a fresh context with the flag set only for that moment, so no
 global `gc` appears in mcpd's own context. The heap grows back as load comes,
 by V8's usual rules: this costs one pause of a few tens of milliseconds,
 before the first request is read, and nothing after.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type Collect = (options: {type: 'major'; execution: 'sync'; flavor: 'last-resort'}) => void;

export function shedHeap(): void {
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
