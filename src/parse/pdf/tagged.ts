// Tagged PDF tables: Table/TR/TH/TD from the page's structure tree, with text
// tied to cells through marked-content ids. pdf.js does not expose the
// RowSpan/ColSpan attributes, so spans are read from the cells' positions.
import type { StructNode, Word } from './types.js';
import { wordsBox, type Box, type PCell, type PRow, type PTable } from './table-build.js';

interface TCell {
  header: boolean;
  ids: string[];
}

export function findTagged(struct: StructNode | undefined, words: Word[], page: number): PTable[] {
  if (!struct) return [];
  const tables: TCell[][][] = [];
  const walk = (n: StructNode): void => {
    if (n.role === 'Table') {
      const rows: TCell[][] = [];
      collectRows(n, rows);
      if (rows.length) tables.push(rows);
      return;
    }
    for (const c of n.children ?? []) walk(c);
  };
  walk(struct);
  if (!tables.length) return [];
  const byId = new Map<string, Word[]>();
  for (const w of words) {
    if (!w.mcid) continue;
    let a = byId.get(w.mcid);
    if (!a) byId.set(w.mcid, (a = []));
    a.push(w);
  }
  const out: PTable[] = [];
  for (const t of tables) {
    const rows = t
      .map((r) => ({ header: r.every((c) => c.header), cells: r.map((c) => c.ids.flatMap((id) => byId.get(id) ?? [])) }))
      .filter((r) => r.cells.some((c) => c.length));
    if (!rows.length) continue;
    const built = placeCells(rows, page);
    if (built) out.push(built);
  }
  return out;
}

function collectRows(n: StructNode, rows: TCell[][]): void {
  for (const c of n.children ?? []) {
    if (c.role === 'TR') {
      const cells: TCell[] = [];
      for (const d of c.children ?? []) {
        if (d.role === 'TH' || d.role === 'TD') {
          const ids: string[] = [];
          const ids0 = (x: StructNode): void => {
            if (x.type === 'content' && x.id) ids.push(x.id);
            for (const y of x.children ?? []) ids0(y);
          };
          ids0(d);
          cells.push({ header: d.role === 'TH', ids });
        }
      }
      rows.push(cells);
    } else if (c.role === 'THead' || c.role === 'TBody' || c.role === 'TFoot' || c.role === 'NonStruct' || c.role === 'Div') collectRows(c, rows);
  }
}

function placeCells(rows: { header: boolean; cells: Word[][] }[], page: number): PTable | undefined {
  // Column edges from the rows with the most cells.
  const n = Math.max(...rows.map((r) => r.cells.length));
  const full = rows.filter((r) => r.cells.length === n);
  const lefts: number[] = [];
  const rights: number[] = [];
  for (let c = 0; c < n; c++) {
    const boxes = full.map((r) => wordsBox(r.cells[c])).filter((b): b is Box => !!b);
    lefts.push(boxes.length ? Math.min(...boxes.map((b) => b[0])) : NaN);
    rights.push(boxes.length ? Math.max(...boxes.map((b) => b[2])) : NaN);
  }
  const allBoxes = rows.flatMap((r) => r.cells.map((c) => wordsBox(c))).filter((b): b is Box => !!b);
  if (!allBoxes.length) return undefined;
  const box: Box = [
    Math.min(...allBoxes.map((b) => b[0])),
    Math.min(...allBoxes.map((b) => b[1])),
    Math.max(...allBoxes.map((b) => b[2])),
    Math.max(...allBoxes.map((b) => b[3])),
  ];
  const pRows: PRow[] = rows.map((r) => {
    const top = Math.max(...r.cells.map((c) => wordsBox(c)?.[3] ?? -Infinity));
    const bottom = Math.min(...r.cells.map((c) => wordsBox(c)?.[1] ?? Infinity));
    const cells: PCell[] = [];
    if (r.cells.length === n) {
      r.cells.forEach((ws, c) => cells.push({ col: c, rowSpan: 1, colSpan: 1, words: ws, area: [lefts[c] || box[0], bottom, rights[c] || box[2], top] }));
    } else {
      // Fewer cells than columns: a cell spans the columns its text reaches into.
      let col = 0;
      r.cells.forEach((ws, k) => {
        const b = wordsBox(ws);
        const left = n - (r.cells.length - k); // leave room for the cells still to come
        let start = col;
        if (b) while (start < left && !(rights[start] >= b[0])) start++;
        let end = start;
        const nextB = r.cells[k + 1] ? wordsBox(r.cells[k + 1]) : undefined;
        const limit = n - (r.cells.length - k - 1) - 1;
        while (end < limit && (nextB ? lefts[end + 1] < nextB[0] - 1 : true) && (b ? lefts[end + 1] < b[2] : false)) end++;
        if (k === r.cells.length - 1 && b && !nextB) while (end < n - 1 && lefts[end + 1] < b[2]) end++;
        cells.push({ col: start, rowSpan: 1, colSpan: end - start + 1, words: ws, area: [lefts[start] || box[0], bottom, rights[end] || box[2], top] });
        col = end + 1;
      });
    }
    return { cells, header: r.header, page };
  });
  return { method: 'pdf-tagged', confidence: 0.95, page, box, rows: pRows, xs: [...lefts, rights[n - 1]] };
}
