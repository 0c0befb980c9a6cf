// The settings drawer: one password field per header the agent's server maps
// through header_env, labelled with the variable it sets in the tab's own
// agent process. Values go to sessionStorage (storage.js) and nowhere else
// until the tab starts its session.

import {keys} from './storage.js';

/**
 @typedef {{header: string, variable: string, preset: boolean}} ChatKey
 */

/**
 @param {HTMLDialogElement} dialog
 @param {{keys: ChatKey[], keysRequired: boolean, server: string}} config
 @param {() => void} onChange called after a save that changed a key
 @returns {{open: () => void}}
 */
export function keysDialog(dialog, config, onChange) {
	const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
	const fields = /** @type {HTMLElement} */ (dialog.querySelector('.key-fields'));
	const intro = /** @type {HTMLElement} */ (dialog.querySelector('.intro'));
	const reveal = /** @type {HTMLInputElement} */ (dialog.querySelector('.reveal'));
	const names = config.keys.map(key => key.variable);
	intro.textContent = config.keys.length === 0
		? `The agent (${config.server}) takes no keys from this page.`
		: (config.keysRequired
			? `The agent runs on your own key: enter ${oneOf(names)}.`
			: 'Optional: without yours, the agent uses the one its server was given.');

	/**
	@type {HTMLInputElement[]}
	*/
	const inputs = config.keys.map(key => {
		const label = document.createElement('label');
		label.className = 'key';
		const name = document.createElement('span');
		name.className = 'key-name';
		name.textContent = key.variable;
		const input = document.createElement('input');
		input.type = 'password';
		input.name = key.header;
		input.autocomplete = 'off';
		input.spellcheck = false;
		input.dataset.header = key.header;
		const note = document.createElement('span');
		note.className = 'key-note';
		note.textContent = key.preset ? 'optional: the server has its own' : `sent as ${key.header} when a session starts`;
		label.append(name, input, note);
		fields.append(label);
		return input;
	});
	reveal.closest('label').hidden = inputs.length === 0;
	reveal.addEventListener('change', () => {
		for (const input of inputs) {input.type = reveal.checked ? 'text' : 'password';}
	});

	form.addEventListener('submit', event => {
		event.preventDefault();
		let changed = false;
		for (const input of inputs) {
			const header = input.dataset.header ?? '';
			if (keys.get(header) !== input.value.trim()) {changed = true;}
			keys.set(header, input.value);
		}

		dialog.close();
		if (changed) {onChange();}
	});
	dialog.querySelector('.clear')?.addEventListener('click', () => {
		for (const input of inputs) {input.value = '';}
		inputs[0]?.focus();
	});
	dialog.querySelector('.close')?.addEventListener('click', () => {
		dialog.close();
	});

	return {
		open() {
			for (const input of inputs) {input.value = keys.get(input.dataset.header ?? '');}
			reveal.checked = false;
			for (const input of inputs) {input.type = 'password';}
			dialog.showModal();
			(inputs.find(input => input.value === '') ?? inputs[0])?.focus();
		},
	};
}

/**
 `A`, `A or B`, `A, B or C`.
 @param {string[]} names
 */
export function oneOf(names) {
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
