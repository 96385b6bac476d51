import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DocumentJson, Lineage, LinkSet, Manifest, SeriesSet } from '../src/schema.js';
import { runCli } from './run-cli.js';

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/rectrace.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-cli-'));
const SEEDS = ['fixtures/seeds/000_2f423a773bf542d4.txt', 'fixtures/seeds/004_0b441babad7e57b2.txt'];

describe('rectrace CLI', () => {
  it('prints help and version', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/rectrace extract/);
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on usage errors with one clear line', () => {
    const r = cli(['extract', SEEDS[0]]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out is required/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(cli(['frobnicate', 'x', '--out', tmp()]).status).toBe(2);
    expect(cli(['extract', '--bogus']).status).toBe(2);
  });

  it('extract writes one JSON per document and a manifest', () => {
    const out = tmp();
    const r = cli(['extract', ...SEEDS, '--out', out]);
    expect(r.status).toBe(0);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.run.complete).toBe(true);
    expect(manifest.documents.map((d) => [d.source, d.status])).toEqual(SEEDS.map((s) => [s, 'ok']));
    const docs = manifest.documents.map((d) => DocumentJson.parse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8'))));
    expect(docs.map((d) => d.recommendations.length)).toEqual([19, 10]);
    expect(docs[0].source.format).toBe('text');
  });

  it('exits 1 when a document fails, and still writes the others', () => {
    const out = tmp();
    const bad = path.join(tmp(), 'empty.pdf');
    writeFileSync(bad, '');
    const r = cli(['extract', SEEDS[0], bad, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/input\/empty/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.documents[1]).toMatchObject({ status: 'failed', output: null, error: { code: 'input/empty' } });
    expect(manifest.documents[0].status).toBe('ok');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const a = tmp();
    const b = tmp();
    cli(['extract', SEEDS[1], '--out', a, '--quiet']);
    cli(['extract', SEEDS[1], '--out', b, '--quiet', '--force']);
    const name = readdirSync(a).find((f) => f !== 'manifest.json')!;
    expect(readFileSync(path.join(a, name), 'utf8')).toBe(readFileSync(path.join(b, name), 'utf8'));
  });

  it('link writes links in the contract shape', () => {
    const out = tmp();
    cli(['extract', ...SEEDS, '--out', out, '--quiet']);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    const [older, newer] = manifest.documents.map((d) => path.join(out, d.output!));
    const file = path.join(out, 'links.json');
    const r = cli(['link', older, newer, '--out', file]);
    expect(r.status).toBe(0);
    const links = LinkSet.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(links.links.length).toBeGreaterThan(0);
    for (const l of links.links) {
      expect(l.score).toBeGreaterThanOrEqual(0);
      expect(l.score).toBeLessThanOrEqual(1);
    }
  });

  it('run writes the manifest, documents, lineage.json and lineage.csv', () => {
    const out = tmp();
    const r = cli(['run', ...SEEDS, '--out', out]);
    expect(r.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'lineage.json', 'lineage.csv']));
    const lineage = JSON.parse(readFileSync(path.join(out, 'lineage.json'), 'utf8'));
    expect(lineage.generations.map((g: { date?: string }) => g.date)).toEqual(['2022-08', '2023-07']);
    expect(readFileSync(path.join(out, 'lineage.csv'), 'utf8').split('\n')[0]).toMatch(/,/);
  });

  it('the README\'s main job (npm start) runs every built-in fixture cleanly', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
    const args = pkg.scripts.start.replace(/^node bin\/rectrace\.js /, '').split(/\s+/);
    const out = tmp();
    const outAt = args.indexOf('--out');
    args[outAt + 1] = out;
    const r = await runCli([...args, '--quiet']);
    expect(r.status).toBe(0);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.documents.length).toBeGreaterThanOrEqual(20);
    expect(manifest.documents.every((d) => d.status === 'ok')).toBe(true);
    const outputs = new Set(manifest.documents.map((d) => d.output));
    expect(outputs.size).toBe(manifest.documents.length);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['lineage.json', 'lineage.csv', 'series.json', 'rectrace.sqlite', ...outputs]));
    // The seed 2022 -> 2023 lineage, not a chain of every fixture by date.
    const series = SeriesSet.parse(JSON.parse(readFileSync(path.join(out, 'series.json'), 'utf8')));
    const seed = series.series.find((s) => s.documents.some((d) => d.path === 'fixtures/seeds/000_2f423a773bf542d4.txt'));
    expect(seed?.documents.map((d) => [d.path, d.date])).toEqual([
      ['fixtures/seeds/000_2f423a773bf542d4.txt', '2022-08'],
      ['fixtures/seeds/004_0b441babad7e57b2.txt', '2023-07'],
    ]);
    const lineage = Lineage.parse(JSON.parse(readFileSync(path.join(out, 'lineage.json'), 'utf8')));
    expect(lineage.generations.filter((g) => g.series === seed?.id).map((g) => g.date)).toEqual(['2022-08', '2023-07']);
    // The README's figures for this pair: 10 links, 9 of them in the gold (P 0.90, R 0.90).
    const links = LinkSet.array().parse(JSON.parse(readFileSync(path.join(out, 'links.json'), 'utf8')));
    const seedLinks = links.find((l) => l.from.path === 'fixtures/seeds/000_2f423a773bf542d4.txt')!.links;
    const gold = JSON.parse(readFileSync('fixtures/gold/links-2022-2023.json', 'utf8')) as { required: string[][]; acceptable: string[][] };
    const ok = new Set([...gold.required, ...gold.acceptable].map(([a, b]) => `${a}->${b}`));
    expect(seedLinks).toHaveLength(10);
    expect(seedLinks.filter((l) => ok.has(`${l.from.number}->${l.to.number}`))).toHaveLength(9);
    // Copies of the seeds in other formats are one generation each, said in a message.
    expect(seed?.documents[0].copies.length).toBeGreaterThanOrEqual(5);
    expect(series.messages.filter((m) => m.code === 'series/copies').length).toBeGreaterThanOrEqual(10);
    expect(r.stderr).toBe('');
  }, 300_000);

  it('applies a researcher\'s overrides file on every link run', () => {
    const out = tmp();
    cli(['extract', ...SEEDS, '--out', out, '--quiet']);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    const [older, newer] = manifest.documents.map((d) => path.join(out, d.output!));
    const overrides = path.join(out, 'overrides.json');
    writeFileSync(
      overrides,
      JSON.stringify({
        decisions: [
          { action: 'add', from: { document: '000_2f423a773bf542d4.txt', number: '12' }, to: { document: '004_0b441babad7e57b2.txt', number: '6' }, note: 'health dimensions' },
        ],
      }),
    );
    const file = path.join(out, 'links.json');
    expect(cli(['link', older, newer, '--out', file, '--overrides', overrides, '--quiet']).status).toBe(0);
    const links = LinkSet.parse(JSON.parse(readFileSync(file, 'utf8')));
    const added = links.links.find((l) => l.from.number === '12' && l.to.number === '6');
    expect(added?.evidence.decidedBy).toBe('person');
    writeFileSync(overrides, '{"decisions": [{"action": "maybe"}]}');
    expect(cli(['link', older, newer, '--out', file, '--overrides', overrides]).status).toBe(2);
  });

  it('takes matcher weights and thresholds from --match-settings, and refuses unknown keys', () => {
    const out = tmp();
    cli(['extract', ...SEEDS, '--out', out, '--quiet']);
    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    const [older, newer] = manifest.documents.map((d) => path.join(out, d.output!));
    const linksWith = (settings: unknown) => {
      const file = path.join(out, 'settings.json');
      writeFileSync(file, JSON.stringify(settings));
      const target = path.join(out, 'links.json');
      const r = cli(['link', older, newer, '--out', target, '--match-settings', file, '--quiet']);
      return { status: r.status, stderr: r.stderr, links: r.status === 0 ? LinkSet.parse(JSON.parse(readFileSync(target, 'utf8'))).links : [] };
    };
    const defaults = linksWith({});
    expect(defaults.status).toBe(0);
    expect(defaults.links.every((l) => typeof l.evidence.semantic === 'number')).toBe(true);
    const lexical = linksWith({ weights: { semantic: 0 } });
    expect(lexical.links.length).toBeGreaterThan(0);
    expect(lexical.links.some((l) => l.evidence.semantic !== undefined)).toBe(false);
    const strict = linksWith({ thresholds: { minScore: 0.9 } });
    expect(strict.links.length).toBeLessThan(defaults.links.length);
    expect(strict.links.every((l) => l.score >= 0.9)).toBe(true);
    const typo = linksWith({ thresholds: { minScroe: 0.2 } });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/match settings .*settings\.json/);
  });
});
