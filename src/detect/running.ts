// Recommendations printed in running text: recognisers propose candidates,
// refiners decide. Recognisers: a headed recommendation ("Recommendation 4",
// "Recommendation 1: <title>", "R2: <title>") whose text follows, boxed or not;
// numbered paragraphs in a recommendations context (a heading at any ancestor
// level, a lead-in "…recommends the following:", a box titled as one); replies
// (a "Government response to recommendation N" heading, or in a response
// document the paragraphs after a quoted box). Refiners: numbering continuity,
// mixed "conclusions and recommendations" sections only when nothing purer
// exists, and printed copies merged into one item with every place in `prov`.
import type { ColumnRole, Message, ModelParagraph, Prov } from '../schema.js';
import { ColumnRole as ColumnRoleEnum } from '../schema.js';
import { info } from '../result.js';
import { parseLeadingLabel, parseWholeLabel, withParent, type ParsedLabel } from '../normalise/number.js';
import { isRecLeadIn, labelledReply, leadingVerdict, recSectionKind, responseHeading, roleOfHeader, type SectionKind } from './vocabulary.js';

/** One paragraph of the document in reading order, with where it sits. */
export interface Unit {
  order: number;
  para: ModelParagraph;
  /** Clean text of the whole paragraph (label included when the parser kept it in the text). */
  text: string;
  /** Scope: the body, or one table row whose cells are read like a small page. */
  scope: string;
}

export interface RunningCandidate {
  kind: 'headed' | 'listed';
  /** Full number: a sub-item's includes its parent's ("1a"). */
  number: string;
  /** Full number of the item a sub-item printed without it sits under. */
  parent?: string;
  /** A top-level item of a list lettered a, b, c or numbered i, ii, iii. */
  ownList?: 'letters' | 'romans';
  label: string;
  title?: string;
  /** Text paragraphs: the first may start with the label, which is cut off. */
  parts: Array<{ unit: Unit; orig: string }>;
  group: ReplyGroup;
  /** Context key: which heading, lead-in or box made it a recommendation. */
  ctx: string;
  ctxKind: SectionKind | 'box' | 'lead' | 'headed';
  box?: string;
  bodyBox?: string;
  section?: string;
  order: number;
  /** A headed candidate whose body is a box: the publisher's formal statement. */
  boxed: boolean;
  dropped?: string;
  /** Listed under a lead-in or heading that calls it a summary ("recommends, in summary, the following:"). */
  summary?: boolean;
  /** "Response: …", "Status: …" paragraphs under it, by role. */
  fields: Partial<Record<ColumnRole, Unit[]>>;
  fieldValues: Partial<Record<ColumnRole, Array<{ text: string; orig: string }>>>;
  /** A reply printed elsewhere that names it by number ("CBP Response to Recommendation 1: Concur. …"). */
  namedReply?: Array<{ text: string; orig: string; unit: Unit }>;
}

export interface ReplyGroup {
  cands: RunningCandidate[];
  /** Outline rank of the heading that opened the recommendation, when it was a heading. */
  headRank?: number;
  response: Unit[];
  header?: string;
  verdict?: string;
  /** The emphasis the quoted recommendations are set in, when that is what ended the quote. */
  quoteStyle?: 'bold' | 'italic';
}

// A full stop followed by a digit is part of the number ("R1.1: …"), never the separator.
// "Recommendation 4 (paragraph 23)": a reference back to where the report argues it is not part of the label.
const BACK_REF = String.raw`\s*\((?:paragraphs?|paras?\.?|page|pp?\.)\s*[^)]{1,40}\)`;
const BACK_REFERENCE = new RegExp(BACK_REF, 'i');
const HEADED = new RegExp(
  String.raw`^(?:key\s+|main\s+)?(?:recommendation|rec\.?)\s*(?:no\.?\s*)?(\d{1,3}(?:\.\d{1,3}){0,2}(?:\s*\(?[a-z]\)?)?)(?:${BACK_REF})?\s*(?:(?:[:\-–—]|\.(?!\d))\s*(.*))?$`,
  'i',
);
const HEADED_R = /^(R\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)\s*(?:[:\-–—]|\.(?!\d))\s*(.+)$/;
const COLUMN_ROLES = ColumnRoleEnum.options;
const SUMMARY = /\b(in summary|summary|summarised|summarized|in brief|at a glance)\b/i;
const TERMINAL = /[.;!?)"'’”:]$/;

interface Headed {
  parsed: ParsedLabel;
  title?: string;
  /** The text after the label is the recommendation itself, not a title. */
  inlineText?: string;
}

/**
 * A list lettered from "a" (or numbered in roman numerals from "i") with no number above it is a
 * list of its own (a, b, c; i, ii, iii), not sub-items. Returns which, or null.
 */
function ownListOf(label: ParsedLabel, major: RunningCandidate | undefined): 'letters' | 'romans' | null {
  if (!label.subOnly) return null;
  const n = label.number;
  if (!major) return n === 'a' ? 'letters' : n === 'i' ? 'romans' : null;
  if (major.parent || !major.ownList) return null;
  if (major.ownList === 'letters') return /^[a-z]$/.test(n) && major.number.charCodeAt(0) + 1 === n.charCodeAt(0) ? 'letters' : null;
  return romanValue(n) === romanValue(major.number) + 1 ? 'romans' : null;
}

/** Value of a lower-case roman numeral ("iv" → 4), 0 when it is not one. */
function romanValue(s: string): number {
  if (!/^[ivxlc]+$/.test(s)) return 0;
  const v: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };
  let total = 0;
  for (let k = 0; k < s.length; k++) total += v[s[k]] < (v[s[k + 1]] ?? 0) ? -v[s[k]] : v[s[k]];
  return total;
}

function words(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/** "Recommendation 4", "Recommendation 1: A simplified structure…", "R1: The TDIF proposal". */
function headedOf(u: Unit): Headed | null {
  const whole = u.para.numberLabel ? `${u.para.numberLabel} ${u.text}`.trim() : u.text;
  if (whole.length > 400) return null;
  let m = HEADED.exec(whole);
  let label: string;
  let rest: string;
  if (m) {
    rest = (m[2] ?? '').trim();
    label = whole.slice(0, whole.length - rest.length).replace(BACK_REFERENCE, '').replace(/[\s:.\-–—]+$/, '').trim();
  } else {
    const r = HEADED_R.exec(whole);
    if (!r) return null;
    label = r[1];
    rest = r[2].trim();
    m = null;
  }
  const bare = parseWholeLabel(m ? m[1] : label.replace(/^R/, ''));
  if (!bare) return null;
  const parsed: ParsedLabel = { ...bare, label };
  if (!rest) return { parsed };
  // A short rest is a title; a sentence is the recommendation itself.
  // A sentence that directs ("Schools should be involved.") is the text, whatever its length.
  const sentence = /[.!?]$/.test(rest) && /\b(should|must|shall|will|need to|needs to|recommend\w*)\b/i.test(rest);
  const titleLike = !sentence && words(rest) <= 20 && (u.para.headingLevel !== undefined || u.para.emphasis === 'bold' || !/[.]$/.test(rest) || words(rest) <= 12);
  if (titleLike) return { parsed, title: rest };
  // A sentence that refers to a recommendation ("Recommendation 1 is strictly…") is not a label.
  if (!/^[:.\-–—]/.test(whole.slice(label.length).trim()) && /^[a-z]/.test(rest)) return null;
  return { parsed, inlineText: rest };
}

interface Label {
  parsed: ParsedLabel;
  body: string;
  bodyOrig: string;
  prefixed: boolean;
}

function labelOf(u: Unit): Label | null {
  const p = u.para;
  if (p.numberLabel) {
    const parsed = parseWholeLabel(p.numberLabel) ?? parseLeadingLabel(`${p.numberLabel} X`);
    if (!parsed) return null;
    return { parsed: { ...parsed, label: p.numberLabel.trim() }, body: u.text, bodyOrig: p.orig, prefixed: /^\s*(rec|r\d)/i.test(p.numberLabel) };
  }
  const lead = parseLeadingLabel(u.text);
  if (lead?.rest) return { parsed: lead, body: lead.rest, bodyOrig: stripLeadingLabel(p.orig, lead.label), prefixed: /^(rec|r\s*\d)/i.test(lead.label) };
  // "The Secretary should ensure that… (Recommendation 1)": the number printed after the text.
  const trailing = TRAILING_LABEL.exec(u.text);
  const rawTrailing = TRAILING_LABEL.exec(p.orig);
  if (trailing && rawTrailing && trailing.index > 0) {
    const parsed = parseWholeLabel(trailing[2]);
    if (!parsed || parsed.subOnly) return null;
    return { parsed: { ...parsed, label: trailing[1] }, body: u.text.slice(0, trailing.index).trim(), bodyOrig: p.orig.slice(0, rawTrailing.index).trim(), prefixed: true };
  }
  return null;
}

const TRAILING_LABEL = /\s*\(((?:Recommendation|Rec\.?)\s+(\d{1,3}(?:\.\d{1,3})?[a-z]?))\)\s*$/i;

/** The raw text without its leading label (the label is matched on clean text; raw may differ in spaces). */
function stripLeadingLabel(orig: string, label: string): string {
  const flat = label.replace(/\s+/g, '');
  let i = 0;
  let k = 0;
  while (i < orig.length && k < flat.length) {
    if (/\s/.test(orig[i])) {
      i++;
      continue;
    }
    i++;
    k++;
  }
  return orig.slice(i).replace(/^[\s:.\-–—]+/, '');
}

interface HeadingEntry {
  level: number;
  text: string;
  kind: SectionKind;
  order: number;
}

/**
 * Proposes candidates over one scope's units. `responseDoc`: the document
 * answers recommendations, so paragraphs after a quoted box are its reply.
 */
export function proposeRunning(units: Unit[], responseDoc: boolean): RunningCandidate[] {
  const out: RunningCandidate[] = [];
  // Boxes titled as holding recommendations (a box headed "Inquiry recommendation").
  const recBoxes = new Set<string>();
  for (const u of units) {
    if (u.para.box && words(u.text) <= 12 && (recSectionKind(u.text) !== 'none' || headedOf(u))) recBoxes.add(u.para.box);
  }
  const stack: HeadingEntry[] = [];
  let cur: RunningCandidate | null = null;
  let group: ReplyGroup | null = null; // the group whose reply is being read
  let replying = false;
  /** `numbered`: the lead-in is itself a numbered paragraph ("18. In response, we will:"), so letters under it are its own points. */
  let lead: { order: number; started: boolean; text: string; numbered: boolean } | null = null;
  const majors = new Map<string, RunningCandidate>(); // last major candidate per context
  const letters = new Map<string, { number: string; sub: string }>(); // last lettered sub-item under it

  // A reply that names its recommendations by number, and the paragraphs that go on with it.
  let named: { numbers: string[]; parts: Array<{ text: string; orig: string; unit: Unit }> } | null = null;
  const endNamed = (): void => {
    if (!named?.parts.length) {
      named = null;
      return;
    }
    for (const n of named.numbers) {
      const targets = out.filter((c) => c.number === n && !c.parent);
      // Only where the number names one recommendation (numbering that restarts makes it ambiguous).
      if (targets.length && targets.every((c) => c.ctx === targets[0].ctx)) for (const c of targets) c.namedReply ??= named.parts;
    }
    named = null;
  };
  const recCtx = (): HeadingEntry | undefined => [...stack].reverse().find((h) => h.kind !== 'none');
  const section = (): string | undefined => stack[stack.length - 1]?.text;
  const close = (): void => {
    cur = null;
  };
  const stopReply = (): void => {
    replying = false;
    group = null;
  };
  let openField: ColumnRole | null = null;
  const open = (c: Omit<RunningCandidate, 'group' | 'boxed' | 'fields' | 'fieldValues'>, newGroup: boolean): RunningCandidate => {
    const g: ReplyGroup = !newGroup && group && !replying ? group : { cands: [], response: [] };
    const cand: RunningCandidate = { ...c, group: g, boxed: false, fields: {}, fieldValues: {} };
    openField = null;
    g.cands.push(cand);
    group = g;
    replying = false;
    out.push(cand);
    cur = cand;
    return cand;
  };

  for (const u of units) {
    if (u.para.contents) continue;
    // "Response: Accept" set short and bold reads as a heading in a PDF; it is a labelled field of the item above.
    const heading = labelledReply(u.text) ? undefined : u.para.headingLevel;
    const headed = headedOf(u);
    if (headed) {
      endNamed();
      close();
      stopReply();
      const ctx = recCtx();
      const c = open(
        {
          kind: 'headed',
          number: headed.parsed.number,
          label: headed.parsed.label,
          ...(headed.title ? { title: headed.title } : {}),
          parts: headed.inlineText ? [{ unit: u, orig: stripLeadingLabel(u.para.numberLabel ? `${u.para.numberLabel} ${u.para.orig}` : u.para.orig, headed.parsed.label) }] : [],
          ctx: ctx ? `h${ctx.order}` : 'headed',
          ctxKind: 'headed',
          ...(u.para.box ? { box: u.para.box, bodyBox: u.para.box } : {}),
          ...(section() ? { section: section() } : {}),
          order: u.order,
        },
        true,
      );
      if (heading !== undefined) {
        c.section = section();
        c.group.headRank = headingRank(heading, u.text);
      }
      majors.set(c.ctx, c);
      continue;
    }
    // "Management Response to Recommendation 1" as a heading, away from recommendation 1: its reply follows.
    const titled = namedReplyHeading(u.text);
    const answersCurrent = (n: string[]): boolean => (!!cur && n.includes((cur as RunningCandidate).number)) || (!!group && group.cands.some((c) => n.includes(c.number)));
    if (titled && !answersCurrent(titled)) {
      endNamed();
      close();
      stopReply();
      named = { numbers: titled, parts: [] };
      continue;
    }
    const opening = heading === undefined ? namedReplyOpening(u.text) : null;
    if (opening) {
      endNamed();
      close();
      stopReply();
      named = { numbers: opening.numbers, parts: [{ text: opening.rest, orig: u.para.orig.replace(/^[^:]*:\s*/, ''), unit: u }] };
      continue;
    }
    if (named) {
      // It goes on until a heading, a numbered paragraph, or another labelled paragraph ("OIG Analysis: …").
      if (heading === undefined && !labelOf(u) && !/^[A-Z][\w'’ ]{0,40}:\s/.test(u.text)) {
        named.parts.push({ text: u.text, orig: withLabel(u), unit: u });
        continue;
      }
      endNamed();
    }
    const reply = responseHeading(u.text);
    if (reply && (cur || group)) {
      const g: ReplyGroup = (cur as RunningCandidate | null)?.group ?? group!;
      close();
      group = g;
      replying = true;
      g.header ??= reply;
      continue;
    }
    if (COLOPHON.test(u.text)) continue;
    if (heading !== undefined) {
      const ctx = recCtx();
      // Inside a reply, sub-headings below the recommendation's own heading (and below the
      // recommendations heading) are part of the reply.
      const rank = headingRank(heading, u.text);
      if (replying && group && (!ctx || rank > ctx.level) && (group.headRank === undefined || rank > group.headRank) && recSectionKind(u.text) === 'none') {
        group.response.push(u);
        continue;
      }
      close();
      stopReply();
      lead = null;
      const level = headingRank(heading, u.text);
      while (stack.length && stack[stack.length - 1].level >= level) stack.pop();
      stack.push({ level, text: u.text, kind: recSectionKind(u.text), order: u.order });
      continue;
    }
    const inRecBox = u.para.box !== undefined && recBoxes.has(u.para.box);
    if (replying && group) {
      if (inRecBox && !group.cands.some((c) => c.box === u.para.box)) stopReply();
      // The next quote, set like the last one and numbered.
      else if (group.quoteStyle && u.para.emphasis === group.quoteStyle && labelOf(u)) stopReply();
      else {
        group.response.push(u);
        continue;
      }
    }
    const label = labelOf(u);
    const current = cur as RunningCandidate | null;
    // Inside a headed recommendation's own text, labels are its sub-points.
    const inHeadedBody = current?.kind === 'headed' && (current.bodyBox ? u.para.box === current.bodyBox : true) && !label?.prefixed;
    const ctx = recCtx();
    const ctxKey = inRecBox ? `box:${u.para.box}` : lead ? `lead${lead.order}` : ctx ? `h${ctx.order}` : undefined;
    // Text recognised from a scan reads "(1)" as "(I)" or "(l)": with no list open, it is the first item.
    if (label && ctxKey && label.parsed.subOnly && /^\(?[Il][.)]/.test(label.parsed.label) && !majors.get(ctxKey)) label.parsed = { ...label.parsed, number: '1', subOnly: false };
    // Letters under a numbered lead-in are its own points; a lone letter ("a The…") is a label only in its own list.
    const ownList = label && ctxKey && !(!inRecBox && lead?.numbered) ? ownListOf(label.parsed, majors.get(ctxKey)) : null;
    if (label && ctxKey && !inHeadedBody && (!label.parsed.bare || ownList)) {
      let number = label.parsed.number;
      let parentNumber: string | undefined;
      if (label.parsed.subOnly && !ownList) {
        const parent = majors.get(ctxKey);
        if (!parent) {
          if (current) current.parts.push({ unit: u, orig: u.para.numberLabel ? `${u.para.numberLabel} ${u.para.orig}` : u.para.orig });
          continue;
        }
        // 4 → (a) → (i): a roman numeral goes under the last lettered item, unless it is the letter after it ("(h)", "(i)").
        const sub = label.parsed.number;
        const letter = letters.get(ctxKey);
        const roman = /^[ivxl]+$/.test(sub) && (sub.length > 1 || !letter || letter.sub.charCodeAt(0) + 1 !== sub.charCodeAt(0));
        parentNumber = roman && letter ? letter.number : parent.number;
        number = withParent(parentNumber, sub);
        // Roman points are leaves: "(ii)" after "(i)" is its sibling, not its child.
        if (!roman) letters.set(ctxKey, { number, sub });
      }
      const sameBox = current !== null && current.box !== undefined && current.box === u.para.box;
      close();
      const c = open(
        {
          kind: 'listed',
          number,
          ...(parentNumber ? { parent: parentNumber } : {}),
          ...(ownList ? { ownList } : {}),
          label: label.parsed.label,
          parts: [{ unit: u, orig: label.bodyOrig }],
          ctx: ctxKey,
          ctxKind: inRecBox ? 'box' : lead ? 'lead' : ctx!.kind,
          ...(u.para.box ? { box: u.para.box } : {}),
          ...(section() ? { section: section() } : {}),
          order: u.order,
        },
        !(inRecBox && sameBox),
      );
      if (!label.parsed.subOnly || ownList) {
        majors.set(ctxKey, c);
        letters.delete(ctxKey);
      }
      if (SUMMARY.test(lead ? lead.text : ctx?.text ?? '')) c.summary = true;
      if (lead) lead.started = true;
      continue;
    }
    if (current) {
      // "Response: …", "Owner: …" fields, and the paragraphs that continue the last one.
      const field = /^([A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(.*)$/s.exec(u.text);
      const role = field ? roleOfHeader(field[1]) : null;
      if (field && role && (COLUMN_ROLES as readonly string[]).includes(role)) {
        const r = role as ColumnRole;
        (current.fields[r] ??= []).push(u);
        (current.fieldValues[r] ??= []).push({ text: field[2], orig: u.para.orig.replace(/^[^:]*:\s*/, '') });
        openField = r;
        continue;
      }
      if (openField) {
        current.fields[openField]!.push(u);
        current.fieldValues[openField]!.push({ text: u.text, orig: withLabel(u) });
        continue;
      }
      if (current.kind === 'headed') {
        if (current.bodyBox) {
          if (u.para.box === current.bodyBox) current.parts.push({ unit: u, orig: withLabel(u) });
          else if (responseDoc) {
            close();
            replying = true;
            group!.response.push(u);
          } else close();
        } else if (!current.parts.length && u.para.box) {
          current.bodyBox = u.para.box;
          current.boxed = true;
          current.parts.push({ unit: u, orig: withLabel(u) });
        } else current.parts.push({ unit: u, orig: withLabel(u) });
        if (current.bodyBox) current.boxed = true;
        continue;
      }
      // A listed item: its box, or a paragraph its last sentence runs into.
      const last = current.parts[current.parts.length - 1];
      if (current.box !== undefined) {
        if (u.para.box === current.box) {
          current.parts.push({ unit: u, orig: withLabel(u) });
          continue;
        }
        if (responseDoc) {
          close();
          replying = true;
          group!.response.push(u);
          continue;
        }
        close();
      } else if (responseDoc && quotedByEmphasis(current, u)) {
        // A response that sets each quoted recommendation in bold or italics answers it in plain text.
        const style = current.parts[0].unit.para.emphasis;
        close();
        replying = true;
        group!.quoteStyle = style;
        group!.response.push(u);
        continue;
      } else if (continues(last.unit, u)) {
        current.parts.push({ unit: u, orig: withLabel(u) });
        continue;
      } else {
        close();
        if (lead?.started) lead = null;
      }
    }
    if (isRecLeadIn(u.text)) lead = { order: u.order, started: false, text: u.text, numbered: labelOf(u) !== null };
    else if (lead?.started) lead = null;
  }
  endNamed();
  for (const g of new Set(out.map((c) => c.group))) {
    const first = g.response[0];
    const v = first ? leadingVerdict(first.text) : null;
    if (v) g.verdict = v;
  }
  return out;
}

/** Publication furniture at the end of a document: ISBN, print codes, copyright lines. */
const COLOPHON = /^(ISBN|ISSN|E-?Number|Print ISBN|Web ISBN|©|\(c\) Crown copyright|Crown copyright)\b/i;

/** A paragraph's raw text with the label the parser set apart (a lettered point inside a recommendation keeps "A."). */
export function withLabel(u: Unit): string {
  return u.para.numberLabel ? `${u.para.numberLabel} ${u.para.orig}` : u.para.orig;
}

/**
 * A heading's rank in the outline: its level, raised by half a level when it is
 * set in capitals or numbered as a chapter ("CHAPTER 8: …", "2. RECOMMENDATIONS"),
 * since publishers often set chapter and section titles at one size.
 */
function headingRank(level: number, text: string): number {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const caps = letters.length >= 4 && letters === letters.toUpperCase();
  const chapter = /^(chapter|part|section|annex|appendix)\s+[\dIVXLA-Z]+\b/i.test(text);
  return caps || chapter ? level - 0.5 : level;
}

/**
 * "CBP Response to Recommendation 1: Concur. …", "Management response to recommendations 2 and 3: …":
 * a reply that names its recommendations, with the text after the colon.
 */
export function namedReplyOpening(text: string): { numbers: string[]; rest: string } | null {
  const m = NAMED_REPLY_OPENING.exec(text.trim());
  return m ? { numbers: namedNumbers(m[1]), rest: m[2] } : null;
}

/** "Management Response to Recommendation 1" on its own (a heading): the numbers it names. */
function namedReplyHeading(text: string): string[] | null {
  const m = NAMED_REPLY_HEADING.exec(text.trim());
  return m ? namedNumbers(m[1]) : null;
}

const NAMED_REPLY = String.raw`(?:[A-Z][\w'’&.-]*\s+){0,4}?(?:response|reply|comments?)\s+(?:to|on)\s+(?:recommendations?|rec\.?)\s+(\d{1,3}[a-z]?(?:\s*(?:,|and|&)\s*\d{1,3}[a-z]?)*)`;
const NAMED_REPLY_OPENING = new RegExp(String.raw`^${NAMED_REPLY}\s*:\s*(\S.*)$`, 'is');
const NAMED_REPLY_HEADING = new RegExp(String.raw`^${NAMED_REPLY}\s*:?$`, 'i');
const namedNumbers = (list: string): string[] => list.split(/\s*(?:,|and|&)\s*/).filter(Boolean).map((n) => n.toLowerCase());

/** The item's every paragraph is set in bold or italics, and this one is not: the quote has ended. */
function quotedByEmphasis(c: RunningCandidate, u: Unit): boolean {
  const style = c.parts[0]?.unit.para.emphasis;
  return style !== undefined && c.parts.every((p) => p.unit.para.emphasis === style) && u.para.emphasis !== style;
}

/** A paragraph that goes on with the one before: the sentence runs on, or it is a bullet under a lead-in. */
function continues(prev: Unit, u: Unit): boolean {
  if (u.para.box !== prev.para.box) return false;
  const t = prev.text;
  if (!TERMINAL.test(t)) return true;
  if (/:$/.test(t)) return true;
  if (/^[•●▪◦‣∙·■□–-]\s/.test(u.text) || /^[a-z]/.test(u.text)) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Refiners

function majorOf(n: string): { prefix: string; value: number } | null {
  const m = /^(?:(\d+(?:\.\d+)*)\.)?(\d+)(?:[a-z]|\.[ivx]+)?$/.exec(n);
  if (!m) return null;
  return { prefix: m[1] ?? '', value: Number(m[2]) };
}

/**
 * Numbered paragraphs must read as one sequence per context: 1, 2, 3 or 8.1,
 * 8.2. A number that jumps far ahead or backwards (a stray figure, a footnote)
 * is not an item. Sub-items (3a, 4.ii) follow their parent and are not checked.
 */
export function refineSequences(cands: RunningCandidate[], messages: Message[]): void {
  const byCtx = new Map<string, RunningCandidate[]>();
  for (const c of cands) if (c.kind === 'listed') (byCtx.get(c.ctx) ?? byCtx.set(c.ctx, []).get(c.ctx)!).push(c);
  // A list of recommendations starts at 1 (or x.1), or goes on from the list before it;
  // numbered chapter paragraphs that happen to sit under such a heading (6.206, 6.207…) do not.
  const lastValue = new Map<string, number>(); // per scope: the body, or one table row
  for (const list of byCtx.values()) {
    const scope = list[0].parts[0]?.unit.scope ?? '';
    let prev: { prefix: string; value: number } | null = null;
    const needsStart = list[0].ctxKind !== 'box';
    for (const c of list) {
      // A list lettered a, b, c (or i, ii, iii) with no number above it reads as 1, 2, 3.
      const lettered = !c.parent && c.ownList !== undefined;
      if (!lettered && /[a-z]$|\.[ivx]+$/.test(c.number) && !/^\d+$/.test(c.number)) {
        if (prev === null && needsStart) c.dropped = 'no-start';
        continue;
      }
      const m = lettered ? { prefix: 'letter', value: c.ownList === 'letters' ? c.number.charCodeAt(0) - 96 : romanValue(c.number) } : majorOf(c.number);
      if (!m) continue;
      if (prev === null) {
        const last = m.prefix === 'letter' ? 0 : (lastValue.get(scope) ?? 0);
        if (!needsStart || m.value === 1 || m.value === last + 1) {
          prev = m;
          continue;
        }
        // The number the list before ended on, printed again over a different
        // item (a publisher's slip: the last item of a response numbered like the
        // one before it). Kept with its printed number; a true reprint of the
        // same item is merged with it later as a copy.
        if (last > 0 && m.value === last) {
          prev = m;
          messages.push(info('detect/number-repeated', `numbered paragraph ${c.label} repeats the number the list before it ended on; kept as printed`, c.parts[0]?.unit.para.prov[0]));
          continue;
        }
        c.dropped = 'no-start';
        messages.push(info('detect/out-of-sequence', `numbered paragraph ${c.label} does not start a list (lists of recommendations start at 1 or go on from the list before); not a recommendation`, c.parts[0]?.unit.para.prov[0]));
        continue;
      }
      if (m.value === 1 || (m.prefix === prev.prefix && m.value >= prev.value && m.value <= prev.value + 3)) {
        prev = m;
        continue;
      }
      c.dropped = 'out-of-sequence';
      messages.push(info('detect/out-of-sequence', `numbered paragraph ${c.label} does not continue the list (${prev.prefix ? `${prev.prefix}.` : ''}${prev.value} before it); not a recommendation`, c.parts[0]?.unit.para.prov[0]));
    }
    if (prev && prev.prefix !== 'letter') lastValue.set(scope, prev.value);
  }
  // "Conclusions and recommendations" sections count only when no purer source exists.
  const live = cands.filter((c) => !c.dropped);
  if (live.some((c) => c.ctxKind !== 'mixed') && live.some((c) => c.ctxKind === 'mixed')) {
    for (const c of live) {
      if (c.ctxKind !== 'mixed') continue;
      c.dropped = 'mixed-section';
    }
    messages.push(info('detect/mixed-section-skipped', 'numbered paragraphs under a "conclusions and recommendations" heading were left out: the document lists its recommendations elsewhere'));
  }
  // A list of a single item under a lead-in is an ordinary numbered sentence.
}
