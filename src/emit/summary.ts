// The end-of-run summary (printed by the CLI to stderr): what was written, the
// series found, what changed between each series' last two generations, and
// how many links are weak.
import type { DocumentJson } from '../schema.js';
import { diffGenerations, LOW_CONFIDENCE, type GenerationDiff } from '../match/diff.js';
import type { RunOutputs } from '../pipeline.js';

export interface SeriesChange {
  series: string;
  title?: string;
  generations: number;
  last?: GenerationDiff['counts'] & { older: string; newer: string };
}

export function seriesChanges(run: Pick<RunOutputs, 'series' | 'ordered' | 'seriesIds' | 'linkSets'>): SeriesChange[] {
  return run.series.series.map((s) => {
    const docs = s.documents;
    if (docs.length < 2) return { series: s.id, ...(s.title ? { title: s.title } : {}), generations: docs.length };
    const [o, n] = [docs[docs.length - 2].document, docs[docs.length - 1].document];
    const byId = new Map<string, DocumentJson>(run.ordered.map((d) => [d.source.id, d]));
    const ls = run.linkSets.find((l) => l.from.document === o && l.to.document === n);
    const older = byId.get(o);
    const newer = byId.get(n);
    if (!ls || !older || !newer) return { series: s.id, generations: docs.length };
    const d = diffGenerations(older, newer, ls);
    return {
      series: s.id,
      ...(s.title ? { title: s.title } : {}),
      generations: docs.length,
      last: { ...d.counts, older: docs[docs.length - 2].date ?? docs[docs.length - 2].path, newer: docs[docs.length - 1].date ?? docs[docs.length - 1].path },
    };
  });
}

export function formatRunSummary(run: RunOutputs, written: string[]): string {
  const lines: string[] = [];
  lines.push(`rectrace: wrote ${written.join(', ')}`);
  const copies = run.series.messages.filter((m) => m.code === 'series/copies').length;
  lines.push(`rectrace: ${run.series.series.length} series, ${run.series.standalone.length} standalone documents, ${copies} ${copies === 1 ? 'copy' : 'copies'} in other formats`);
  for (const c of seriesChanges(run)) {
    const head = `  ${c.series}${c.title ? ` "${c.title.length > 70 ? `${c.title.slice(0, 69)}…` : c.title}"` : ''}: ${c.generations} generations`;
    lines.push(
      c.last
        ? `${head}; ${c.last.older} -> ${c.last.newer}: ${c.last.new} new, ${c.last.dropped} dropped, ${c.last.carried} carried, ${c.last.statusChanged} status changed`
        : head,
    );
  }
  const links = run.linkSets.flatMap((l) => l.links);
  lines.push(`rectrace: ${links.length} links, ${links.filter((l) => l.score < LOW_CONFIDENCE).length} under ${LOW_CONFIDENCE} (treat as suggestions), ${run.lineage.threads.length} threads`);
  for (const m of run.series.messages.filter((x) => x.code === 'overrides/unresolved')) lines.push(`rectrace: warning: ${m.reason}`);
  return `${lines.join('\n')}\n`;
}
