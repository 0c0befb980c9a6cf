/**
How a client addresses mcpd's own endpoint.
*/
import {bracketHost} from '../lib/host.js';

export function authHeaders(token: string | undefined): Record<string, string> {
	return token === undefined ? {} : {authorization: `Bearer ${token}`};
}

/**
A URL this machine can connect to for mcpd bound to `host` (a wildcard bind becomes loopback).
*/
export function connectableBase(host: string, port: number): string {
	const name = host === '0.0.0.0' || host === '' ? '127.0.0.1' : (host === '::' || host === '[::]' ? '::1' : host);
	return `http://${bracketHost(name)}:${port}`;
}
