// Recommendation numbering: published labels ("R3a", "Recommendation 9",
// "3(a)", "2.1.3", "(iv)") → a canonical key comparable across documents.
import type { Message } from '../schema.js';
import { warning, info } from '../result.js';
import { normaliseCharacters } from './text.js';

export interface ParsedLabel {
  /** Canonical key: "9", "3a", "2.1", "3.ii"; a bare sub-item is "a" or "ii". */
  number: string;
  /** Published form, trimmed: "R3a", "Recommendation 9:", "9." */
  label: string;
  /** True when the label has only a sub-item ("(a)", "iv.") and needs a parent. */
  subOnly: boolean;
  /** A lone lower-case letter with no punctuation ("a The Department…"): a label only in a list lettered so. */
  bare?: boolean;
}

const PREFIX = String.raw`(?:recommendations?|recomm?\.?|rec\.?|r)`;
const MAJOR = String.raw`\d{1,3}(?:\.\d{1,3}){0,3}`;
const LETTER = String.raw`[a-z]`;
const ROMAN = String.raw`(?:x{0,3})(?:ix|iv|v?i{0,3})`;
const SUB = String.raw`(?:\(?(?:${ROMAN}|${LETTER})\))|(?:\.?(?:${ROMAN}|${LETTER}))`;

// Whole-cell label, e.g. the number column: "1", "1.", "(1)", "R3a", "Rec 2.1", "3(a)".
const WHOLE = new RegExp(
  String.raw`^(?:${PREFIX}\s*(?:no\.?|number|#)?\s*)?(\(?)(${MAJOR})(${SUB})?\)?[.:)]?$`,
  'i',
);
const SUB_ONLY = new RegExp(String.raw`^\(?(${ROMAN}|${LETTER})[.)]$|^\((${ROMAN}|${LETTER})\)$`, 'i');

// Leading label of running text: needs a prefix or closing punctuation so that
// "2022 was…" or "15 schools…" are not read as labels.
const LEADING_PREFIXED = new RegExp(
  String.raw`^((?:${PREFIX})\s*(?:no\.?\s*|number\s+|#\s*)?(${MAJOR})(${SUB})?\)?\s*[.:)\-]?)(?=\s|$)`,
  'i',
);
const LEADING_PUNCT = new RegExp(
  String.raw`^(\(?(${MAJOR})(?:(\((?:${ROMAN}|${LETTER})\))[.:]?|(${SUB})?[.:)]))(?=\s)`,
  'i',
);
// "a The Department should…": a lone letter set apart, as some publishers letter their recommendations.
const LEADING_BARE_LETTER = /^([a-z])(?=\s+[A-Z])/;
const LEADING_SUB = new RegExp(String.raw`^(\((${ROMAN}|${LETTER})\)|(${ROMAN}|${LETTER})[.)])(?=\s)`, 'i');

function clean(s: string): string {
  return normaliseCharacters(s)
    .replace(/<[^<>]+>/g, '')
    .replace(/\*\*/g, '')
    .trim();
}

function isRoman(s: string): boolean {
  return s.length > 1 && new RegExp(`^${ROMAN}$`, 'i').test(s);
}

function canonicalSub(sub: string | undefined): string {
  if (!sub) return '';
  const bare = sub.replace(/[().]/g, '').toLowerCase();
  if (!bare) return '';
  return isRoman(bare) ? `.${bare}` : bare;
}

// Digits stay as printed ("R01" is "01"): a publisher's leading zero is part of how its items are
// named. Comparisons across documents go through sameNumberKey.
function canonical(major: string, sub: string | undefined): string {
  return major + canonicalSub(sub);
}

/** A number with leading zeros dropped from each part ("01" → "1", "2.05" → "2.5"), for comparing numbers across documents. */
export function sameNumberKey(n: string): string {
  return n.toLowerCase().replace(/(^|[^\d])0+(?=\d)/g, '$1');
}

/** Parse a cell or string that is only a label ("3a", "R1", "Recommendation 9:"). */
export function parseWholeLabel(raw: string): ParsedLabel | null {
  const s = clean(raw);
  if (!s || s.length > 40) return null;
  const m = WHOLE.exec(s);
  if (m) {
    if (m[1] === '(' && !/\)/.test(s)) return null;
    return { number: canonical(m[2], m[3]), label: s, subOnly: false };
  }
  const sub = SUB_ONLY.exec(s);
  if (sub) return { number: canonicalSub(sub[1] ?? sub[2]).replace(/^\./, ''), label: s, subOnly: true };
  return null;
}

/**
 * A number cell: only a label, or a label over a pointer to where the report
 * discusses it ("Recommendation no. 1" above "Paragraph 2.45", "R3" above "p. 12").
 */
export function parseLabelCell(raw: string): ParsedLabel | null {
  const whole = parseWholeLabel(raw);
  if (whole) return whole;
  // The label and the pointer may each wrap over lines ("Recommendation" / "no. 3" / "Paragraphs 4.8 and" / "4.9").
  const lines = raw.split(/\n+/).map((l) => l.trim()).filter(Boolean);
  for (let k = 1; k < lines.length; k++) {
    if (!POINTER.test(lines.slice(k).join(' '))) continue;
    const label = parseWholeLabel(lines.slice(0, k).join(' '));
    if (label) return label;
  }
  return null;
}
const POINTER = /^\(?(?:para(?:graph)?s?\.?|pp?\.|pages?|see|section|chapter)\s*\d[\d.,\s\-–—]*(?:(?:and|to)\s*\d[\d.]*)?\)?$/i;

export interface LeadingLabel extends ParsedLabel {
  /** The text after the label. */
  rest: string;
  /** Length of the label in the cleaned string. */
  length: number;
}

/** Find a label at the start of running text ("1. The council…", "R2: …", "(b) …"). */
export function parseLeadingLabel(raw: string): LeadingLabel | null {
  const s = clean(raw);
  let m = LEADING_PREFIXED.exec(s);
  // "Recommendation 1 is strictly conditional…" refers to a recommendation; a
  // label is followed by punctuation, a capital, a quote or nothing.
  if (m && (/[.:)\-]\s*$/.test(m[1]) || /^\s*($|[A-Z0-9"'‘“(])/.test(s.slice(m[1].length)))) {
    return leading(s, m[1], canonical(m[2], m[3]), false);
  }
  // "8.1 The department should…": a decimal paragraph number needs no full stop before a capital.
  const decimal = /^((\d{1,3})\.(\d{1,3}))\s+(?=[A-Z"“‘'(])/.exec(s);
  if (decimal && !/^\d{1,3}\.\d{1,3}\s+(million|billion|per|percent|%|m\b|bn\b)/i.test(s)) return leading(s, decimal[1], canonical(decimal[1], undefined), false);
  m = LEADING_PUNCT.exec(s);
  if (m) {
    if (m[1].startsWith('(') && !m[1].includes(')')) return null;
    return leading(s, m[1], canonical(m[2], m[3] ?? m[4]), false);
  }
  m = LEADING_SUB.exec(s);
  if (m) return leading(s, m[1], canonicalSub(m[2] ?? m[3]).replace(/^\./, ''), true);
  m = LEADING_BARE_LETTER.exec(s);
  if (m) return { ...leading(s, m[1], m[1], true), bare: true };
  return null;
}

function leading(s: string, label: string, number: string, subOnly: boolean): LeadingLabel {
  const rest = s.slice(label.length).replace(/^[\s:.\-]+/, '');
  return { number, label: label.trim(), subOnly, rest, length: label.length };
}

/** Attach a bare sub-item ("a", "ii") to its parent number ("3" → "3a", "3.ii"; under a lettered item, "3a" → "3a.i"). */
export function withParent(parent: string, sub: string): string {
  return isRoman(sub) || /[a-z]$/.test(parent) ? `${parent}.${sub}` : `${parent}${sub}`;
}

/** The number with its parent ("a" under "1" → "1a"): unique in a document where the printed sub-numbers repeat. */
export function fullNumber(r: { number: string; parent?: string }): string {
  return r.parent ? withParent(r.parent, r.number) : r.number;
}

/** Sort key parts for comparing canonical numbers. */
function numericParts(n: string): number[] | null {
  const m = /^(\d+(?:\.\d+)*)/.exec(n);
  return m ? m[1].split('.').map(Number) : null;
}

/**
 * Messages about the published sequence: out of order, gaps, duplicates and
 * restarts. The order itself is kept as published.
 */
export function checkSequence(numbers: string[]): Message[] {
  const messages: Message[] = [];
  const seen = new Map<string, number>();
  const majors: number[] = [];
  for (const n of numbers) {
    seen.set(n, (seen.get(n) ?? 0) + 1);
    const p = numericParts(n);
    if (p && /^\d+$/.test(n)) majors.push(p[0]);
  }
  for (const [n, count] of seen) {
    if (count > 1) messages.push(warning('normalise/number-duplicate', `number ${n} appears ${count} times`));
  }
  const outOfOrder: string[] = [];
  let restarts = 0;
  for (let i = 1; i < majors.length; i++) {
    if (majors[i] <= majors[i - 1]) {
      if (majors[i] === 1) restarts++;
      else outOfOrder.push(`${majors[i - 1]}→${majors[i]}`);
    }
  }
  if (restarts > 0) messages.push(warning('normalise/number-restart', `numbering restarts at 1 ${restarts} time(s)`));
  if (outOfOrder.length > 0) {
    messages.push(
      info(
        'normalise/number-out-of-order',
        `published order kept; numbers go backwards at ${outOfOrder.join(', ')}`,
      ),
    );
  }
  if (majors.length > 0 && restarts === 0) {
    const set = new Set(majors);
    // Not Math.max(...majors): a spread of a million numbers overflows the stack.
    const max = majors.reduce((a, b) => Math.max(a, b), -Infinity);
    const min = majors.reduce((a, b) => Math.min(a, b), Infinity);
    const missing: number[] = [];
    for (let k = min; k <= max && missing.length < 50; k++) if (!set.has(k)) missing.push(k);
    if (missing.length > 0) messages.push(warning('normalise/number-gap', `numbers missing from the sequence: ${missing.join(', ')}`));
  }
  return messages;
}
