// Overrides never fail silently: every schema problem at once, every entry
// resolved (numbers canonical), unresolved entries a usage error with their
// line or, with --lenient, a warning; a person's decision survives re-runs and
// reaches lineage.json, the CSVs and the SQLite file.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { canonicalNumber, parseOverrides, resolveOverrides } from '../src/overrides.js';
import { extractFile } from '../src/pipeline.js';
import { querySqlite } from '../src/emit/sqlite.js';
import { Lineage, SeriesSet, type DocumentJson } from '../src/schema.js';
import { runCli as cli } from './run-cli.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-overrides-'));
const SEEDS = ['fixtures/seeds/000_2f423a773bf542d4.txt', 'fixtures/seeds/004_0b441babad7e57b2.txt'];
const [F2022, F2023] = ['000_2f423a773bf542d4.txt', '004_0b441babad7e57b2.txt'];

describe('parseOverrides', () => {
  it('reports every schema problem at once, each with its line', () => {
    const text = [
      '{',
      '  "decisions": [',
      '    { "action": "maybe", "from": { "document": "a", "number": "1" }, "to": { "document": "b", "number": "2" } },',
      '    { "action": "add", "from": { "document": "a" }, "to": { "document": "b", "number": "2" }, "date": "May 2024" }',
      '  ],',
      '  "series": [ { "action": "join", "document": "a" } ],',
      '  "surprise": true',
      '}',
    ].join('\n');
    const { parsed, problems } = parseOverrides(text);
    expect(parsed).toBeUndefined();
    expect(problems.map((p) => p.line)).toEqual([3, 4, 4, 6, 7]);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/action[\s\S]*number[\s\S]*date[\s\S]*with[\s\S]*surprise/);
  });

  it('reports broken JSON as one problem', () => {
    expect(parseOverrides('{"decisions": [,]}').problems).toHaveLength(1);
  });
});

describe('resolveOverrides', () => {
  let docs: DocumentJson[];
  beforeAll(async () => {
    docs = [await extractFile(SEEDS[0]), await extractFile(SEEDS[1])];
  });
  const resolve = (entries: unknown[]) => resolveOverrides(parseOverrides(JSON.stringify({ decisions: entries }, null, 1)).parsed!, docs);
  const link = (from: string, fromN: string, to: string, toN: string) => ({ action: 'confirm', from: { document: from, number: fromN }, to: { document: to, number: toN } });

  it('reads numbers canonically: R12 is 12', () => {
    expect(canonicalNumber('R12')).toBe('12');
    expect(canonicalNumber('Recommendation 3a')).toBe('3a');
    const r = resolve([link(F2022, 'R12', F2023, 'Rec 6')]);
    expect(r.problems).toEqual([]);
    expect(r.links[0].from).toEqual({ document: docs[0].source.id, number: '12' });
    expect(r.links[0].to).toEqual({ document: docs[1].source.id, number: '6' });
  });

  it('an unknown document is a problem with its line', () => {
    const r = resolve([link(F2022, '1', F2023, '1'), link('missing.pdf', '1', F2023, '1')]);
    expect(r.links).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(/no document "missing\.pdf"/);
    expect(r.problems[0].line).toBeGreaterThan(2);
  });

  it('an unknown number is a problem, naming how it was read', () => {
    const r = resolve([link(F2022, 'R12', F2023, '66')]);
    expect(r.links).toEqual([]);
    expect(r.problems[0].message).toMatch(/"66" is not a recommendation of fixtures\/seeds\/004/);
    const r2 = resolve([link(F2022, 'R99', F2023, '1')]);
    expect(r2.problems[0].message).toMatch(/"R99" \(read as 99\)/);
  });
});

describe('rectrace run --overrides', () => {
  it('exits 2 listing every unresolved entry with its line, and writes no lineage', async () => {
    const out = tmp();
    const file = path.join(out, 'overrides.json');
    writeFileSync(
      file,
      JSON.stringify(
        {
          decisions: [
            { action: 'confirm', from: { document: F2022, number: 'R12' }, to: { document: F2023, number: '66' } },
            { action: 'add', from: { document: 'nowhere.docx', number: '1' }, to: { document: F2023, number: '1' } },
          ],
        },
        null,
        2,
      ),
    );
    const lineOf = (s: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(s)) + 1;
    const r = await cli(['run', ...SEEDS, '--out', out, '--overrides', file, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/2 unresolved entries/);
    expect(r.stderr).toContain(`overrides.json:${lineOf('"66"')}: decisions[0].to.number: "66"`);
    expect(r.stderr).toContain(`overrides.json:${lineOf('nowhere.docx')}: decisions[1].from.document: no document "nowhere.docx"`);
    expect(existsSync(path.join(out, 'lineage.json'))).toBe(false);

    const lenient = await cli(['run', ...SEEDS, '--out', out, '--overrides', file, '--lenient']);
    expect(lenient.status).toBe(0);
    expect(lenient.stderr.match(/rectrace: warning: overrides line \d+/g)).toHaveLength(2);
    const series = SeriesSet.parse(JSON.parse(readFileSync(path.join(out, 'series.json'), 'utf8')));
    expect(series.messages.filter((m) => m.code === 'overrides/unresolved')).toHaveLength(2);
    const links = JSON.parse(readFileSync(path.join(out, 'links.json'), 'utf8'));
    expect(links[0].links.some((l: { to: { number: string } }) => l.to.number === '66')).toBe(false);
  }, 240_000);

  it("keeps a person's decisions across re-runs and in every export; the SQLite answer matches the gold", async () => {
    const out = tmp();
    const file = path.join(out, 'overrides.json');
    writeFileSync(
      file,
      JSON.stringify({
        decisions: [
          { action: 'add', from: { document: F2022, number: 'R12' }, to: { document: F2023, number: '6' }, decidedBy: 'J. Smith', date: '2024-05-01', note: 'health dimensions' },
          { action: 'reject', from: { document: F2022, number: '3' }, to: { document: F2023, number: '6' }, decidedBy: 'J. Smith' },
        ],
      }),
    );
    for (let pass = 0; pass < 2; pass++) {
      const r = await cli(['run', ...SEEDS, '--out', out, '--overrides', file, '--quiet']);
      expect(r.status, r.stderr).toBe(0);
      const lineage = Lineage.parse(JSON.parse(readFileSync(path.join(out, 'lineage.json'), 'utf8')));
      const step = lineage.threads.flatMap((t) => t.steps).find((s) => s.decision?.by === 'J. Smith');
      expect(step).toMatchObject({ number: '6', decidedBy: 'person', decision: { by: 'J. Smith', date: '2024-05-01', note: 'health dimensions' } });
      const links = parse(readFileSync(path.join(out, 'links.csv')), { columns: true }) as Record<string, string>[];
      expect(links.find((l) => l.from_number === '12' && l.to_number === '6')).toMatchObject({ decided_by: 'person', decided_by_name: 'J. Smith', decided_on: '2024-05-01', note: 'health dimensions', score: '1' });
      expect(links.some((l) => l.from_number === '3' && l.to_number === '6')).toBe(false);
      const steps = parse(readFileSync(path.join(out, 'lineage.csv')), { columns: true }) as Record<string, string>[];
      expect(steps.some((s) => s.decided_by_name === 'J. Smith' && s.number === '6' && s.decided_on === '2024-05-01')).toBe(true);
      const db = readFileSync(path.join(out, 'rectrace.sqlite'));
      expect(await querySqlite(db, "SELECT count(*) AS n FROM thread_steps WHERE decided_by_name = 'J. Smith'")).toEqual([{ n: expect.any(Number) }]);
      expect(Number((await querySqlite(db, "SELECT count(*) AS n FROM links WHERE decided_by_name = 'J. Smith'"))[0].n)).toBe(1);
      // The rejection leaves no link, but stays on record.
      const rejected = await querySqlite(db, "SELECT reason FROM messages WHERE code = 'overrides/rejected'");
      expect(rejected).toHaveLength(1);
      expect(String(rejected[0].reason)).toMatch(/3 -> 6 .*rejected by a person \(J\. Smith\)/);
    }
    // "Which 2022 recommendations have no successor?" — the README's query, against the hand-made gold.
    const db = readFileSync(path.join(out, 'rectrace.sqlite'));
    const rows = await querySqlite(
      db,
      `SELECT r.number FROM recommendations r JOIN documents d USING (document_id)
       WHERE d.generation = 0 AND d.copy_of IS NULL AND d.series_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM links l WHERE l.from_document = r.document_id AND l.from_number = r.number)
       ORDER BY CAST(r.number AS INTEGER)`,
    );
    const gold = JSON.parse(readFileSync('fixtures/gold/links-2022-2023.json', 'utf8')) as { required: string[][] };
    const withSuccessor = new Set(gold.required.map(([from]) => from));
    const expected = Array.from({ length: 19 }, (_, i) => String(i + 1)).filter((n) => !withSuccessor.has(n));
    expect(rows.map((r) => r.number)).toEqual(expected);

    // export DIR rewrites the exports from the folder; --bom adds the byte-order mark only.
    const before = readFileSync(path.join(out, 'links.csv'));
    expect((await cli(['export', out, '--bom', '--quiet'])).status).toBe(0);
    const after = readFileSync(path.join(out, 'links.csv'));
    expect(after.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(after.subarray(3).equals(before)).toBe(true);
  }, 300_000);

  it('diff prints Markdown, or JSON with --json', async () => {
    const out = tmp();
    await cli(['extract', ...SEEDS, '--out', out, '--quiet']);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const [older, newer] = manifest.documents.map((d: { output: string }) => path.join(out, d.output));
    const md = await cli(['diff', older, newer]);
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^# .* → /);
    const json = await cli(['diff', older, newer, '--json']);
    const d = JSON.parse(json.stdout);
    expect(d.counts.carried + d.counts.dropped).toBe(19);
    expect(md.stdout).toContain(`## Dropped (${d.counts.dropped})`);
  }, 120_000);
});
