/**
A host as it goes in a URL or a Host header: an IPv6 literal gets its brackets.
*/
export function bracketHost(host: string): string {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
