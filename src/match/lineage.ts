// Threads across any number of generations, and their CSV.
//
// Rule: a thread is a path through the links from a recommendation with no
// predecessor (its origin) to one with no successor (where it stands now).
// A split therefore gives several threads that share their earlier steps, and
// a merge several threads that share their later steps; every recommendation
// appears in at least one thread, and a researcher reading one row sees the
// whole history of that line of recommendation.
import type { DocumentJson, Lineage, Link, LinkSet } from '../schema.js';
import { refsOf } from './refs.js';
import { csvCell } from '../emit/csv.js';

type Step = Lineage['threads'][number]['steps'][number];
type Thread = Lineage['threads'][number];

/**
 * `linkSets[g]` links docs[g] to docs[g+1]; null where two series meet (docs
 * are ordered series by series, each oldest first). `series[g]` is docs[g]'s
 * series id (default "s-1" for all).
 */
export function buildLineage(docs: DocumentJson[], linkSets: (LinkSet | null)[], series?: string[]): Lineage {
  const seriesOf = (g: number) => series?.[g] ?? 's-1';
  const refs = docs.map((d) => refsOf(d.recommendations));
  const indexOf = refs.map((rs) => new Map(rs.map((r, i) => [r, i])));
  // next[g][i]: successors of docs[g].recommendations[i] in generation g+1, with the link.
  const next = docs.map((d) => d.recommendations.map(() => [] as { to: number; relation: Step['relation']; score: number; link: Link }[]));
  const hasPrevious = docs.map((d) => d.recommendations.map(() => false));
  linkSets.forEach((ls, g) => {
    if (!ls || g + 1 >= docs.length || seriesOf(g) !== seriesOf(g + 1)) return;
    for (const l of ls.links) {
      const i = indexOf[g].get(l.from.number);
      const j = indexOf[g + 1].get(l.to.number);
      if (i === undefined || j === undefined) continue;
      next[g][i].push({ to: j, relation: l.relation, score: l.score, link: l });
      hasPrevious[g + 1][j] = true;
    }
  });
  for (const gen of next) for (const list of gen) list.sort((a, b) => a.to - b.to);

  const stepOf = (g: number, i: number, relation: Step['relation'], link?: Link): Step => {
    const r = docs[g].recommendations[i];
    const status = r.columns.status ?? r.status?.raw;
    return {
      generation: g,
      document: docs[g].source.id,
      number: refs[g][i],
      label: r.label,
      text: r.text,
      ...(status ? { status } : {}),
      ...(r.status?.value ? { statusValue: r.status.value } : {}),
      ...(r.columns.update ? { update: r.columns.update } : {}),
      ...(r.columns.response ? { response: r.columns.response } : {}),
      relation,
      ...(link ? { score: link.score, decidedBy: link.evidence.decidedBy } : {}),
      ...(link?.evidence.decision ? { decision: link.evidence.decision } : {}),
    };
  };

  const threads: Thread[] = [];
  const walk = (path: Step[], g: number, i: number): void => {
    const successors = g < next.length ? next[g][i] : [];
    const series = seriesOf(g);
    if (successors.length === 0) {
      const last = path[path.length - 1];
      threads.push({
        id: path.map((s) => `${s.generation}:${s.number}`).join('/'),
        series,
        steps: path,
        ...(last.status ? { latestStatus: last.status } : {}),
        ...(last.statusValue ? { latestStatusValue: last.statusValue } : {}),
      });
      return;
    }
    for (const s of successors) walk([...path, stepOf(g + 1, s.to, s.relation, s.link)], g + 1, s.to);
  };
  docs.forEach((d, g) =>
    d.recommendations.forEach((_, i) => {
      if (!hasPrevious[g][i]) walk([stepOf(g, i, 'origin')], g, i);
    }),
  );

  return {
    generations: docs.map((d, index) => ({
      index,
      series: seriesOf(index),
      document: d.source.id,
      path: d.source.path,
      ...(d.document.title !== undefined ? { title: d.document.title } : {}),
      ...(d.document.date !== undefined ? { date: d.document.date } : {}),
    })),
    threads,
  };
}


/** `lineage-wide.csv`: one row per thread: its series, each generation's number, text, status, update and response, then the latest status. */
export function lineageToCsv(lineage: Lineage): string {
  const header = ['thread', 'series'];
  for (const g of lineage.generations) {
    const name = `g${g.index + 1}`;
    header.push(`${name} number`, `${name} text`, `${name} status`, `${name} update`, `${name} response`);
  }
  header.push('latest status');
  const rows = [header];
  for (const t of lineage.threads) {
    const row = [t.id, t.series];
    for (const g of lineage.generations) {
      const step = t.steps.find((s) => s.generation === g.index);
      row.push(step?.number ?? '', step?.text ?? '', step?.status ?? '', step?.update ?? '', step?.response ?? '');
    }
    row.push(t.latestStatus ?? '');
    rows.push(row);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
