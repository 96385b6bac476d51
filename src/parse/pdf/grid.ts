// Grid positions of cells listed row by row, HTML style: a cell starts at the
// first grid column not already covered by a row span from above.
import type { ModelRow } from '../../schema.js';

export interface Placed {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export function placeCells(rows: Pick<ModelRow, 'cells'>[]): Placed[][] {
  const covered: boolean[][] = [];
  const isCovered = (r: number, c: number): boolean => !!covered[r]?.[c];
  const cover = (r: number, c: number): void => {
    (covered[r] ??= [])[c] = true;
  };
  return rows.map((row, r) => {
    let c = 0;
    return row.cells.map((cell) => {
      while (isCovered(r, c)) c++;
      const p = { row: r, col: c, rowSpan: cell.rowSpan, colSpan: cell.colSpan };
      for (let dr = 0; dr < cell.rowSpan; dr++) for (let dc = 0; dc < cell.colSpan; dc++) cover(r + dr, c + dc);
      c += cell.colSpan;
      return p;
    });
  });
}
