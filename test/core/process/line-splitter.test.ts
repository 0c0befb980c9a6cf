import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineSplitter} from '../../../source/core/process/line-splitter.js';

function split(chunks: Buffer[], maxLineBytes?: number): string[] {
	const lines: string[] = [];
	const splitter = new LineSplitter(line => lines.push(line), maxLineBytes);
	for (const chunk of chunks) {
		splitter.push(chunk);
	}

	splitter.flush();
	return lines;
}

test('splits on newlines, drops CR and empty lines, keeps a final unterminated line', () => {
	assert.deepEqual(split([Buffer.from('a\r\n\nb\nc')]), ['a', 'b', 'c']);
});

test('joins a line across many chunks, including a multi-byte character cut in half', () => {
	const bytes = Buffer.from('{"x":"é€"}\n');
	const chunks = [...bytes].map(byte => Buffer.from([byte]));
	assert.deepEqual(split(chunks), ['{"x":"é€"}']);
});

test('an 8 MiB line arrives whole', () => {
	const line = 'y'.repeat(8 * 1024 * 1024);
	const data = Buffer.from(`${line}\nnext\n`);
	const chunks: Buffer[] = [];
	for (let offset = 0; offset < data.length; offset += 65_536) {
		chunks.push(data.subarray(offset, offset + 65_536));
	}

	const lines = split(chunks);
	assert.equal(lines.length, 2);
	assert.equal(lines[0].length, line.length);
	assert.equal(lines[1], 'next');
});

test('maxLineBytes cuts a runaway line into pieces instead of holding it', () => {
	const lines = split([Buffer.from('abcd'), Buffer.from('efgh'), Buffer.from('ij\n')], 6);
	assert.deepEqual(lines, ['abcdefgh', 'ij']);
});
