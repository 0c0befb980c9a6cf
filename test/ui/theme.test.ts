import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {pickTheme} from '../../source/ui/pick-theme.js';
import {applyTheme, tone} from '../../source/ui/theme.js';

after(() => {
	applyTheme('dark');
});

test('the theme: asked for by name, else the background COLORFGBG reports, else dark', () => {
	assert.equal(pickTheme('light', '15;0'), 'light', 'asked for wins');
	assert.equal(pickTheme('dark', '0;15'), 'dark');
	assert.equal(pickTheme('auto', '0;15'), 'light');
	assert.equal(pickTheme(undefined, '0;default;15'), 'light');
	assert.equal(pickTheme(undefined, '0;7'), 'light');
	assert.equal(pickTheme(undefined, '15;0'), 'dark');
	assert.equal(pickTheme(undefined, 'default;default'), 'dark');
	assert.equal(pickTheme(undefined, undefined), 'dark');
	assert.equal(pickTheme('purple', undefined), undefined);
});

test('the light palette has no yellow or cyan, which vanish on white; dark is back after', () => {
	applyTheme('light');
	const light = Object.values(tone);
	assert.ok(!light.includes('yellow') && !light.includes('cyan'), light.join(' '));
	applyTheme('dark');
	assert.equal(tone.accent, 'cyan');
	assert.equal(tone.warn, 'yellow');
});
