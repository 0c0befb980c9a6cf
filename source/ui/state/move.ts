export type Move = 'down' | 'up' | 'top' | 'bottom' | 'pageUp' | 'pageDown';

/**
Where `move` takes position `at` among rows `0..last`, `page` rows to a page; not clamped.
*/
export function moveTo(move: Move, at: number, last: number, page: number): number {
	return {
		down: at + 1, up: at - 1, top: 0, bottom: last, pageUp: at - page, pageDown: at + page,
	}[move];
}
