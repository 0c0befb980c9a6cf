// Apart from theme.ts, which loads chalk: the headless mcpd checks --theme too, and
// would otherwise load chalk (with node:tty) for a dashboard it never draws.

export type ThemeName = 'dark' | 'light';

/**
 `--theme` (or `MCPD_THEME`) when given; otherwise the terminal's background
 as `COLORFGBG` reports it (`0;15`: dark text on white), and dark when unsaid.
 Undefined for a name that is not a theme.
 */
export function pickTheme(asked: string | undefined, colorFgBg: string | undefined): ThemeName | undefined {
	if (asked !== undefined && asked !== '' && asked !== 'auto') {
		return asked === 'light' || asked === 'dark' ? asked : undefined;
	}

	const background = Number(colorFgBg?.split(';').at(-1));
	return background === 7 || (background >= 9 && background <= 15) ? 'light' : 'dark';
}
