// The ICDAR 2013 table competition's structure score (Göbel et al. 2012/2013):
// adjacency relations between content cells, compared under the official
// tool's rule (same direction, same two texts with whitespace removed and
// lower-cased, same number of empty grid positions skipped). See
// ../shared/corpus/README.md, "Metric". Pure: XML or DocModel in, numbers out.
import type { DocModel, ModelTable } from '../src/schema.js';
import { placeCells } from '../src/parse/pdf/grid.js';

export interface IcdarCell {
  page: number;
  r0: number;
  c0: number;
  r1: number;
  c1: number;
  text: string;
  /** [x1, y1, x2, y2], PDF points, bottom-left origin */
  box?: [number, number, number, number];
}
export interface IcdarTable {
  id: string;
  page: number;
  cells: IcdarCell[];
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(["'])(.*?)\\1`).exec(tag);
  return m?.[2];
};
const decode = (s: string): string =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

/** Reads a competition structure XML (ground truth `-str.xml` or a result file). */
export function parseStructureXml(xml: string): IcdarTable[] {
  const tables: IcdarTable[] = [];
  const tableRe = /<table\b([^>]*)>([\s\S]*?)<\/table>/g;
  for (let tm = tableRe.exec(xml); tm; tm = tableRe.exec(xml)) {
    const id = attr(tm[1], 'id') ?? String(tables.length + 1);
    const cells: IcdarCell[] = [];
    let page = 0;
    const regionRe = /<region\b([^>]*)>([\s\S]*?)<\/region>/g;
    for (let rm = regionRe.exec(tm[2]); rm; rm = regionRe.exec(tm[2])) {
      const p = Number(attr(rm[1], 'page') ?? 1);
      page ||= p;
      const ri = Number(attr(rm[1], 'row-increment') ?? 0) || 0;
      const ci = Number(attr(rm[1], 'col-increment') ?? 0) || 0;
      const cellRe = /<cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/cell>)/g;
      for (let cm = cellRe.exec(rm[2]); cm; cm = cellRe.exec(rm[2])) {
        const a = cm[1];
        const sr = Number(attr(a, 'start-row'));
        const sc = Number(attr(a, 'start-col'));
        const er = attr(a, 'end-row');
        const ec = attr(a, 'end-col');
        const body = cm[2] ?? '';
        const content = /<content>([\s\S]*?)<\/content>/.exec(body)?.[1] ?? (/<content\s*\/>/.test(body) ? '' : '');
        const bb = /<bounding-box\b([^>]*)\/?>/.exec(body)?.[1];
        const box = bb
          ? ([parseFloat(attr(bb, 'x1') ?? ''), parseFloat(attr(bb, 'y1') ?? ''), parseFloat(attr(bb, 'x2') ?? ''), parseFloat(attr(bb, 'y2') ?? '')] as [number, number, number, number])
          : undefined;
        cells.push({
          page: p,
          r0: sr + ri,
          c0: sc + ci,
          r1: (er !== undefined && er !== '' ? Number(er) : sr) + ri,
          c1: (ec !== undefined && ec !== '' ? Number(ec) : sc) + ci,
          text: decode(content),
          box,
        });
      }
    }
    tables.push({ id, page, cells });
  }
  return tables;
}

export const normText = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

/** Adjacency relations as a multiset of keys "dir|textA|textB|skipped". */
export function relationsOf(table: IcdarTable): Map<string, number> {
  const cells = table.cells.filter((c) => normText(c.text) !== '');
  const occ = new Map<string, number>();
  const k = (r: number, c: number): string => `${r},${c}`;
  let maxR = -Infinity;
  let maxC = -Infinity;
  cells.forEach((c, i) => {
    for (let r = c.r0; r <= c.r1; r++) for (let cc = c.c0; cc <= c.c1; cc++) if (!occ.has(k(r, cc))) occ.set(k(r, cc), i);
    maxR = Math.max(maxR, c.r1);
    maxC = Math.max(maxC, c.c1);
  });
  const seen = new Set<string>();
  const out = new Map<string, number>();
  const add = (a: number, b: number, dir: 'h' | 'v', skipped: number): void => {
    const pair = `${dir}|${a}|${b}`;
    if (seen.has(pair)) return;
    seen.add(pair);
    const key = `${dir}|${normText(cells[a].text)}|${normText(cells[b].text)}|${skipped}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  };
  cells.forEach((c, i) => {
    for (let r = c.r0; r <= c.r1; r++) {
      let skipped = 0;
      for (let cc = c.c1 + 1; cc <= maxC; cc++) {
        const j = occ.get(k(r, cc));
        if (j === undefined) skipped++;
        else if (j !== i) {
          add(i, j, 'h', skipped);
          break;
        }
      }
    }
    for (let cc = c.c0; cc <= c.c1; cc++) {
      let skipped = 0;
      for (let r = c.r1 + 1; r <= maxR; r++) {
        const j = occ.get(k(r, cc));
        if (j === undefined) skipped++;
        else if (j !== i) {
          add(i, j, 'v', skipped);
          break;
        }
      }
    }
  });
  return out;
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((t, n) => t + n, 0);
function common(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [key, v] of a) n += Math.min(v, b.get(key) ?? 0);
  return n;
}

export interface DocScore {
  correct: number;
  detected: number;
  truth: number;
  /** tables: ground truth, detected, paired */
  gtTables: number;
  detTables: number;
  paired: number;
}

/** Pairs detected and ground-truth tables one-to-one per page (most shared relations first) and counts relations. */
export function scoreDocument(detected: IcdarTable[], truth: IcdarTable[]): DocScore {
  const dr = detected.map(relationsOf);
  const gr = truth.map(relationsOf);
  const pairs: { d: number; g: number; n: number }[] = [];
  detected.forEach((d, i) =>
    truth.forEach((g, j) => {
      if (d.page !== g.page) return;
      const n = common(dr[i], gr[j]);
      if (n > 0) pairs.push({ d: i, g: j, n });
    }),
  );
  pairs.sort((a, b) => b.n - a.n || a.d - b.d || a.g - b.g);
  const usedD = new Set<number>();
  const usedG = new Set<number>();
  let correct = 0;
  for (const p of pairs) {
    if (usedD.has(p.d) || usedG.has(p.g)) continue;
    usedD.add(p.d);
    usedG.add(p.g);
    correct += p.n;
  }
  return {
    correct,
    detected: dr.reduce((t, m) => t + total(m), 0),
    truth: gr.reduce((t, m) => t + total(m), 0),
    gtTables: truth.length,
    detTables: detected.length,
    paired: usedD.size,
  };
}

export const prf = (s: { correct: number; detected: number; truth: number }): { p: number; r: number; f: number } => {
  const p = s.detected ? s.correct / s.detected : 0;
  const r = s.truth ? s.correct / s.truth : 0;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
};

/** Per-document average (P and R averaged, F from those) and pooled totals. */
export function aggregate(docs: DocScore[]): { perDoc: { p: number; r: number; f: number }; pooled: { p: number; r: number; f: number } } {
  const ps = docs.map(prf);
  const p = ps.reduce((t, x) => t + x.p, 0) / (docs.length || 1);
  const r = ps.reduce((t, x) => t + x.r, 0) / (docs.length || 1);
  const pooled = prf({
    correct: docs.reduce((t, d) => t + d.correct, 0),
    detected: docs.reduce((t, d) => t + d.detected, 0),
    truth: docs.reduce((t, d) => t + d.truth, 0),
  });
  return { perDoc: { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 }, pooled };
}

/** Tables of a DocModel as competition tables, one per page a table touches (cells go to their first page). */
export function fromDocModel(doc: DocModel): IcdarTable[] {
  const out: IcdarTable[] = [];
  doc.blocks.forEach((b, bi) => {
    if (b.type !== 'table') return;
    out.push(...fromModelTable(b, String(bi)));
  });
  return out;
}

export function fromModelTable(t: ModelTable, id: string): IcdarTable[] {
  const placed = placeCells(t.rows);
  const byPage = new Map<number, IcdarCell[]>();
  t.rows.forEach((row, r) =>
    row.cells.forEach((cell, i) => {
      const p = placed[r][i];
      const page = cell.prov[0]?.page ?? row.prov[0]?.page ?? 1;
      let a = byPage.get(page);
      if (!a) byPage.set(page, (a = []));
      // NFKC as the normalise stage applies it (the parser keeps ligatures raw).
      a.push({ page, r0: p.row, c0: p.col, r1: p.row + p.rowSpan - 1, c1: p.col + p.colSpan - 1, text: cell.orig.normalize('NFKC') });
    }),
  );
  return [...byPage.entries()].map(([page, cells]) => ({ id: `${id}@${page}`, page, cells }));
}

/** Table detection: a detected table is correct when its box holds the ground-truth region (±tol) and overlaps no other ground-truth table. */
export function detectionCounts(
  detBoxes: { page: number; box: [number, number, number, number] }[],
  gtBoxes: { page: number; box: [number, number, number, number] }[],
  tol = 5,
): { correct: number; detected: number; truth: number } {
  const contains = (a: number[], b: number[]): boolean => a[0] <= b[0] + tol && a[1] <= b[1] + tol && a[2] >= b[2] - tol && a[3] >= b[3] - tol;
  const overlaps = (a: number[], b: number[]): boolean => Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > tol && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > tol;
  const usedD = new Set<number>();
  let correct = 0;
  gtBoxes.forEach((g, gi) => {
    const k = detBoxes.findIndex(
      (d, di) =>
        !usedD.has(di) &&
        d.page === g.page &&
        contains(d.box, g.box) &&
        !gtBoxes.some((o, oi) => oi !== gi && o.page === d.page && overlaps(d.box, o.box)),
    );
    if (k >= 0) {
      usedD.add(k);
      correct++;
    }
  });
  return { correct, detected: detBoxes.length, truth: gtBoxes.length };
}

/** Region boxes from a `-reg.xml` file. */
export function parseRegionXml(xml: string): { page: number; box: [number, number, number, number] }[] {
  const out: { page: number; box: [number, number, number, number] }[] = [];
  const re = /<region\b([^>]*)>([\s\S]*?)<\/region>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const bb = /<bounding-box\b([^>]*)\/?>/.exec(m[2])?.[1];
    if (!bb) continue;
    const n = (k: string): number => parseFloat(attr(bb, k) ?? 'NaN');
    out.push({ page: Number(attr(m[1], 'page') ?? 1), box: [Math.min(n('x1'), n('x2')), Math.min(n('y1'), n('y2')), Math.max(n('x1'), n('x2')), Math.max(n('y1'), n('y2'))] });
  }
  return out;
}
