// Acronyms a document defines: "Birmingham City Council (BCC)", "the
// Accelerated Progress Plan (APP)". The expansion is the shortest run of words
// before the bracket whose initials spell the acronym.
import { normaliseCharacters } from './text.js';

const DEFINITION = /\(\(?([A-Z][A-Za-z&]{1,11})\)/g;
const MINOR = new Set(['of', 'and', 'for', 'the', 'to', 'in', 'on', 'with', '&', 'at', 'a', 'an']);

function initials(words: string[]): string {
  return words
    .filter((w) => !MINOR.has(w.toLowerCase()))
    .map((w) => w[0])
    .join('')
    .toUpperCase();
}

export function findDefinitions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const s = normaliseCharacters(text);
  for (const m of s.matchAll(DEFINITION)) {
    const acronym = m[1];
    const letters = acronym.replace(/[^A-Z]/g, '');
    if (letters.length < 2) continue;
    const before = s.slice(Math.max(0, (m.index ?? 0) - 200), m.index).trim();
    const tokens = before.split(/\s+/).filter(Boolean).slice(-14);
    for (let k = 1; k <= tokens.length; k++) {
      const run = tokens.slice(-k).map((t) => t.replace(/^[("']+|[,;:"']+$/g, ''));
      if (!/^[A-Z]/.test(run[0])) continue;
      if (initials(run) === letters) {
        out[acronym] ??= run.join(' ');
        break;
      }
    }
  }
  return out;
}
