// What changed between two generations: recommendations new, dropped, carried
// forward, and carried with a changed status; as data and as Markdown.
import type { DocumentJson, LinkSet } from '../schema.js';
import { refsOf } from './refs.js';

export interface GenerationDiff {
  older: { document: string; path: string; title?: string; date?: string; recommendations: number };
  newer: { document: string; path: string; title?: string; date?: string; recommendations: number };
  counts: { new: number; dropped: number; carried: number; statusChanged: number; lowConfidence: number };
  /** Newer recommendations with no predecessor. */
  new: string[];
  /** Older recommendations with no successor. */
  dropped: string[];
  /** Older → newer links. */
  carried: { from: string; to: string; score: number; relation: string; decidedBy: string }[];
  statusChanged: { from: string; to: string; before: string; after: string }[];
}

/** Links under this score are counted as low confidence (the matcher's own note uses the same cut by default). */
export const LOW_CONFIDENCE = 0.2;

export function diffGenerations(older: DocumentJson, newer: DocumentJson, links: LinkSet): GenerationDiff {
  const olderRefs = refsOf(older.recommendations);
  const newerRefs = refsOf(newer.recommendations);
  const recOf = (doc: DocumentJson, refs: string[], ref: string) => doc.recommendations[refs.indexOf(ref)];
  const linkedFrom = new Set(links.links.map((l) => l.from.number));
  const linkedTo = new Set(links.links.map((l) => l.to.number));
  const status = (doc: DocumentJson, refs: string[], ref: string) => {
    const r = recOf(doc, refs, ref);
    return r?.status?.value ?? '';
  };
  const statusChanged = links.links
    .map((l) => ({ from: l.from.number, to: l.to.number, before: status(older, olderRefs, l.from.number), after: status(newer, newerRefs, l.to.number) }))
    .filter((s) => s.before !== s.after);
  const side = (d: DocumentJson) => ({
    document: d.source.id,
    path: d.source.path,
    ...(d.document.title !== undefined ? { title: d.document.title } : {}),
    ...(d.document.date !== undefined ? { date: d.document.date } : {}),
    recommendations: d.recommendations.length,
  });
  const result: GenerationDiff = {
    older: side(older),
    newer: side(newer),
    counts: { new: 0, dropped: 0, carried: 0, statusChanged: statusChanged.length, lowConfidence: links.links.filter((l) => l.score < LOW_CONFIDENCE).length },
    new: newerRefs.filter((r) => !linkedTo.has(r)),
    dropped: olderRefs.filter((r) => !linkedFrom.has(r)),
    carried: links.links.map((l) => ({ from: l.from.number, to: l.to.number, score: l.score, relation: l.relation, decidedBy: l.evidence.decidedBy })),
    statusChanged,
  };
  result.counts.new = result.new.length;
  result.counts.dropped = result.dropped.length;
  result.counts.carried = olderRefs.filter((r) => linkedFrom.has(r)).length;
  return result;
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function diffToMarkdown(d: GenerationDiff, older: DocumentJson, newer: DocumentJson): string {
  const name = (s: GenerationDiff['older']) => `${s.title ?? s.path}${s.date ? ` (${s.date})` : ''}`;
  const text = (doc: DocumentJson, ref: string) => {
    const i = refsOf(doc.recommendations).indexOf(ref);
    const t = doc.recommendations[i]?.text ?? '';
    return md(t.length > 100 ? `${t.slice(0, 99)}…` : t);
  };
  const out: string[] = [];
  out.push(`# ${md(name(d.older))} → ${md(name(d.newer))}`, '');
  out.push(`| new | dropped | carried | status changed | links under ${LOW_CONFIDENCE} |`, '|---|---|---|---|---|');
  out.push(`| ${d.counts.new} | ${d.counts.dropped} | ${d.counts.carried} | ${d.counts.statusChanged} | ${d.counts.lowConfidence} |`, '');
  out.push(`## Carried (${d.carried.length} links)`, '', '| older | newer | score | relation | decided by |', '|---|---|---|---|---|');
  for (const c of d.carried) out.push(`| ${md(c.from)} | ${md(c.to)} | ${c.score.toFixed(2)} | ${c.relation} | ${c.decidedBy} |`);
  out.push('', `## Status changed (${d.statusChanged.length})`, '', '| older | newer | before | after |', '|---|---|---|---|');
  for (const s of d.statusChanged) out.push(`| ${md(s.from)} | ${md(s.to)} | ${s.before || '-'} | ${s.after || '-'} |`);
  out.push('', `## Dropped (${d.dropped.length}): in the older, no successor`, '');
  for (const r of d.dropped) out.push(`- ${md(r)}: ${text(older, r)}`);
  out.push('', `## New (${d.new.length}): in the newer, no predecessor`, '');
  for (const r of d.new) out.push(`- ${md(r)}: ${text(newer, r)}`);
  return `${out.join('\n')}\n`;
}
