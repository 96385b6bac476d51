// A small reader for the tab-separated text exports used as matching fixtures,
// so the match tests do not depend on the full extraction pipeline. It knows
// two layouts: rows "N\ttext\t..." under a "\tRecommendation\t..." header, and
// column blocks exported one after another (numbers+recommendations first,
// then blocks whose first line is a header and whose lines follow the rows).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ColumnRole, DocumentJson, Recommendation, StatusValue } from '../src/schema.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function stripMarkup(s: string): string {
  return s
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*/g, '')
    .trim();
}

function roleOf(header: string): ColumnRole | 'recommendation' | undefined {
  const h = header.toLowerCase();
  if (/recommendation/.test(h)) return 'recommendation';
  if (/status/.test(h)) return 'status';
  if (/update|progress/.test(h)) return 'update';
  if (/owner|lead|responsib/.test(h)) return 'owner';
  if (/response/.test(h)) return 'response';
  return undefined;
}

export function statusValueOf(raw: string): StatusValue {
  const s = raw.toLowerCase();
  if (/not started/.test(s)) return 'not-started';
  if (/n\/a|not applicable/.test(s)) return 'not-applicable';
  if (/complete|achieved|done|closed/.test(s)) return 'complete';
  if (/on track/.test(s)) return 'on-track';
  if (/at risk/.test(s)) return 'at-risk';
  if (/off track/.test(s)) return 'off-track';
  if (/progress|underway|ongoing/.test(s)) return 'in-progress';
  return 'unknown';
}

function dateOf(text: string): string | undefined {
  const m = new RegExp(`\\b(${MONTHS.join('|')})\\s+(\\d{4})\\b`, 'i').exec(text);
  if (!m) return undefined;
  return `${m[2]}-${String(MONTHS.indexOf(m[1].toLowerCase()) + 1).padStart(2, '0')}`;
}

export function readTextExport(text: string, path = 'fixture.txt'): DocumentJson {
  const sha256 = createHash('sha256').update(text).digest('hex');
  const id = sha256.slice(0, 16);
  const lines = text.split(/\r?\n/);
  const title = lines.map(stripMarkup).find((l) => l.length > 0);
  const recs: { number: string; label: string; cells: string[]; line: number; roles: (string | undefined)[] }[] = [];
  let roles: (string | undefined)[] = ['number', 'recommendation'];
  let lastRow = -1;
  for (let i = 0; i < lines.length; i++) {
    const cells = lines[i].split('\t').map(stripMarkup);
    if (lines[i].startsWith('\t') && cells.slice(1).some((c) => roleOf(c) === 'recommendation')) {
      roles = ['number', ...cells.slice(1).map(roleOf)];
      continue;
    }
    if (cells.length >= 2 && /^[0-9]+[a-z]?$/.test(cells[0])) {
      recs.push({ number: cells[0], label: cells[0], cells, line: i + 1, roles });
      lastRow = i;
    }
  }
  // Column blocks after the rows: a header line, then one line per recommendation.
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (let i = lastRow + 1; i < lines.length; i++) {
    if (!lines[i].trim()) {
      current = undefined;
      continue;
    }
    if (!current) blocks.push((current = []));
    current.push(lines[i]);
  }
  const extra = recs.map(() => [] as { role: string; value: string }[]);
  for (const block of blocks) {
    const headers = block[0].split('\t').map(stripMarkup);
    const blockRoles = headers.map(roleOf);
    if (!blockRoles.some(Boolean)) continue;
    block.slice(1).forEach((line, r) => {
      if (r >= recs.length) return;
      line.split('\t').forEach((v, c) => {
        const role = blockRoles[c];
        if (role && role !== 'recommendation') extra[r].push({ role, value: stripMarkup(v) });
      });
    });
  }
  const date = dateOf(title ?? '') ?? dateOf(text);
  const seen = new Map<string, number>();
  const recommendations: Recommendation[] = recs.map((r, k) => {
    const columns: Record<string, string> = {};
    let recText = '';
    r.cells.forEach((c, ci) => {
      const role = r.roles[ci];
      if (role === 'recommendation') recText = c;
      else if (role && role !== 'number' && c) columns[role] = c;
    });
    for (const e of extra[k]) if (e.value) columns[e.role] = e.value;
    const n = (seen.get(r.number) ?? 0) + 1;
    seen.set(r.number, n);
    const rec: Recommendation = {
      id: `${id}#${r.number}${n > 1 ? `~${n}` : ''}`,
      number: r.number,
      label: r.label,
      text: recText,
      orig: recText,
      columns,
      columnsOrig: { ...columns },
      prov: [{ kind: 'text', line: r.line }],
    };
    if (columns.status) rec.status = { value: statusValueOf(columns.status), raw: columns.status };
    return rec;
  });
  return {
    schemaVersion: '1.0.0',
    generator: { name: 'rectrace', version: '0.1.0' },
    source: { id, path, filename: basename(path), format: 'text', sha256, bytes: Buffer.byteLength(text) },
    document: { ...(title ? { title } : {}), ...(date ? { date } : {}) },
    tables: [],
    recommendations,
    messages: [],
  };
}

export function readTextExportFile(path: string): DocumentJson {
  return readTextExport(readFileSync(path, 'utf8'), path);
}

export interface Gold {
  required: [string, string][];
  acceptable: [string, string][];
  relations?: Record<string, string>;
}
