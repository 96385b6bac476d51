// Report series: which documents of a batch are generations of each other (a
// report, its response, its progress updates), decided from evidence, and
// which are copies of one report in several formats.
//
// 1. Copies: the same title and date, or the same numbered recommendations with
//    the same wording and statuses (and no conflicting dates), are one
//    generation; the first given is used and a `series/copies` message says so.
// 2. Evidence between two documents (older → newer by date, else input order):
//    - confident links: model links scoring >= 0.3 and >= 3 sd above the
//      pair's background (the scores of pairs it did not link);
//    - strong links: >= 0.4 and >= 5 sd above it;
//    - title words: distinctive words both titles share (stems; stop words,
//      dates, numbers and words that name a kind of document such as
//      "response", "progress", "update", "report" are left out).
// 3. Two documents are generations of one series when
//    - `links`: >= 3 strong links, covering at least half of the smaller one; or
//    - `title-and-links`: their titles share >= 2 distinctive words (at least
//      half of the shorter title's) and >= 3 confident links (1 when the titles
//      share 4 or more words).
//    Series are the connected groups; a person's `join` adds an edge, `leave`
//    keeps a document out of every series.
// Full matching is run only for likely pairs: those sharing a title word, and
// each document's three nearest by the words of its recommendations.
import type { DocumentJson, MatchSettings, RunMessage, SeriesSet } from '../schema.js';
import type { ResolvedSeries } from '../overrides.js';
import { matchGenerationsWithStats } from './index.js';
import { isStopword, stem, diceOfSets, bigramSet } from './similarity.js';
import { refsOf } from './refs.js';

export const SERIES_RULES = {
  confidentScore: 0.3,
  confidentZ: 3,
  strongScore: 0.4,
  strongZ: 5,
  strongLinks: 3,
  strongCoverage: 0.5,
  titleWords: 2,
  titleCoverage: 0.5,
  titleLinks: 3,
  manyTitleWords: 4,
  manyTitleLinks: 1,
  nearest: 3,
} as const;

/** Words that name a kind of document or a generation, not its subject (vocabulary, as data). */
const GENRE_WORDS = (
  'report reports response responses update updates progress recommendation recommendations action actions plan plans ' +
  'follow up first second third fourth final interim annual quarterly monthly summary tracker statement revisit ' +
  'inspection review independent year years letter board version draft part appendix annex'
).split(' ');
const GENRE = new Set(GENRE_WORDS.map(stem));
const MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$/;

/** Distinctive title words (stems). */
export function titleTerms(title: string | undefined): string[] {
  const out = new Set<string>();
  for (const raw of (title ?? '').toLowerCase().split(/[^a-z'\u2019]+/)) {
    const w = raw.replace(/['\u2019]s?$/, '').replace(/^['\u2019]/, '');
    if (w.length < 2 || isStopword(w) || MONTH.test(w)) continue;
    const s = stem(w);
    if (!GENRE.has(s)) out.add(s);
  }
  return [...out];
}

export interface SeriesOptions {
  settings?: MatchSettings;
  decisions?: ResolvedSeries[];
}

export interface SeriesResult {
  seriesSet: SeriesSet;
  /** Each series' documents in generation order (the copies used). */
  generations: DocumentJson[][];
  /** Source id of every copy → source id of the copy used for its generation. */
  copyOf: Map<string, string>;
}

type Evidence = SeriesSet['series'][number]['evidence'][number];

const normTitle = (t?: string) => (t ?? '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function copyReason(a: DocumentJson, b: DocumentJson): string | undefined {
  const { date: da, title: ta } = a.document;
  const { date: db, title: tb } = b.document;
  if (da && db && ta && tb && da === db && normTitle(ta) === normTitle(tb)) return 'same title and date';
  if (da && db && da !== db) return undefined;
  const ra = refsOf(a.recommendations);
  const rb = refsOf(b.recommendations);
  if (ra.length === 0 || ra.join('\u0000') !== rb.join('\u0000')) return undefined;
  const same = a.recommendations.filter((r, i) => {
    const q = b.recommendations[i];
    return diceOfSets(bigramSet(r.text), bigramSet(q.text)) >= 0.9 && (r.status?.value ?? '') === (q.status?.value ?? '') && (r.columns.update ?? '') === (q.columns.update ?? '');
  }).length;
  return same >= 0.9 * ra.length ? 'same recommendations, wording and statuses' : undefined;
}

function docWords(doc: DocumentJson): Map<string, number> {
  const tf = new Map<string, number>();
  for (const r of doc.recommendations)
    for (const w of r.text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
      if (isStopword(w)) continue;
      const s = stem(w);
      tf.set(s, (tf.get(s) ?? 0) + 1);
    }
  return tf;
}

function olderFirst(a: { doc: DocumentJson; order: number }, b: { doc: DocumentJson; order: number }): number {
  const da = a.doc.document.date;
  const db = b.doc.document.date;
  if (da && db && da !== db) return da < db ? -1 : 1;
  return a.order - b.order;
}

export function groupSeries(docs: DocumentJson[], options: SeriesOptions = {}): SeriesResult {
  const messages: RunMessage[] = [];
  const withRecs = docs.filter((d) => d.recommendations.length > 0);

  // 1. Copies.
  const reps: DocumentJson[] = [];
  const copies = new Map<string, DocumentJson[]>();
  const copyOf = new Map<string, string>();
  for (const d of withRecs) {
    if (copyOf.has(d.source.id)) continue; // the same file given twice
    let placed = false;
    for (const r of reps) {
      const why = copyReason(r, d);
      if (!why) continue;
      copies.get(r.source.id)!.push(d);
      copyOf.set(d.source.id, r.source.id);
      messages.push({
        severity: 'info',
        code: 'series/copies',
        reason: `${d.source.path} is a copy of ${r.source.path} (${why}): one generation, read from ${r.source.path}`,
        document: d.source.id,
      });
      placed = true;
      break;
    }
    if (!placed) {
      reps.push(d);
      copies.set(d.source.id, []);
      copyOf.set(d.source.id, d.source.id);
    }
  }
  const order = new Map(reps.map((d, i) => [d.source.id, i]));
  const pathOf = new Map(reps.map((d) => [d.source.id, d.source.path]));
  const rep = (id: string) => copyOf.get(id) ?? id;

  // 2. Likely pairs: a shared title word, or among each document's nearest by recommendation words.
  const titles = reps.map((d) => new Set(titleTerms(d.document.title)));
  const words = reps.map(docWords);
  const df = new Map<string, number>();
  for (const w of words) for (const k of w.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const vec = words.map((w) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [k, tf] of w) {
      const x = tf * Math.log((reps.length + 1) / (df.get(k) ?? 1));
      v.set(k, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [k, x] of v) v.set(k, x / norm);
    return v;
  });
  const cos = (i: number, j: number) => {
    let s = 0;
    const [a, b] = vec[i].size < vec[j].size ? [vec[i], vec[j]] : [vec[j], vec[i]];
    for (const [k, x] of a) s += x * (b.get(k) ?? 0);
    return s;
  };
  const candidates = new Set<string>();
  const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`);
  for (let i = 0; i < reps.length; i++) {
    const near = reps.map((_, j) => ({ j, c: j === i ? -1 : cos(i, j) })).sort((a, b) => b.c - a.c || a.j - b.j);
    for (const { j, c } of near.slice(0, SERIES_RULES.nearest)) if (c > 0) candidates.add(key(i, j));
    for (let j = 0; j < reps.length; j++) if (j !== i && [...titles[i]].some((t) => titles[j].has(t))) candidates.add(key(i, j));
  }

  // 3. Evidence per likely pair, and the rule.
  const edges: Evidence[] = [];
  const best = new Map<string, Evidence>(); // per document: its strongest evidence (for the "why not" of standalone documents)
  const R = SERIES_RULES;
  for (const k of [...candidates].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const [i, j] = k.split(',').map(Number);
    const [o, n] = [i, j].map((x) => ({ doc: reps[x], order: x })).sort(olderFirst);
    const { linkSet, stats } = matchGenerationsWithStats(o.doc, n.doc, { weights: options.settings?.weights, thresholds: options.settings?.thresholds });
    const z = (v: number) => (v - stats.background.mean) / stats.background.sd;
    const confident = linkSet.links.filter((l) => l.score >= R.confidentScore && z(l.score) >= R.confidentZ).length;
    const strong = linkSet.links.filter((l) => l.score >= R.strongScore && z(l.score) >= R.strongZ).length;
    const shared = [...titles[o.order]].filter((t) => titles[n.order].has(t)).sort();
    const smaller = Math.min(o.doc.recommendations.length, n.doc.recommendations.length);
    const shorter = Math.min(titles[o.order].size, titles[n.order].size);
    let rule: Evidence['rule'] | undefined;
    let reason: string;
    const counts = `${confident} confident and ${strong} strong links of ${smaller} possible; title words shared: ${shared.length ? shared.join(', ') : 'none'}`;
    if (strong >= R.strongLinks && strong >= R.strongCoverage * smaller) {
      rule = 'links';
      reason = `links: ${counts}`;
    } else if (
      shared.length >= R.titleWords &&
      shared.length >= R.titleCoverage * shorter &&
      confident >= (shared.length >= R.manyTitleWords ? R.manyTitleLinks : R.titleLinks)
    ) {
      rule = 'title-and-links';
      reason = `title and links: ${counts}`;
    } else reason = `not enough evidence: ${counts}`;
    const e: Evidence = { from: o.doc.source.id, to: n.doc.source.id, rule: rule ?? 'links', confidentLinks: confident, strongLinks: strong, titleTerms: shared, reason };
    if (rule) edges.push(e);
    for (const id of [e.from, e.to]) {
      const b = best.get(id);
      if (!b || e.confidentLinks + e.titleTerms.length > b.confidentLinks + b.titleTerms.length) best.set(id, e);
    }
  }

  // 4. A person's decisions, then connected groups.
  const left = new Map<string, ResolvedSeries>();
  for (const d of options.decisions ?? []) {
    if (d.action === 'leave') left.set(rep(d.document), d);
  }
  const parent = new Map(reps.map((d) => [d.source.id, d.source.id]));
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  // The root is the group's earliest-given document, so grouping does not depend on edge order.
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)].sort((x, y) => order.get(x)! - order.get(y)!);
    if (ra !== rb) parent.set(rb, ra);
  };
  const usedEdges: Evidence[] = [];
  for (const e of edges) {
    if (left.has(e.from) || left.has(e.to)) continue;
    union(e.from, e.to);
    usedEdges.push(e);
  }
  for (const d of options.decisions ?? []) {
    if (d.action !== 'join' || !d.with) continue;
    const [a, b] = [rep(d.document), rep(d.with)];
    if (a === b) continue;
    // A person's join wins over a leave for the same documents.
    left.delete(a);
    left.delete(b);
    union(a, b);
    const who = [d.decidedBy, d.date].filter(Boolean).join(', ');
    usedEdges.push({
      from: b,
      to: a,
      rule: 'person',
      confidentLinks: 0,
      strongLinks: 0,
      titleTerms: [],
      reason: `joined by a person${who ? ` (${who})` : ''}${d.note ? `: ${d.note}` : ''}${d.line ? ` (overrides line ${d.line})` : ''}`,
    });
  }
  const groups = new Map<string, DocumentJson[]>();
  for (const d of reps) {
    const root = find(d.source.id);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(d);
  }

  const describe = (d: DocumentJson) => ({
    document: d.source.id,
    path: d.source.path,
    ...(d.document.title !== undefined ? { title: d.document.title } : {}),
    ...(d.document.date !== undefined ? { date: d.document.date } : {}),
    ...(d.document.dateSource !== undefined ? { dateSource: d.document.dateSource } : {}),
    recommendations: d.recommendations.length,
    copies: (copies.get(d.source.id) ?? []).map((c) => ({ document: c.source.id, path: c.source.path, format: c.source.format })),
  });

  const seriesSet: SeriesSet = { series: [], standalone: [], messages };
  const generations: DocumentJson[][] = [];
  for (const group of groups.values()) {
    const ordered = group.map((doc) => ({ doc, order: order.get(doc.source.id)! })).sort(olderFirst).map((x) => x.doc);
    if (ordered.length < 2) {
      const d = ordered[0];
      const kept = left.get(d.source.id);
      const b = best.get(d.source.id);
      const reason = kept
        ? `kept out of every series by a person${kept.decidedBy ? ` (${kept.decidedBy})` : ''}${kept.note ? `: ${kept.note}` : ''}`
        : b
          ? `closest: ${pathOf.get(b.from === d.source.id ? b.to : b.from)}, ${b.reason}`
          : 'no other document shares title words or recommendation wording';
      seriesSet.standalone.push({ ...describe(d), reason });
      continue;
    }
    const ids = new Set(ordered.map((d) => d.source.id));
    seriesSet.series.push({
      id: `s-${ordered[0].source.id.slice(0, 8)}`,
      ...(ordered[ordered.length - 1].document.title !== undefined ? { title: ordered[ordered.length - 1].document.title } : {}),
      documents: ordered.map((d, generation) => ({ ...describe(d), generation })),
      evidence: usedEdges.filter((e) => ids.has(e.from) && ids.has(e.to)),
    });
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1].document.date, ordered[i].document.date];
      if (!a || !b) {
        messages.push({
          severity: 'warning',
          code: 'series/order-undated',
          reason: `${ordered[i].source.path}: ordered after ${ordered[i - 1].source.path} by the order given, as one of them states no date`,
          document: ordered[i].source.id,
        });
      }
    }
    generations.push(ordered);
  }
  return { seriesSet, generations, copyOf };
}
