// Dates stated in text: "Update August 2022" → 2022-08, "12 July 2023" → 2023-07-12.
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ALT = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAY_MONTH_YEAR = new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${MONTH_ALT})\.?,?\s+((?:19|20)\d{2})\b`, 'i');
const MONTH_DAY_YEAR = new RegExp(String.raw`\b(${MONTH_ALT})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*((?:19|20)\d{2})\b`, 'i');
const MONTH_YEAR = new RegExp(String.raw`\b(${MONTH_ALT})\.?,?\s+((?:19|20)\d{2})\b`, 'i');
const ISO = /\b((?:19|20)\d{2})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b/;

function monthIndex(name: string): number {
  const n = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(n)) + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first date a string states, as YYYY-MM-DD or YYYY-MM; undefined if none. */
export function findDate(text: string): string | undefined {
  let m = DAY_MONTH_YEAR.exec(text);
  if (m) {
    const day = Number(m[1]);
    if (day >= 1 && day <= 31) return `${m[3]}-${pad(monthIndex(m[2]))}-${pad(day)}`;
  }
  m = MONTH_DAY_YEAR.exec(text);
  if (m) {
    const day = Number(m[2]);
    if (day >= 1 && day <= 31) return `${m[3]}-${pad(monthIndex(m[1]))}-${pad(day)}`;
  }
  m = MONTH_YEAR.exec(text);
  if (m) return `${m[2]}-${pad(monthIndex(m[1]))}`;
  m = ISO.exec(text);
  if (m) return m[3] ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}`;
  return undefined;
}
