import {formatBytes, formatCpu} from '../lib/format.js';
import type {Usage} from '../store/types.js';

/**
A server's children in a few columns: `3.1% 45MB`, CPU left out until there is a figure.
*/
export const usageText = (u: Usage): string => (u.cpu === undefined ? formatBytes(u.rss) : `${formatCpu(u.cpu)}% ${formatBytes(u.rss)}`);
