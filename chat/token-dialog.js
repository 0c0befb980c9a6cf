// Mcpd's access token ([http] token), asked once and kept in the tab
// (storage.js); sent as `Authorization: Bearer` to mcpd only.

import {token} from './storage.js';

/**
 Resolves once the user entered a token (stored by then).
 @param {HTMLDialogElement} dialog
 @param {string} [problem] why it is asked again
 @returns {Promise<void>}
 */
export async function askToken(dialog, problem = '') {
	const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
	const input = /** @type {HTMLInputElement} */ (dialog.querySelector('input'));
	const error = /** @type {HTMLElement} */ (dialog.querySelector('.error'));
	error.textContent = problem;
	error.hidden = problem === '';
	input.value = '';
	return new Promise(resolve => {
		const onSubmit = event => {
			event.preventDefault();
			if (input.value.trim() === '') {return;}
			token.set(input.value.trim());
			form.removeEventListener('submit', onSubmit);
			dialog.removeEventListener('cancel', onCancel);
			dialog.close();
			resolve();
		};

		// Nothing works without it: Esc does not dismiss the question.
		const onCancel = event => {
			event.preventDefault();
		};

		form.addEventListener('submit', onSubmit);
		dialog.addEventListener('cancel', onCancel);
		dialog.showModal();
		input.focus();
	});
}
