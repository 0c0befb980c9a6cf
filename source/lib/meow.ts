/**
 Imports meow without opening ICU's collator. As its bundle loads, it sorts
 spdx-correct's table of licence-name fixes with String#localeCompare, and the
 first localeCompare opens ICU's collator: about 2 MiB of ICU data resident
 for the life of the process, while nothing else in a headless mcpd compares
 strings by locale. For the import alone localeCompare is a code-point
 comparison. That table only ever corrects a package.json `license` field,
 and the package data mcpd gives meow (`pkg`) has none, so parsing is the same.
 */
import type Meow from 'meow';

function codePointCompare(this: string, that: string): number {
	if (this === that) {
		return 0;
	}

	return this < that ? -1 : 1;
}

export async function loadMeow(): Promise<typeof Meow> {
	const localeCompare = Object.getOwnPropertyDescriptor(String.prototype, 'localeCompare')!;
	// eslint-disable-next-line no-extend-native -- for the import only; put back below
	Object.defineProperty(String.prototype, 'localeCompare', {...localeCompare, value: codePointCompare});
	try {
		const {default: meow} = await import('meow');
		return meow;
	} finally {
		// eslint-disable-next-line no-extend-native -- the original, as it was
		Object.defineProperty(String.prototype, 'localeCompare', localeCompare);
	}
}
