import type {Key} from 'ink';

/**
An ink `Key` with every flag off but the ones given.
*/
export function key(flags: Partial<Key> = {}): Key {
	return {
		upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
		home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
		backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
		...flags,
	};
}
