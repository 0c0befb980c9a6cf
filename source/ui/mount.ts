import process from 'node:process';
import {render, type Instance, type RenderOptions} from 'ink';
import {cloneElement, type ReactElement} from 'react';

/**
 Ink's `render` plus a synchronous re-render on resize. Ink redraws the tree
 it already has as soon as the terminal resizes, before React has seen the
 new size: a layout for 40 rows would be written into 10 and scroll. Running
 ahead of Ink's listener, a legacy-mode `rerender` commits the new layout
 first, so every frame fits the terminal it is written to.
 */
export function mountDashboard(element: ReactElement, options: RenderOptions): Instance {
	const stdout = options.stdout ?? process.stdout;
	const instance = render(element, options);
	// A fresh element: the same one would let React skip the render.
	const onResize = () => {
		instance.rerender(cloneElement(element));
	};

	stdout.prependListener('resize', onResize);
	const detach = () => stdout.off('resize', onResize);
	void instance.waitUntilExit().then(detach, detach);
	return instance;
}
