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
    'act abolish adopt agree align allocate appoint approve assess assure begin build carry challenge champion clarify collaborate commission commit ' +
    'communicate complete conduct confirm consider consolidate continue coordinate co-produce create define deliver design develop disclose ' +
    'embed enable encourage end engage enhance ensure establish evaluate expand examine explore extend focus identify implement improve include ' +
    'increase inform introduce invest involve keep lead maintain make monitor move notify offer permit plan prepare prioritise prioritize produce ' +
    'promote provide publish put raise recruit reduce refresh reinforce release remove report require re-establish reset resource ' +
    'respond restructure retain review revise secure seek set share simplify speed standardise start stop streamline strengthen ' +
    'support sustain take tackle train undertake update use work write'
  ).split(' '),
);
const MODAL = /\b(should|must|shall|will|needs? to|ought to|recommend\w*|is to|are to|to be (?:considered|reviewed|established|developed|agreed)|expected to|required to)\b/i;

/** Text that reads as a recommendation or action: a modal ("should", "must", "will") or an opening imperative. */
export function readsAsDirective(text: string): boolean {
  const t = normaliseCharacters(text).replace(/<[^<>]+>/g, ' ').trim();
  // A question ("Will information be provided within 30 days?") asks; it does not direct.
  if (/\?$/.test(t)) return false;
  if (MODAL.test(t)) return true;
  const m = /^[("'\s]*(?:\(?[0-9a-z]{1,4}[.):]\s+)?([A-Za-z-]+)(?:\s+([A-Za-z]+))?/.exec(t);
  const first = m?.[1]?.toLowerCase();
  // "Review of …", "Support for …" are titles (nouns), not instructions.
  if (m?.[2] && /^(of|for|by|in|and|to)$/i.test(m[2]) && first !== 'work') return false;
  return first !== undefined && IMPERATIVE.has(first);
}

// ---------------------------------------------------------------------------
// Running-text vocabulary: the one list of words that make a heading, a lead-in
// or a box a place where recommendations are printed, and the words that mark
// a reply to one. Kept here as data so that detection rules stay general.

/** Headings (or box titles) under which numbered paragraphs are recommendations. */
const REC_SECTION =
  /\b(recommendations?|recommended actions?|what we recommend|we recommend|matters? of concern|coroner'?s concerns?|required actions?|actions? required|areas? for (?:improvement|action)|improvement actions?)\b/i;
/** A heading that names recommendations together with other content ("Conclusions and recommendations"). */
const MIXED_SECTION = /\b(conclusions?|findings?|observations?|summary of (?:conclusions|findings)|discussion)\b/i;
/** Headings that only point at recommendations made elsewhere: a progress report "on" them, a response "to" them. */
const POINTER_SECTION = /\b(response|responses|reply|progress|implementation|status|update)s?\b.*\brecommendations?\b|\brecommendations?\b.*\b(made|implemented)\b.*\b(previous|earlier|prior|other)\b/i;

export type SectionKind = 'pure' | 'mixed' | 'none';

/** How strongly a heading says "recommendations follow". */
export function recSectionKind(heading: string): SectionKind {
  const h = normaliseCharacters(heading).replace(/\s+/g, ' ').trim();
  if (!REC_SECTION.test(h) || h.split(' ').length > 16) return 'none';
  if (POINTER_SECTION.test(h) && !/^\W*(\d+(\.\d+)*\.?\s+)?(key\s+|our\s+|main\s+|list of\s+|summary of\s+)?recommendations?\b/i.test(h)) return 'none';
  return MIXED_SECTION.test(h) ? 'mixed' : 'pure';
}

/** A paragraph that introduces a list of recommendations ("The report recommends the following:"). */
export function isRecLeadIn(text: string): boolean {
  const t = normaliseCharacters(text).trim();
  return /:\s*$/.test(t) && /\b(recommend\w*|we (?:urge|call on)|the following actions?)\b/i.test(t) && t.split(/\s+/).length <= 60;
}

/**
 * A heading or paragraph that opens a reply to a recommendation: "Government
 * response", "Government response to recommendation 4", "Our response:",
 * "Council response". Returns the heading without its number, or null.
 */
export function responseHeading(text: string): string | null {
  const t = normaliseCharacters(text).replace(/\s+/g, ' ').trim();
  const m = /^((?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,3}?(?:response|reply)(?:\s+(?:to|on)\s+(?:recommendations?|rec\.?|r)\s*[\d.]+[a-z]?(?:\s*(?:and|&|,)\s*[\d.]+[a-z]?)*)?)\s*:?\s*$/i.exec(t);
  if (!m || t.split(' ').length > 10) return null;
  return m[1].replace(/\s+(?:to|on)\s+(?:recommendations?|rec\.?|r)\s*[\d.].*$/i, '').trim();
}

/**
 * A paragraph that opens with who is replying ("Department of Defence response: Agreed.",
 * "Response: Accept", "Management comments: …"): the label and the reply after it.
 */
export function labelledReply(text: string): { label: string; rest: string } | null {
  // Case-insensitive: the words before "response" may be any ("Department of Defence").
  const m = /^((?:[A-Z][\w'’&.-]*\s+){0,6}?(?:response|reply|comments?))\s*:\s*(\S[\s\S]*)$/i.exec(normaliseCharacters(text).trim());
  if (!m || /\b(?:to|on)\s+rec/i.test(m[1])) return null;
  return { label: m[1], rest: m[2] };
}

/** The verdict a reply opens with: the whole paragraph ("Accepted.") or its first words ("Accepted. We will…", "Concur. CBP will…"). */
export function leadingVerdict(text: string): string | null {
  const opening = /^([^.;:]{1,40})[.;:]\s/.exec(text);
  return verdictOf(text) ?? (opening ? verdictOf(opening[1]) : null);
}

/** An acceptance verdict that opens a reply ("Accepted.", "Accepted in principle", "Not accepted", "Noted"). */
export function verdictOf(text: string): string | null {
  const t = normaliseCharacters(text).trim();
  const m = /^((?:partially\s+|partly\s+|not\s+)?(?:accepted|agreed|supported|rejected|noted)(?:\s+in\s+(?:principle|part))?|accept(?:ed)?\s+in\s+(?:principle|part)|accept|reject|agree|disagree|do not accept|does not accept|(?:partially\s+|non-?|do not\s+|does not\s+)?concur(?:s|red)?)\s*[.:;]?$/i.exec(t);
  return m ? m[1] : null;
}
