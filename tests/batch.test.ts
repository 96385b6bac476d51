// End to end through the built CLI: bad inputs beside good ones, names that try
// to escape --out, re-runs, and a run killed part-way.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DocumentJson, Manifest, type Manifest as ManifestT } from '../src/schema.js';
import { TEMP_FILE } from '../src/emit/files.js';

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/rectrace.js', ...args], { encoding: 'utf8', timeout: 180_000 });
// For long runs: spawnSync would block this test worker's messages to vitest for minutes on a busy machine.
const cliAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/rectrace.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-batch-'));
const readManifest = (out: string): ManifestT => Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));

const GOOD = [
  'fixtures/seeds/000_2f423a773bf542d4.txt',
  'fixtures/seeds/004_0b441babad7e57b2.txt',
  'fixtures/docx/seed-2022.docx',
  'fixtures/pdf/seed-2023-ruled.pdf',
];
const EXPECTED = JSON.parse(readFileSync('fixtures/bad/expected.json', 'utf8')) as Record<string, string>;
const BAD = Object.keys(EXPECTED).map((k) => path.join('fixtures', k));

describe('a run over bad inputs beside good ones', () => {
  let mixedOut: string;
  let goodOut: string;
  let mixed: Awaited<ReturnType<typeof cliAsync>>;
  let mixedManifest: ManifestT;

  beforeAll(async () => {
    mixedOut = tmp();
    goodOut = tmp();
    mixed = await cliAsync(['extract', ...GOOD, 'fixtures/bad', '--out', mixedOut]);
    mixedManifest = readManifest(mixedOut);
    expect((await cliAsync(['extract', ...GOOD, '--out', goodOut, '--quiet'])).status).toBe(0);
  }, 400_000);

  it('exits 1, lists every input, and prints no stack trace', () => {
    expect(mixed.status).toBe(1);
    expect(mixedManifest.run.complete).toBe(true);
    expect(mixedManifest.documents.map((d) => d.source)).toEqual([...GOOD, ...[...BAD].sort()]);
    expect(mixed.stderr).not.toMatch(/\n\s+at /);
    // One line per failure, naming the file and its code.
    for (const d of mixedManifest.documents.filter((e) => e.status === 'failed')) {
      expect(mixed.stderr).toContain(`${d.source}: ${d.error!.code}: `);
    }
  });

  it('writes every good document exactly as a run without the bad ones does', () => {
    const good = readManifest(goodOut);
    expect(good.documents).toHaveLength(GOOD.length);
    for (const g of good.documents) {
      const m = mixedManifest.documents.find((d) => d.source === g.source)!;
      expect(m).toEqual(g);
      const bytes = readFileSync(path.join(mixedOut, m.output!), 'utf8');
      expect(bytes).toBe(readFileSync(path.join(goodOut, g.output!), 'utf8'));
      expect(DocumentJson.parse(JSON.parse(bytes)).recommendations.length).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(EXPECTED))('records %s as %s', (file, code) => {
    const entry = mixedManifest.documents.find((d) => d.source === path.join('fixtures', file))!;
    expect(entry).toBeDefined();
    if (code === 'ok') {
      expect(entry.status).toBe('ok');
      DocumentJson.parse(JSON.parse(readFileSync(path.join(mixedOut, entry.output!), 'utf8')));
    } else {
      expect(entry).toMatchObject({ status: 'failed', output: null, error: { code } });
      expect(entry.error!.message).not.toMatch(/\n/);
      expect(entry.error!.message.length).toBeGreaterThan(0);
    }
  });

  it('reads a PDF named .docx as a PDF', () => {
    const entry = mixedManifest.documents.find((d) => d.source.endsWith('pdf-named.docx'))!;
    const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(mixedOut, entry.output!), 'utf8')));
    expect(doc.source.format).toBe('pdf');
  });

  it('treats HTML as text: scripts and handlers add nothing', () => {
    const entry = mixedManifest.documents.find((d) => d.source.endsWith('scripted.html'))!;
    const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(mixedOut, entry.output!), 'utf8')));
    expect(doc.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
    const all = JSON.stringify(doc.recommendations);
    expect(all).not.toMatch(/Injected|alert|onload|document\.write|javascript:/);
  });
});

describe('output names stay inside --out', () => {
  it('for inputs named to escape, with odd characters, or sharing a name across folders', () => {
    const root = tmp();
    const inDir = path.join(root, 'in');
    const out = path.join(root, 'out');
    const seed = readFileSync(GOOD[1]);
    const names = ['a/report.txt', 'b/report.txt', '..\\..\\escape.txt', 'odd name ✓ <1> $(x) `y`.txt', '-rf.txt'];
    for (const n of names) {
      mkdirSync(path.dirname(path.join(inDir, n)), { recursive: true });
      writeFileSync(path.join(inDir, n), seed);
    }
    // Folder walks skip hidden files, so the dot-named one is given by name;
    // b/report.txt is also given again, spelt another way: it is listed once.
    const again = `${inDir}/a/../b/report.txt`;
    const r = cli(['extract', inDir, path.join(inDir, '..\\..\\escape.txt'), again, '--out', out, '--quiet']);
    expect(r.status).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['in', 'out']);
    expect(readdirSync(inDir).length).toBe(5);
    const manifest = readManifest(out);
    expect(manifest.documents).toHaveLength(names.length);
    expect(manifest.documents.map((d) => d.source)).not.toContain(again);
    expect(manifest.documents.every((d) => d.status === 'ok')).toBe(true);
    const outputs = manifest.documents.map((d) => d.output!);
    expect(new Set(outputs).size).toBe(outputs.length);
    for (const o of outputs) {
      expect(o).not.toMatch(/[\\/]/);
      expect(existsSync(path.join(out, o))).toBe(true);
    }
    expect(readdirSync(out).sort()).toEqual([...outputs, 'manifest.json'].sort());
    // Each output names its own source.
    for (const d of manifest.documents) {
      expect(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8')).source.path).toBe(d.source);
    }
  });
});

describe('per-file limits and safety', () => {
  it('--timeout and --max-size fail a file alone with input/timeout and input/too-large', () => {
    const slowOut = tmp();
    const slow = cli(['extract', 'fixtures/pdf/seed-2022-tagged.pdf', '--out', slowOut, '--timeout', '0.001']);
    expect(slow.status).toBe(1);
    expect(slow.stderr).toMatch(/seed-2022-tagged\.pdf: input\/timeout: /);
    expect(readManifest(slowOut).documents[0]).toMatchObject({ status: 'failed', error: { code: 'input/timeout' } });
    const out = tmp();
    const big = cli(['extract', GOOD[3], GOOD[1], '--out', out, '--max-size', '0.01', '--quiet']);
    expect(big.status).toBe(1);
    expect(readManifest(out).documents.map((d) => d.error?.code ?? d.status)).toEqual(['input/too-large', 'ok']);
  });

  it('parses PDFs and Word files with code generation from strings disabled (pdf.js without eval)', () => {
    const out = tmp();
    const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', 'bin/rectrace.js', 'extract', ...GOOD, '--out', out, '--quiet'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readManifest(out).documents.map((d) => d.recommendations)).toEqual([19, 10, 19, 10]);
  });
});

describe('re-runs', () => {
  it('skip unchanged documents without rewriting them; --force redoes them', async () => {
    const out = tmp();
    expect(cli(['extract', ...GOOD, '--out', out, '--quiet']).status).toBe(0);
    const outputs = readManifest(out).documents.map((d) => path.join(out, d.output!));
    const stamp = () => outputs.map((f) => statSync(f).mtimeMs);
    const first = stamp();
    await new Promise((r) => setTimeout(r, 50));
    const again = cli(['extract', ...GOOD, '--out', out]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${GOOD.length} unchanged`));
    expect(stamp()).toEqual(first);
    expect(readManifest(out).documents.every((d) => d.status === 'ok')).toBe(true);

    const forced = cli(['extract', ...GOOD, '--out', out, '--force']);
    expect(forced.stderr).toMatch(/ 0 unchanged/);
    const after = stamp();
    after.forEach((t, i) => expect(t).toBeGreaterThan(first[i]));
  });
});

describe('a run killed part-way', () => {
  it('leaves only whole files, and a re-run completes the rest', async () => {
    const root = tmp();
    const inDir = path.join(root, 'in');
    const out = path.join(root, 'out');
    mkdirSync(inDir);
    const COPIES = 60;
    for (let i = 0; i < COPIES; i++) {
      const src = GOOD[i % GOOD.length];
      copyFileSync(src, path.join(inDir, `${String(i).padStart(3, '0')}-${path.basename(src)}`));
    }
    const child = spawn(process.execPath, ['bin/rectrace.js', 'extract', inDir, '--out', out, '--quiet', '--concurrency', '2'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const manifestFile = path.join(out, 'manifest.json');
    const deadline = Date.now() + 120_000;
    while (!existsSync(manifestFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;

    // Whole files only: every visible file parses; leftovers are hidden temp files.
    const killed = readManifest(out);
    expect(killed.run.complete).toBe(false);
    expect(killed.documents.length).toBeLessThan(COPIES);
    for (const name of readdirSync(out)) {
      if (TEMP_FILE.test(name)) continue;
      expect(name).toMatch(/\.json$/);
      expect(() => JSON.parse(readFileSync(path.join(out, name), 'utf8'))).not.toThrow();
    }
    for (const d of killed.documents) expect(d.output === null || !TEMP_FILE.test(d.output)).toBe(true);
    const doneBefore = new Map(killed.documents.filter((d) => d.status === 'ok').map((d) => [d.output!, statSync(path.join(out, d.output!)).mtimeMs]));

    const rerun = cli(['extract', inDir, '--out', out, '--concurrency', '2']);
    expect(rerun.status).toBe(0);
    const done = readManifest(out);
    expect(done.run.complete).toBe(true);
    expect(done.documents).toHaveLength(COPIES);
    expect(done.documents.every((d) => d.status === 'ok')).toBe(true);
    for (const d of done.documents) {
      const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8')));
      expect(doc.source.sha256).toBe(d.sha256);
      expect(doc.source.path).toBe(d.source);
    }
    // Finished work was kept, not redone; the killed writer's temp files are gone.
    const unchanged = Number(/(\d+) unchanged/.exec(rerun.stderr)?.[1]);
    expect(unchanged).toBeGreaterThanOrEqual(doneBefore.size);
    for (const [output, mtime] of doneBefore) expect(statSync(path.join(out, output)).mtimeMs).toBe(mtime);
    expect(readdirSync(out).filter((n) => TEMP_FILE.test(n))).toEqual([]);
    expect(readdirSync(out).length).toBe(COPIES + 1);
  });
});
