// Printed copies of one recommendation: a summary list, the boxed statement in
// a chapter, an appendix list, a tracking table. Each is emitted once, with
// every printed place in `prov`. Which copy is the record:
//   1. a table row with role columns (the publisher's tracker),
//   2. a headed recommendation whose text is a box (the formal statement),
//   3. a numbered item in a recommendations list,
//   4. a headed recommendation followed by discussion,
//   5. an entry in a list that calls itself a summary.
// A list printed again word for word is one list; a list restated with changes
// (another section's longer wording) is kept, since a reader sees two texts.
import type { Message, Prov, Recommendation } from '../schema.js';
import { info } from '../result.js';

export type Draft = Omit<Recommendation, 'id'>;

export interface Pending {
  draft: Draft;
  order: number;
  origin: 'table' | 'headed' | 'listed';
  boxed: boolean;
  /** Context (which heading, list, box or table made it a recommendation). */
  ctx: string;
  hasColumns: boolean;
  /** A list entry in a summary of the recommendations. */
  summary?: boolean;
  /** A table row numbered by its position (the table prints no numbers). */
  inferred?: boolean;
  merged?: boolean;
}

function rank(p: Pending): number {
  if (p.origin === 'table' && p.hasColumns) return 5;
  if (p.origin === 'headed' && p.boxed) return 4;
  if (p.origin === 'listed' && !p.summary) return 3;
  if (p.origin === 'table') return 3;
  if (p.origin === 'headed') return 2;
  return 1;
}

const key = (s: string | undefined): string =>
  (s ?? '')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Word-multiset Dice similarity of two texts (1 = same words). */
export function wordSimilarity(a: string, b: string): number {
  const wa = key(a).split(' ').filter(Boolean);
  const wb = key(b).split(' ').filter(Boolean);
  if (!wa.length || !wb.length) return wa.length === wb.length ? 1 : 0;
  const count = new Map<string, number>();
  for (const w of wa) count.set(w, (count.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of wb) {
    const n = count.get(w) ?? 0;
    if (n > 0) {
      shared++;
      count.set(w, n - 1);
    }
  }
  return (2 * shared) / (wa.length + wb.length);
}

/** Share of the shorter text's words found in the longer (a title inside a full text). */
function containment(a: string, b: string): number {
  const wa = key(a).split(' ').filter(Boolean);
  const wb = key(b).split(' ').filter(Boolean);
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  if (short.length < 3) return 0;
  const set = new Set(long);
  return short.filter((w) => set.has(w)).length / short.length;
}

/** One text opens the other: a title, then the body printed after it in a summary cell. */
function opensWith(a: string, b: string): boolean {
  const [ka, kb] = [key(a), key(b)];
  const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  return short.includes(' ') && long.startsWith(short + ' ');
}

/** Two printed copies of one recommendation: the same words, or one is the other's title. */
function sameItem(a: Draft, b: Draft): boolean {
  if (wordSimilarity(a.text, b.text) >= 0.9 || containment(a.text, b.text) >= 0.85 || opensWith(a.text, b.text)) return true;
  const ta = a.title ?? '';
  const tb = b.title ?? '';
  return (!!ta && (wordSimilarity(ta, b.text) >= 0.6 || (!!tb && wordSimilarity(ta, tb) >= 0.6))) || (!!tb && wordSimilarity(tb, a.text) >= 0.6);
}

function absorb(winner: Pending, loser: Pending, why: string, messages: Message[]): void {
  const w = winner.draft;
  const l = loser.draft;
  const seen = new Set(w.prov.map((p) => JSON.stringify(p)));
  for (const p of l.prov) if (!seen.has(JSON.stringify(p))) w.prov.push(p as Prov);
  if (!w.title && l.title && key(l.title) !== key(w.text)) w.title = l.title;
  for (const [role, v] of Object.entries(l.columns) as Array<[keyof Draft['columns'], string]>) {
    if (w.columns[role] === undefined || (w.columns[role] === '' && v)) {
      w.columns[role] = v;
      w.columnsOrig[role] = l.columnsOrig[role] ?? v;
    }
  }
  if (!w.status && l.status) w.status = l.status;
  loser.merged = true;
  messages.push(info('detect/copy-merged', `recommendation ${w.label || w.number} is printed more than once (${why}); reported once with every place in prov`, l.prov[0]));
}

export function mergeCopies(pending: Pending[], messages: Message[]): Pending[] {
  const live = (): Pending[] => pending.filter((p) => !p.merged);
  const byNumber = (): Map<string, Pending[]> => {
    const m = new Map<string, Pending[]>();
    for (const p of live()) (m.get(p.draft.number) ?? m.set(p.draft.number, []).get(p.draft.number)!).push(p);
    return m;
  };

  // A copy whose text is another copy's title (a summary list of titles, a table of titles).
  for (const group of byNumber().values()) {
    for (const p of group) {
      if (p.merged) continue;
      const q = group.find((x) => x !== p && !x.merged && x.draft.title && key(x.draft.title) === key(p.draft.text));
      if (!q) continue;
      if (rank(p) > rank(q)) absorb(p, q, 'as a title elsewhere', messages);
      else absorb(q, p, 'as a title elsewhere', messages);
    }
  }

  // Whole lists printed again: same numbers, the same words.
  const runs = new Map<string, Pending[]>();
  for (const p of live()) if (p.origin !== 'table') (runs.get(p.ctx) ?? runs.set(p.ctx, []).get(p.ctx)!).push(p);
  const runList = [...runs.values()].filter((r) => r.length >= 2);
  for (let i = 0; i < runList.length; i++) {
    for (let j = i + 1; j < runList.length; j++) {
      const a = runList[i].filter((p) => !p.merged);
      const b = runList[j].filter((p) => !p.merged);
      if (a.length < 2 || b.length < 2) continue;
      const pairs: Array<[Pending, Pending]> = [];
      for (const y of b) {
        const x = a.find((p) => p.draft.number === y.draft.number);
        if (x && wordSimilarity(x.draft.text, y.draft.text) >= 0.95) pairs.push([x, y]);
      }
      if (pairs.length >= 0.9 * Math.max(a.length, b.length)) {
        for (const [x, y] of pairs) {
          if (rank(y) > rank(x)) absorb(y, x, 'the same list again', messages);
          else absorb(x, y, 'the same list again', messages);
        }
      }
    }
  }

  for (const group of byNumber().values()) {
    if (group.length < 2) continue;
    // Headed recommendations with the same words (a chapter's box and an appendix copy).
    for (const p of group) {
      if (p.merged || p.origin !== 'headed') continue;
      const q = group.find((x) => x !== p && !x.merged && x.origin === 'headed' && x.order < p.order && wordSimilarity(x.draft.text, p.draft.text) >= 0.95);
      if (q) {
        if (rank(p) > rank(q)) absorb(p, q, 'word for word', messages);
        else absorb(q, p, 'word for word', messages);
      }
    }
    // One list entry and one headed statement of the same number are one recommendation: a summary list
    // and the full statement, or a list and a headed discussion ("Key Recommendation 2: <title>").
    const listed = group.filter((x) => !x.merged && x.origin === 'listed');
    const headed = group.filter((x) => !x.merged && x.origin === 'headed');
    if (listed.length === 1 && headed.length === 1) {
      const [l, h] = [listed[0], headed[0]];
      if (rank(h) > rank(l)) absorb(h, l, 'a list entry and a headed statement', messages);
      else absorb(l, h, 'headed again for discussion', messages);
    }
    // A tracking table that also exists as boxed/listed text: the table row is the record.
    // Among tables, the one that lists the most recommendations is the tracker; the others summarise it.
    const tabled = group.filter((x) => !x.merged && x.origin === 'table' && x.hasColumns);
    if (tabled.length) {
      const size = (ctx: string): number => pending.filter((x) => x.ctx === ctx).length;
      const tracker = [...new Set(tabled.map((x) => x.ctx))].sort((a, b) => size(b) - size(a))[0];
      const records = tabled.filter((x) => x.ctx === tracker);
      for (const p of group) {
        if (p.merged || p.ctx === tracker) continue;
        // A tracker can list one number twice (one row per component): the copy joins the row it reads most like.
        const matches = records.filter((x) => sameItem(x.draft, p.draft));
        const likeness = (x: Pending): number => wordSimilarity(`${x.draft.text} ${Object.values(x.draft.columns).join(' ')}`, p.draft.text);
        const t = matches.sort((x, y) => likeness(y) - likeness(x) || x.order - y.order)[0];
        if (t) absorb(t, p, p.origin === 'table' ? 'in two tables' : 'in a table and in the text', messages);
      }
    }
  }
  return live();
}
