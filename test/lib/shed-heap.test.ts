import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import process from 'node:process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const shedHeap = fileURLToPath(new URL('../../source/lib/shed-heap.ts', import.meta.url));

// In a child of its own: the test runner's process must keep its heap and flags as they are.
const probe = `
import v8 from 'node:v8';
import {shedHeap} from ${JSON.stringify(shedHeap)};
const newSpace = () => v8.getHeapSpaceStatistics().find(space => space.space_name === 'new_space').space_size;
// Surviving allocations, as a start-up makes, grow the young generation.
const kept = [];
for (let index = 0; index < 400_000; index++) kept.push({index, text: String(index)});
const grown = newSpace();
kept.length = 0;
shedHeap();
console.log(JSON.stringify({grown, shed: newSpace(), gc: typeof globalThis.gc}));
`;

test('shedHeap shrinks the young generation a start-up grew, and exposes no gc', () => {
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {encoding: 'utf8'});
	const {grown, shed, gc} = JSON.parse(output) as {grown: number; shed: number; gc: string};
	assert.ok(shed < grown, `new space ${shed} after, ${grown} before`);
	assert.equal(gc, 'undefined');
});
