// Dates stated in text: "Update August 2022" → 2022-08, "12 July 2023" → 2023-07-12,
// "31/03/2024" → 2024-03-31 (day first, as in UK reports), "2023/24" (a UK
// financial year) → 2023-04, its first month. Impossible dates ("30 February
// 2023", "31/04/2024") are rejected, and the next date in the text is used.
import type { DateSource, Message } from '../schema.js';
import { info, warning } from '../result.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ALT = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const YEAR = '((?:19|20)\\d{2})';
type Form = { re: RegExp; read: (m: RegExpExecArray) => { y: number; mo: number; d?: number } };
const FORMS: Form[] = [
  // 12 July 2023, 1st Aug. 2022
  { re: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_ALT})\.?,?\s+${YEAR}\b`, 'gi'), read: (m) => ({ y: +m[3], mo: monthIndex(m[2]), d: +m[1] }) },
  // July 12, 2023
  { re: new RegExp(String.raw`\b(${MONTH_ALT})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*${YEAR}\b`, 'gi'), read: (m) => ({ y: +m[3], mo: monthIndex(m[1]), d: +m[2] }) },
  // August 2022
  { re: new RegExp(String.raw`\b(${MONTH_ALT})\.?,?\s+${YEAR}\b`, 'gi'), read: (m) => ({ y: +m[2], mo: monthIndex(m[1]) }) },
  // 2023-07 or 2023-07-12 (ISO)
  { re: /\b((?:19|20)\d{2})-(0[1-9]|1[0-2])(?:-(\d{2}))?\b(?![/.]\d)/g, read: (m) => ({ y: +m[1], mo: +m[2], ...(m[3] ? { d: +m[3] } : {}) }) },
  // 31/03/2024, 31.03.2024, 31-03-2024 (day first)
  { re: /\b(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})\b/g, read: (m) => ({ y: +m[4], mo: +m[3], d: +m[1] }) },
  // 2023/24, 2023-24 or 2023/2024: a financial year, read as its first month (April)
  { re: /\b((?:19|20)\d{2})[/\u2013-]((?:19|20)?\d{2})\b(?![/.-]\d)/g, read: (m) => ({ y: +m[1], mo: financialYearOk(m[1], m[2]) ? 4 : -1 }) },
];

function monthIndex(name: string): number {
  const n = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(n)) + 1;
}

function financialYearOk(first: string, second: string): boolean {
  const next = Number(first) + 1;
  return second.length === 4 ? Number(second) === next : Number(second) === next % 100;
}

const pad = (n: number) => String(n).padStart(2, '0');

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export interface DateFound {
  /** YYYY-MM-DD or YYYY-MM. */
  date?: string;
  /** Dates as written that do not exist ("30 February 2023"), before the one found. */
  rejected: string[];
}

/** The first real date a string states, scanning left to right; impossible dates are skipped and listed. */
export function findDateWithRejects(text: string): DateFound {
  const hits: { index: number; length: number; text: string; value?: string }[] = [];
  for (const form of FORMS) {
    form.re.lastIndex = 0;
    for (let m = form.re.exec(text); m; m = form.re.exec(text)) {
      const { y, mo, d } = form.read(m);
      if (mo === -1) continue; // two years that are not a financial year: not a date at all
      const valid = mo >= 1 && mo <= 12 && (d === undefined || (d >= 1 && d <= daysIn(y, mo)));
      hits.push({ index: m.index, length: m[0].length, text: m[0], ...(valid ? { value: d === undefined ? `${y}-${pad(mo)}` : `${y}-${pad(mo)}-${pad(d)}` } : {}) });
    }
  }
  // Leftmost first; at one place the longest reading ("12 July 2023" over "July 2023").
  hits.sort((a, b) => a.index - b.index || b.length - a.length);
  const rejected: string[] = [];
  let covered = -1;
  for (const h of hits) {
    if (h.index < covered) continue;
    covered = h.index + h.length;
    if (h.value) return { date: h.value, rejected };
    rejected.push(h.text);
  }
  return { rejected };
}

/** The first real date a string states, as YYYY-MM-DD or YYYY-MM; undefined if none. */
export function findDate(text: string): string | undefined {
  return findDateWithRejects(text).date;
}

export interface DocumentDateInput {
  title?: string;
  /** The document's first paragraphs, clean text, in reading order. */
  paragraphs: string[];
  /** Dates stated in the headers of role columns ("Update July 2023"), in table order. */
  headerDates: string[];
  /** The date in the file's properties (PDF info, Word core properties, HTML meta). */
  metaDate?: string;
}

/**
 * A document's date and where it was read: the title's date wins, then early
 * paragraphs, then a dated column header, then the file's properties. A date
 * from the properties alone is flagged (it is often when the file was saved,
 * not when the report was published).
 */
export function documentDate(input: DocumentDateInput): { date?: string; dateSource?: DateSource; messages: Message[] } {
  const messages: Message[] = [];
  const look = (text: string): string | undefined => {
    const found = findDateWithRejects(text);
    for (const r of found.rejected) messages.push(info('normalise/date-impossible', `"${r}" is not a real date; ignored`));
    return found.date;
  };
  const fromTitle = input.title ? look(input.title) : undefined;
  if (fromTitle) return { date: fromTitle, dateSource: 'title', messages };
  for (const p of input.paragraphs) {
    const d = look(p);
    if (d) return { date: d, dateSource: 'text', messages };
  }
  if (input.headerDates.length) return { date: input.headerDates[0], dateSource: 'header', messages };
  const meta = input.metaDate && /^\d{4}-\d{2}(-\d{2})?$/.test(input.metaDate) ? input.metaDate : undefined;
  if (meta) {
    messages.push(warning('normalise/date-from-metadata', `the date ${meta} comes only from the file's properties, which may say when the file was saved rather than published`));
    return { date: meta, dateSource: 'metadata', messages };
  }
  return { messages };
}
