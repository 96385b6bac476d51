// Header vocabulary of recommendation tables, by column role. Publishers word
// headers differently; these patterns are the field's common wording.
import type { Role } from '../schema.js';
import { normaliseCharacters } from '../normalise/text.js';

const ROLE_PATTERNS: Array<[Role, RegExp]> = [
  [
    'number',
    /^(no|nos|number|num|#|ref|reference|ref no|rec no|recommendation no|recommendation number|recommendation ref|rec ref|item|item no|id|para|paragraph|r no|s\/n|sn)$/,
  ],
  ['status', /\b(status|rag|rag rating|rag status|rating|complete\??|completed\??|progress rating|assessment|red amber green|brag)\b/],
  ['date', /\b(date|timescale|timescales|time ?frame|deadline|by when|target|due|completion date|when|timeline)\b/],
  ['owner', /\b(owner|owners|lead|leads|lead officer|responsible|responsibility|accountable|officer|by whom|who|lead organisation|lead agency|owned by)\b/],
  ['update', /\b(update|updates|progress|commentary|current position|position|evidence|progress to date|latest|actions taken|comments on progress)\b/],
  ['response', /\b(response|responses|council response|management response|comment|comments|agreed|accepted|accept|reply|action plan|planned action|proposed action|actions? proposed)\b/],
  ['recommendation', /\b(recommendations?|rec|recs|action|actions|finding|findings|proposal|proposals|issue|area for improvement|areas for improvement|what needs to happen|requirement)\b/],
];

export function cleanHeader(raw: string): string {
  return normaliseCharacters(raw)
    .replace(/<[^<>]+>/g, ' ')
    .replace(/\*\*/g, '')
    .replace(/[.:;?()[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The role a header names, or null when it names none. */
export function roleOfHeader(raw: string): Role | null {
  const h = cleanHeader(raw);
  if (!h || h.split(' ').length > 8) return null;
  for (const [role, re] of ROLE_PATTERNS) if (re.test(h)) return role;
  return null;
}

/** Short text that reads as a column header of a recommendation table. */
export function isHeaderText(raw: string): boolean {
  const h = cleanHeader(raw);
  return h.length > 0 && h.split(' ').length <= 6 && roleOfHeader(raw) !== null;
}
