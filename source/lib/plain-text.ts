// CSI (colours, cursor moves), OSC (titles, links; ended by BEL or ST) and two-byte escapes.
// eslint-disable-next-line no-control-regex -- matching control bytes is the point
const escapes = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- as above
const controls = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 A child's output line made safe to draw: escape sequences would recolour or
 move the cursor over the dashboard (and break monochrome), tabs would break
 column widths.
 */
export function toPlainLine(line: string, tabWidth = 4): string {
	const clean = line.replaceAll(escapes, '').replaceAll(controls, '');
	if (!clean.includes('\t')) {
		return clean;
	}

	let out = '';
	for (const ch of clean) {
		out += ch === '\t' ? ' '.repeat(tabWidth - (out.length % tabWidth)) : ch;
	}

	return out;
}
