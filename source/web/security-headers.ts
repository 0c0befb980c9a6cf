/**
 Headers on everything under /chat/. The page renders an agent's answer,
 which is untrusted text: the policy allows only the page's own files, no
 inline script or style, no framing, no other hosts, and with Trusted Types
 any string written into an HTML sink (innerHTML and the like) throws, so a
 slip in the renderer cannot turn an answer into markup.
 */
export const CHAT_CSP = [
	'default-src \'none\'',
	'script-src \'self\'',
	'style-src \'self\'',
	'img-src \'self\'',
	'connect-src \'self\'',
	'manifest-src \'self\'',
	'base-uri \'none\'',
	'form-action \'none\'',
	'frame-ancestors \'none\'',
	'require-trusted-types-for \'script\'',
	'trusted-types \'none\'',
].join('; ');

export const CHAT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
	'content-security-policy': CHAT_CSP,
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'no-referrer',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), clipboard-write=(self)',
});
