// Ruled tables: rules from stroked lines and thin filled rectangles are merged,
// grouped into connected frames, and turned into a grid. A merged cell shows as
// a missing rule segment inside the grid.
import type { Segment } from './types.js';

export interface Rule {
  /** horizontal: y fixed; vertical: x fixed */
  pos: number;
  a: number;
  b: number;
}

export interface Grid {
  xs: number[];
  ys: number[]; // top to bottom (descending)
  /** hRule[i][c]: the rule at ys[i] covers column c */
  h: boolean[][];
  /** vRule[j][r]: the rule at xs[j] covers row r */
  v: boolean[][];
  box: [number, number, number, number];
  /** true when the grid has inner vertical rules (not only a frame) */
  hasColumns: boolean;
}

const TOL = 2;
const THIN = 3;

/** Rules from stroked segments and thin filled boxes (and the edges of larger boxes). */
export function toRules(segments: Segment[], fills: Segment[], withShading = false): { h: Rule[]; v: Rule[] } {
  const h: Rule[] = [];
  const v: Rule[] = [];
  const add = (s: Segment): void => {
    const dx = s.x1 - s.x0;
    const dy = s.y1 - s.y0;
    if (dy <= THIN && dx > THIN) h.push({ pos: (s.y0 + s.y1) / 2, a: s.x0, b: s.x1 });
    else if (dx <= THIN && dy > THIN) v.push({ pos: (s.x0 + s.x1) / 2, a: s.y0, b: s.y1 });
  };
  for (const s of segments) if (s.w < 6) add(s);
  for (const f of fills) {
    const dx = f.x1 - f.x0;
    const dy = f.y1 - f.y0;
    if (dx <= THIN || dy <= THIN) add(f);
    else if (withShading && dx < 2000 && dy < 2000) {
      // A shaded cell: its edges can stand for borders.
      h.push({ pos: f.y0, a: f.x0, b: f.x1 }, { pos: f.y1, a: f.x0, b: f.x1 });
      v.push({ pos: f.x0, a: f.y0, b: f.y1 }, { pos: f.x1, a: f.y0, b: f.y1 });
    }
  }
  return { h: mergeRules(h), v: mergeRules(v) };
}

function mergeRules(rules: Rule[]): Rule[] {
  const sorted = [...rules].sort((r, s) => r.pos - s.pos || r.a - s.a);
  const out: Rule[] = [];
  // Cluster by position, then merge overlapping spans within a cluster.
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].pos - sorted[j].pos <= 1.5) j++;
    const group = sorted.slice(i, j + 1).sort((r, s) => r.a - s.a);
    const pos = group.reduce((t, r) => t + r.pos, 0) / group.length;
    let cur: Rule | undefined;
    for (const r of group) {
      if (cur && r.a <= cur.b + TOL) cur.b = Math.max(cur.b, r.b);
      else {
        if (cur) out.push(cur);
        cur = { pos, a: r.a, b: r.b };
      }
    }
    if (cur) out.push(cur);
    i = j + 1;
  }
  return out.filter((r) => r.b - r.a > 4);
}

/** Connected groups of crossing rules that form at least a 1x1 frame. */
export function findGrids(h: Rule[], v: Rule[]): Grid[] {
  const n = h.length + v.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < h.length; i++) {
    for (let j = 0; j < v.length; j++) {
      if (touches(h[i], v[j])) parent[find(i)] = find(h.length + j);
    }
  }
  const groups = new Map<number, { h: Rule[]; v: Rule[] }>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { h: [], v: [] }));
    if (i < h.length) g.h.push(h[i]);
    else g.v.push(v[i - h.length]);
  }
  const grids: Grid[] = [];
  for (const g of groups.values()) {
    if (g.h.length < 2 || g.v.length < 2) continue;
    const grid = toGrid(g.h, g.v);
    if (grid) grids.push(grid);
  }
  return grids;
}

function touches(h: Rule, v: Rule): boolean {
  return v.pos >= h.a - TOL && v.pos <= h.b + TOL && h.pos >= v.a - TOL && h.pos <= v.b + TOL;
}

function cluster(values: number[], tol: number): number[] {
  const s = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x - last[last.length - 1] <= tol) last.push(x);
    else out.push([x]);
  }
  return out.map((c) => c.reduce((t, x) => t + x, 0) / c.length);
}

function covered(rules: Rule[], pos: number, a: number, b: number): boolean {
  // The share of [a, b] covered by rules at `pos`.
  const mid = (a + b) / 2;
  const need = Math.max(0, (b - a) * 0.5 - TOL);
  for (const r of rules) {
    if (Math.abs(r.pos - pos) > TOL) continue;
    if (r.a <= mid + need && r.b >= mid - need && r.a <= a + (b - a) * 0.5 && r.b >= b - (b - a) * 0.5) return true;
  }
  return false;
}

function toGrid(h: Rule[], v: Rule[]): Grid | undefined {
  const x0 = Math.min(...h.map((r) => r.a), ...v.map((r) => r.pos));
  const x1 = Math.max(...h.map((r) => r.b), ...v.map((r) => r.pos));
  const y0 = Math.min(...v.map((r) => r.a), ...h.map((r) => r.pos));
  const y1 = Math.max(...v.map((r) => r.b), ...h.map((r) => r.pos));
  if (x1 - x0 < 20 || y1 - y0 < 8) return undefined;
  const xs = cluster([x0, x1, ...v.map((r) => r.pos)], TOL).filter((x, i, a) => i === 0 || x - a[i - 1] > 3);
  const ys = cluster([y0, y1, ...h.map((r) => r.pos)], TOL)
    .filter((y, i, a) => i === 0 || y - a[i - 1] > 3)
    .reverse();
  if (xs.length < 2 || ys.length < 2) return undefined;
  const hm: boolean[][] = ys.map((y) => xs.slice(1).map((xr, c) => covered(h, y, xs[c], xr)));
  const vm: boolean[][] = xs.map((x) => ys.slice(1).map((yb, r) => covered(v, x, yb, ys[r])));
  // Frame edges that are missing count as present (open tables without an outer frame).
  for (let c = 0; c < xs.length - 1; c++) {
    hm[0][c] = true;
    hm[ys.length - 1][c] = true;
  }
  for (let r = 0; r < ys.length - 1; r++) {
    vm[0][r] = true;
    vm[xs.length - 1][r] = true;
  }
  const inner = vm.slice(1, -1).some((col) => col.some(Boolean));
  return { xs, ys, h: hm, v: vm, box: [xs[0], ys[ys.length - 1], xs[xs.length - 1], ys[0]], hasColumns: inner };
}

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  box: [number, number, number, number];
}

/** Cells of a grid: neighbouring grid positions without a rule between them are one cell. */
export function gridCells(g: Grid): GridCell[] {
  const R = g.ys.length - 1;
  const C = g.xs.length - 1;
  const owner: number[][] = Array.from({ length: R }, () => Array(C).fill(-1));
  const cells: GridCell[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (owner[r][c] >= 0) continue;
      // Grow right while no vertical rule, then down while no horizontal rule under the whole span.
      let c2 = c;
      while (c2 + 1 < C && !g.v[c2 + 1][r] && owner[r][c2 + 1] < 0) c2++;
      let r2 = r;
      const spanOpen = (rr: number): boolean => {
        for (let k = c; k <= c2; k++) if (g.h[rr + 1][k] || owner[rr + 1][k] >= 0) return false;
        return true;
      };
      while (r2 + 1 < R && spanOpen(r2)) r2++;
      const id = cells.length;
      for (let rr = r; rr <= r2; rr++) for (let k = c; k <= c2; k++) owner[rr][k] = id;
      cells.push({ row: r, col: c, rowSpan: r2 - r + 1, colSpan: c2 - c + 1, box: [g.xs[c], g.ys[r2 + 1], g.xs[c2 + 1], g.ys[r]] });
    }
  }
  return cells;
}

/** Removes grid columns and rows that hold no text (slivers between double rules or shading edges). */
export function pruneGrid(g: Grid, words: { x0: number; x1: number; y0: number; y1: number }[]): Grid {
  let { xs, ys, h, v } = g;
  xs = [...xs];
  ys = [...ys];
  h = h.map((r) => [...r]);
  v = v.map((r) => [...r]);
  const colUsed = (c: number): boolean =>
    words.some((w) => {
      const cx = (w.x0 + w.x1) / 2;
      const cy = (w.y0 + w.y1) / 2;
      if (cy > ys[0] || cy < ys[ys.length - 1]) return false;
      return (cx >= xs[c] && cx <= xs[c + 1] && xs[c + 1] - xs[c] >= 8) || Math.min(w.x1, xs[c + 1]) - Math.max(w.x0, xs[c]) > 0.5 * (w.x1 - w.x0);
    });
  for (let c = xs.length - 2; c >= 0 && xs.length > 2; c--) {
    if (colUsed(c) || xs[c + 1] - xs[c] >= 10) continue;
    // Remove the weaker of the column's two boundaries (a shading edge rather than a rule).
    const strength = (j: number): number => (j <= 0 || j >= xs.length - 1 ? Infinity : v[j].filter(Boolean).length);
    const j = strength(c) <= strength(c + 1) ? c : c + 1;
    if (!Number.isFinite(strength(j))) continue;
    for (const row of h) {
      row.splice(j - 1, 2, row[j - 1] || row[j]);
    }
    xs.splice(j, 1);
    v.splice(j, 1);
  }
  const rowUsed = (r: number): boolean => words.some((w) => {
    const cy = (w.y0 + w.y1) / 2;
    return cy <= ys[r] && cy >= ys[r + 1] && w.x1 > xs[0] && w.x0 < xs[xs.length - 1];
  });
  for (let r = ys.length - 2; r >= 0 && ys.length > 2; r--) {
    if (rowUsed(r) || ys[r] - ys[r + 1] >= 6) continue;
    const strength = (j: number): number => (j <= 0 || j >= ys.length - 1 ? Infinity : h[j].filter(Boolean).length);
    const j = strength(r) <= strength(r + 1) ? r : r + 1;
    if (!Number.isFinite(strength(j))) continue;
    for (const col of v) col.splice(j - 1, 2, col[j - 1] || col[j]);
    ys.splice(j, 1);
    h.splice(j, 1);
  }
  const inner = v.slice(1, -1).some((col) => col.some(Boolean));
  return { ...g, xs, ys, h, v, hasColumns: inner };
}
