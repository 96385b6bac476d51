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
  // Before dates: "Progress to date" is an update column.
  ['update', /\b(update|updates|progress|commentary|current position|position|evidence|progress to date|latest|actions taken|comments on progress)\b/],
  ['date', /\b(date|timescale|timescales|time ?frame|deadline|by when|target|due|completion date|when|timeline)\b/],
  ['owner', /\b(owner|owners|lead|leads|lead officer|responsible|responsibility|accountable|officer|by whom|who|lead organisation|lead agency|owned by)\b/],
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

// Verbs that open an instruction ("Strengthen the front door…", "Review the APP…").
const IMPERATIVE = new Set(
  (
    'act adopt agree align allocate appoint approve assess assure build carry challenge champion clarify collaborate commission commit ' +
    'communicate complete conduct confirm consider consolidate continue coordinate co-produce create define deliver design develop ' +
    'embed enable encourage engage enhance ensure establish evaluate expand explore extend focus identify implement improve include ' +
    'increase introduce invest involve keep lead maintain make monitor move notify offer plan prepare prioritise prioritize produce ' +
    'promote provide publish put raise recruit reduce refresh reinforce release remove report require re-establish reset resource ' +
    'respond restructure retain review revise secure seek set share simplify speed standardise start stop streamline strengthen ' +
    'support sustain take tackle train undertake update use work write'
  ).split(' '),
);
const MODAL = /\b(should|must|shall|will|needs? to|ought to|recommend\w*|is to|are to|to be (?:considered|reviewed|established|developed|agreed)|expected to|required to)\b/i;

/** Text that reads as a recommendation or action: a modal ("should", "must", "will") or an opening imperative. */
export function readsAsDirective(text: string): boolean {
  const t = normaliseCharacters(text).replace(/<[^<>]+>/g, ' ').trim();
  if (MODAL.test(t)) return true;
  const first = /^[("'\s]*(?:\(?[0-9a-z]{1,4}[.):]\s+)?([A-Za-z-]+)/.exec(t)?.[1]?.toLowerCase();
  return first !== undefined && IMPERATIVE.has(first);
}
