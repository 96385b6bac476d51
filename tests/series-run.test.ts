// A batch mixing two unrelated series (the seed pair, with an HTML copy of the
// 2022 report, and the progress-update pair) with single unrelated reports:
// series, copies, no cross-series links, the summary, diff, and the exports.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildRun, extractFile, type RunOutputs } from '../src/pipeline.js';
import { Lineage, SeriesSet, type DocumentJson } from '../src/schema.js';
import { writeExports, writeRunJson } from '../src/emit/exports.js';
import { columnNames } from '../src/emit/tables.js';
import { querySqlite } from '../src/emit/sqlite.js';
import { formatRunSummary, seriesChanges } from '../src/emit/summary.js';
import { diffGenerations, diffToMarkdown } from '../src/match/diff.js';
import { parseOverrides } from '../src/overrides.js';

const SEED_2022 = 'fixtures/seeds/000_2f423a773bf542d4.txt';
const SEED_2023 = 'fixtures/seeds/004_0b441babad7e57b2.txt';
const FILES = [
  SEED_2022,
  'fixtures/generations/progress-update/newer.txt',
  'fixtures/docx/nested-table.docx',
  SEED_2023,
  'fixtures/html/seed-2022.html',
  'fixtures/pdf/ombudsman-list.pdf',
  'fixtures/generations/progress-update/older.txt',
  'fixtures/docx/cases/number-column.docx',
];
const SINGLES = ['fixtures/docx/nested-table.docx', 'fixtures/pdf/ombudsman-list.pdf', 'fixtures/docx/cases/number-column.docx'];

let docs: DocumentJson[];
let run: RunOutputs;
const idOf = (p: string) => docs.find((d) => d.source.path === p)!.source.id;

beforeAll(async () => {
  docs = [];
  for (const f of FILES) docs.push(await extractFile(f));
  run = await buildRun(docs);
}, 240_000);

describe('series in a mixed batch', () => {
  it('finds exactly the two series, each in date order, and leaves the single reports alone', () => {
    expect(SeriesSet.safeParse(run.series).success).toBe(true);
    const found = run.series.series.map((s) => s.documents.map((d) => d.path));
    expect(found).toEqual([
      [SEED_2022, SEED_2023],
      ['fixtures/generations/progress-update/older.txt', 'fixtures/generations/progress-update/newer.txt'],
    ]);
    expect(run.series.standalone.map((d) => d.path).sort()).toEqual([...SINGLES].sort());
    for (const s of run.series.standalone) expect(s.reason).toMatch(/not enough evidence|no other document/);
    for (const s of run.series.series) expect(s.evidence.length).toBeGreaterThan(0);
    expect(run.series.series[0].evidence[0].titleTerms).toEqual(expect.arrayContaining(['send']));
  });

  it('counts the HTML copy of the 2022 report as the same generation, with a message', () => {
    const seed = run.series.series[0];
    expect(seed.documents[0].copies.map((c) => c.path)).toEqual(['fixtures/html/seed-2022.html']);
    const m = run.series.messages.find((x) => x.code === 'series/copies');
    expect(m?.document).toBe(idOf('fixtures/html/seed-2022.html'));
  });

  it('links only within a series: no cross-series links, no thread across series', () => {
    const seriesOf = new Map(run.series.series.flatMap((s) => s.documents.map((d) => [d.document, s.id] as const)));
    expect(run.linkSets).toHaveLength(2);
    for (const ls of run.linkSets) {
      expect(seriesOf.get(ls.from.document)).toBeDefined();
      expect(seriesOf.get(ls.from.document)).toBe(seriesOf.get(ls.to.document));
    }
    expect(Lineage.safeParse(run.lineage).success).toBe(true);
    const genSeries = new Map(run.lineage.generations.map((g) => [g.index, g.series]));
    for (const t of run.lineage.threads) for (const s of t.steps) expect(genSeries.get(s.generation)).toBe(t.series);
    // The progress update carries all eight recommendations over unchanged.
    const pu = run.linkSets[1];
    expect(pu.links.map((l) => `${l.from.number}->${l.to.number}:${l.relation}`)).toEqual(
      ['1', '2', '3', '4', '5', '6', '7', '8'].map((n) => `${n}->${n}:same`),
    );
  });

  it('a person can keep a document out of a series, or put one in', async () => {
    const text = JSON.stringify({
      series: [
        { action: 'leave', document: 'newer.txt', decidedBy: 'A. Researcher', note: 'a different partnership' },
        { action: 'join', document: 'nested-table.docx', with: SEED_2023 },
      ],
    });
    const parsed = parseOverrides(text).parsed!;
    const r = await buildRun(docs, { overrides: parsed });
    expect(r.problems).toEqual([]);
    const paths = r.series.series.map((s) => s.documents.map((d) => d.path));
    expect(paths).toEqual([[SEED_2022, SEED_2023, 'fixtures/docx/nested-table.docx']]);
    expect(r.series.series[0].evidence.some((e) => e.rule === 'person')).toBe(true);
    const kept = r.series.standalone.find((d) => d.path === 'fixtures/generations/progress-update/newer.txt');
    expect(kept?.reason).toMatch(/kept out .*A\. Researcher/);
  }, 120_000);
});

describe('summary and diff', () => {
  it('counts new, dropped, carried and status-changed between the last two generations of each series', () => {
    const changes = seriesChanges(run);
    expect(changes[1].last).toMatchObject({ new: 0, dropped: 0, carried: 8 });
    expect(changes[1].last!.statusChanged).toBeGreaterThan(0);
    expect(changes[0].last!.carried + changes[0].last!.dropped).toBe(19);
    const text = formatRunSummary(run, ['out/series.json']);
    expect(text).toMatch(/2 series, 3 standalone documents, 1 copy in other formats/);
    expect(text).toMatch(/out\/series\.json/);
    expect(text).toMatch(/links, \d+ under 0\.2/);
  });

  it('diff gives the same counts as data and as Markdown', () => {
    const [older, newer] = [SEED_2022, SEED_2023].map((p) => docs.find((d) => d.source.path === p)!);
    const d = diffGenerations(older, newer, run.linkSets[0]);
    expect(d.counts.dropped).toBe(d.dropped.length);
    expect(d.counts.new + d.carried.map((c) => c.to).filter((v, i, a) => a.indexOf(v) === i).length).toBe(10);
    const md = diffToMarkdown(d, older, newer);
    expect(md).toMatch(/^# .*2022-08.* → .*2023-07/);
    expect(md).toContain(`## Dropped (${d.counts.dropped})`);
  });
});

describe('exports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rectrace-exports-'));
    await writeRunJson(dir, run);
    await writeExports(dir, { documents: docs, series: run.series, linkSets: run.linkSets, lineage: run.lineage });
  });

  it('writes CSVs a standard parser loads, with the documented headers', () => {
    for (const [file, table] of [
      ['recommendations.csv', 'recommendations'],
      ['links.csv', 'links'],
      ['lineage.csv', 'thread_steps'],
    ] as const) {
      const rows = parse(readFileSync(path.join(dir, file)), { columns: true, relax_column_count: false }) as Record<string, string>[];
      expect(Object.keys(rows[0])).toEqual(columnNames(table));
      if (table === 'recommendations') expect(rows).toHaveLength(docs.reduce((n, d) => n + d.recommendations.length, 0));
      if (table === 'links') expect(rows).toHaveLength(run.linkSets.reduce((n, l) => n + l.links.length, 0));
      if (table === 'thread_steps') expect(rows).toHaveLength(run.lineage.threads.reduce((n, t) => n + t.steps.length, 0));
    }
    const recs = parse(readFileSync(path.join(dir, 'recommendations.csv')), { columns: true }) as Record<string, string>[];
    const pdf = docs.find((d) => d.source.filename === 'ombudsman-list.pdf')!.recommendations[0];
    const row = recs.find((r) => r.rec_id === pdf.id)!;
    expect(row.first_page).toBe(String(pdf.prov[0].page));
    expect(JSON.parse(row.first_bbox)).toEqual(pdf.prov[0].bbox);
    expect(row.text).toBe(pdf.text);
    expect(recs.find((r) => r.document_id === idOf(SEED_2022) && r.number === '1')?.series_id).toBe(run.series.series[0].id);
    const wide = parse(readFileSync(path.join(dir, 'lineage-wide.csv')), { columns: true }) as Record<string, string>[];
    expect(wide).toHaveLength(run.lineage.threads.length);
  });

  it('writes a SQLite file whose tables answer the README questions', async () => {
    const db = readFileSync(path.join(dir, 'rectrace.sqlite'));
    const tables = (await querySqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    expect(tables).toEqual(['documents', 'links', 'messages', 'recommendations', 'series', 'thread_steps', 'threads']);
    const idx = await querySqlite(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'");
    expect(Number(idx[0].n)).toBeGreaterThanOrEqual(8);
    const latest = await querySqlite(db, 'SELECT thread_id, latest_status_value FROM threads WHERE series_id = ? ORDER BY thread_id', [run.series.series[1].id]);
    expect(latest).toHaveLength(8);
    // The sqlite3 tool opens it too, when installed.
    const cli = spawnSync('sqlite3', [path.join(dir, 'rectrace.sqlite'), 'SELECT count(*) FROM documents;'], { encoding: 'utf8' });
    if (!cli.error) expect(cli.stdout.trim()).toBe(String(new Set(docs.map((d) => d.source.id)).size));
  });

  it('is deterministic: the same run gives the same bytes', async () => {
    const again = mkdtempSync(path.join(tmpdir(), 'rectrace-exports-'));
    const series = SeriesSet.parse(JSON.parse(readFileSync(path.join(dir, 'series.json'), 'utf8')));
    await writeExports(again, { documents: docs, series, linkSets: run.linkSets, lineage: run.lineage });
    for (const f of ['recommendations.csv', 'links.csv', 'lineage.csv', 'rectrace.sqlite']) {
      expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(dir, f))), f).toBe(true);
    }
  });
});
