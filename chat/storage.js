// What the tab keeps: the access token, the user's keys and the history of its
// tasks, in sessionStorage only: this tab, this origin, gone when the tab
// closes; never localStorage, never a cookie. Where storage is refused (some
// private modes) it lives in memory for the page's life instead.

const PREFIX = 'mcpd.chat.';
const MAX_HISTORY = 30;

/**
@type {Map<string, string>}
*/
const memory = new Map();

function get(name) {
	try {
		return sessionStorage.getItem(PREFIX + name) ?? undefined;
	} catch {
		return memory.get(name);
	}
}

function set(name, value) {
	try {
		if (value === undefined || value === '') {sessionStorage.removeItem(PREFIX + name);} else {sessionStorage.setItem(PREFIX + name, value);}
	} catch {
		if (value === undefined || value === '') {memory.delete(name);} else {memory.set(name, value);}
	}
}

export const token = {
	get: () => get('token') ?? '',
	/**
	@param {string} value
	*/
	set: value => set('token', value),
};

export const keys = {
	/**
	@param {string} header
	*/
	get: header => get(`key.${header}`) ?? '',
	/**
	@param {string} header @param {string} value
	@param value
	*/
	set: (header, value) => set(`key.${header}`, value.trim()),
};

/**
 @typedef {{task: string, state: string, text?: string, message?: string, stderr?: string[], elapsedMs: number, at: number}} Finished
 */

export const history = {
	/**
	@returns {Finished[]}
	*/
	get() {
		try {
			const value = JSON.parse(get('history') ?? '[]');
			return Array.isArray(value) ? value : [];
		} catch {
			return [];
		}
	},
	/**
	@param {Finished} entry
	*/
	add(entry) {
		set('history', JSON.stringify([...history.get(), entry].slice(-MAX_HISTORY)));
	},
	clear: () => set('history', undefined),
};
