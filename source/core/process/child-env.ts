/**
What every child gets from mcpd's environment unless its server opts into all of it.
*/
export const BASELINE_ENV = ['PATH', 'HOME', 'LANG', 'TERM', 'TMPDIR', 'USER', 'SHELL'] as const;

/**
 A child sees only what its server's config grants: the short baseline (or
 everything with `inherit_env`), then the server's `env`, then the values its
 session's request headers supplied through `header_env`, which win.
 */
export function childEnv(
	parent: NodeJS.ProcessEnv,
	options: {inheritEnv: boolean; env: Record<string, string>; sessionEnv?: Record<string, string>},
): Record<string, string> {
	const result: Record<string, string> = {};
	if (options.inheritEnv) {
		for (const [key, value] of Object.entries(parent)) {
			if (value !== undefined) {
				result[key] = value;
			}
		}
	} else {
		for (const key of BASELINE_ENV) {
			const value = parent[key];
			if (value !== undefined) {
				result[key] = value;
			}
		}
	}

	Object.assign(result, options.env, options.sessionEnv);
	return result;
}
