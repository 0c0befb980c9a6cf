import {useStdout} from 'ink';
import {useEffect, useReducer} from 'react';

export type TerminalSize = {
	columns: number;
	rows: number;
};

type Sized = {columns?: number; rows?: number};

/**
 The terminal size, read from the stream on every render and re-rendering on
 `resize`. Not ink's `useWindowSize`: that keeps the size in state (so a
 synchronous re-render on resize would still see the old one) and asks the
 controlling terminal when the stream has no size, so a pipe or a test would
 lay out for whatever window started the process; 80×24 is the fallback.
 */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [, bump] = useReducer((n: number) => n + 1, 0);
	useEffect(() => {
		stdout.on('resize', bump);
		return () => {
			stdout.off('resize', bump);
		};
	}, [stdout]);
	const {columns, rows} = stdout as Sized;
	return {columns: columns !== undefined && columns > 0 ? columns : 80, rows: rows !== undefined && rows > 0 ? rows : 24};
}
