import {Text} from 'ink';
import {memo} from 'react';
import type {ServerRow, Usage} from '../../store/types.js';
import {usageText} from '../usage-text.js';
import {glyph, serverBadge} from '../theme.js';

type Props = {
	servers: readonly ServerRow[];
	/**
	Each server's children summed, when sampled.
	*/
	usage?: ReadonlyMap<string, Usage>;
	selected: number;
	focused: boolean;
	width: number;
};

export function stripItem(s: ServerRow, usage?: Usage): string {
	const badge = serverBadge(s);
	// A quarantine says more than a crash count, in fewer columns.
	if (s.state === 'quarantined') {
		return `${badge.glyph} ${s.name} ${s.sessions > 0 ? `${s.sessions} ` : ''}quarantined`;
	}

	const cost = usage ? ` ${usageText(usage)}` : '';

	const crashes = s.crashes > 0 ? ` crashed(${s.crashes})` : '';
	// Spares spawned ahead for the next sessions (`prewarm`), apart from the sessions they will become.
	const warm = s.prewarmed > 0 ? ` +${s.prewarmed} warm` : '';
	return s.state === 'removed' ? `${badge.glyph} ${s.name} ${s.sessions} removed` : `${badge.glyph} ${s.name} ${s.state === 'disabled' ? 'off' : s.sessions}${warm}${cost}${crashes}`;
}

/**
The 80×24 servers line; scrolls sideways so the selected server stays in view.
*/
function Strip({servers, usage, selected, focused, width}: Props) {
	if (servers.length === 0) {
		return <Text wrap='truncate-end'>  no servers configured</Text>;
	}

	const items = servers.map(s => ` ${stripItem(s, usage?.get(s.name))} `);
	let start = 0;
	const fits = (from: number) => items.slice(from, selected + 1).reduce((n, t) => n + t.length + 1, 2) <= width;
	while (focused && start < selected && !fits(start)) {
		start++;
	}

	return (
		<Text wrap='truncate-end'>
			<Text>{start > 0 ? '‹ ' : '  '}</Text>
			{servers.slice(start).map((s, i) => {
				const isSelected = focused && start + i === selected;
				const badge = serverBadge(s);
				return (
					<Text key={s.name} inverse={isSelected}>
						{isSelected ? glyph.selected : ' '}
						<Text color={badge.color}>{badge.glyph}</Text>
						{items[start + i].slice(2)}
					</Text>
				);
			})}
		</Text>
	);
}

const sameRows = (a: readonly ServerRow[], b: readonly ServerRow[]): boolean => a.length === b.length && a.every((row, i) => row === b[i]);

/**
 Memoized on the rows themselves: each snapshot hands out a new list, but the
 store keeps an unchanged server's row, and Ink lays out again whatever re-renders.
 */
export const ServersStrip = memo(Strip, (a, b) => sameRows(a.servers, b.servers) && a.usage === b.usage && a.selected === b.selected && a.focused === b.focused && a.width === b.width);
