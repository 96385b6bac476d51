import { RectraceError } from './errors.js';

// Bounds on every count a document states about itself (spans, list starts,
// levels): values are read as integers and clamped where they are read, so a
// hostile file cannot make a later stage allocate or loop per unit of a number
// it chose (gridSpan="1000000000", colspan="abc", start="9007199254740992").
export const LIMITS = {
  /** Columns of one table row, spans included (browsers cap colspan at 1000). */
  columns: 1000,
  /** Columns a Word table can have (Word's own limit): spans past it are clamped. */
  wordColumns: 63,
  /** Rows one cell may span (HTML's own cap). */
  rowSpan: 65534,
  /** Grid positions (rows × columns) of one table: more fails the document as input/too-large. */
  gridCells: 4_000_000,
  /** Table rows in one document, all tables together: more fails it as input/too-large (reports hold hundreds). */
  tableRows: 100_000,
  /** Largest list counter kept (Word's own limit for a start value is 32767). */
  counter: 2 ** 31 - 1,
  /** Word list levels: w:ilvl 0–8. */
  wordLevels: 9,
} as const;

/**
 * `value` as an integer in [min, max]: a number or numeric string; anything
 * else (NaN, "abc", "", 1.5e400) gives `fallback`; out-of-range values clamp.
 */
export function boundedInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** Throws input/too-large when a parsed document holds more table rows than anyone could check by hand. */
export function checkModelSize(blocks: ReadonlyArray<{ type: string; rows?: readonly unknown[] }>): void {
  let rows = 0;
  for (const b of blocks) rows += b.rows?.length ?? 0;
  if (rows > LIMITS.tableRows) {
    throw new RectraceError('input/too-large', `the document's tables have ${rows} rows, over the ${LIMITS.tableRows}-row limit`);
  }
}
