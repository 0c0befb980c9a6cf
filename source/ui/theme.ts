import chalk from 'chalk';
import type {SessionState} from '../core/events.js';
import type {ServerRow, SessionRow} from '../store/types.js';
import type {ThemeName} from './pick-theme.js';

/**
 Semantic colour tokens. Meaning never rests on colour alone: every state has
 a glyph, and selection is a `›` marker as well as inverse.
 */
const dark = {
	accent: 'cyan',
	live: 'green',
	idle: 'gray',
	starting: 'yellow',
	crashed: 'red',
	closed: 'gray',
	muted: 'gray',
	warn: 'yellow',
	error: 'red',
	ok: 'green',
	border: 'gray',
	focusBorder: 'cyan',
	heading: 'magenta',
	code: 'cyan',
};

export type ToneName = keyof typeof dark;

/**
Yellow and cyan all but vanish on a white background: blue and magenta take their place.
*/
const light: Record<ToneName, string> = {
	...dark,
	accent: 'blue',
	starting: 'magenta',
	warn: 'magenta',
	focusBorder: 'blue',
	heading: 'blue',
	code: 'blue',
};

export type {ThemeName} from './pick-theme.js';

/**
The palette in use; `applyTheme` sets it once, before the first frame.
*/
export const tone: Record<ToneName, string> = {...dark};

export type Tone = string;

/**
 True when the terminal gets no styling at all (`--no-color`, `NO_COLOR`,
 `TERM=dumb`, not a terminal): Ink drops inverse and bold with the colours
 then, so whatever they alone showed needs a character of its own.
 */
export function colorsOff(): boolean {
	return chalk.level === 0;
}

export function applyTheme(name: ThemeName): void {
	Object.assign(tone, name === 'light' ? light : dark);
}

export const glyph = {
	/**
	Around a search hit when colours are off (`colorsOff`), since inverse goes with them.
	*/
	hitOpen: '«',
	hitClose: '»',
	/**
	A text field's cursor when colours are off, before the character it is on.
	*/
	cursor: '▏',
	live: '●',
	idle: '○',
	crashed: '✖',
	starting: '◌',
	closed: '·',
	selected: '›',
	prompt: '▸',
	ok: '✓',
	done: '✔',
	cancelled: '⊘',
	quarantined: '⊘',
} as const;

/**
A running agent's pulse; the frame comes from its elapsed time, so no timer of its own.
*/
export const pulse = ['◐', '◓', '◑', '◒'] as const;
export const pulseAt = (ms: number | undefined): string => pulse[Math.floor((ms ?? 0) / 250) % pulse.length];

export type Badge = {
	glyph: string;
	label: string;
	color: Tone;
};

/**
A live session with nothing in flight for this long reads as idle.
*/
export const idleAfterMs = 60_000;

const byState: Record<SessionState, Badge> = {
	starting: {glyph: glyph.starting, label: 'starting', color: tone.starting},
	live: {glyph: glyph.live, label: 'live', color: tone.live},
	closing: {glyph: glyph.starting, label: 'closing', color: tone.starting},
	closed: {glyph: glyph.closed, label: 'closed', color: tone.closed},
	crashed: {glyph: glyph.crashed, label: 'crashed', color: tone.crashed},
};

export function sessionBadge(row: SessionRow, now: number): Badge {
	return row.state === 'live' && row.inFlight === 0 && now - row.lastActivity > idleAfterMs ? {glyph: glyph.idle, label: 'idle', color: tone.idle} : byState[row.state];
}

export function serverBadge(row: ServerRow): Badge {
	if (row.state === 'disabled') {
		return {glyph: glyph.closed, label: 'disabled', color: tone.closed};
	}

	if (row.state === 'removed') {
		return {glyph: glyph.closed, label: 'removed', color: tone.closed};
	}

	if (row.state === 'quarantined') {
		return {glyph: glyph.quarantined, label: 'quarantined', color: tone.error};
	}

	if (row.starting > 0 && row.starting === row.sessions) {
		return {glyph: glyph.starting, label: 'starting', color: tone.starting};
	}

	if (row.sessions > 0) {
		return {glyph: glyph.live, label: 'live', color: tone.live};
	}

	return row.lastCrashed ? {glyph: glyph.crashed, label: 'crashed', color: tone.crashed} : {glyph: glyph.idle, label: 'idle', color: tone.idle};
}
