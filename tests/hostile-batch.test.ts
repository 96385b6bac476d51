// Issue 13 end to end: hostile files and file-system objects in one batch with
// good documents. The run must end normally, list every input with a stable
// code, write the good documents byte for byte as a clean run does, and print
// one line per failure whatever the file names hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DocumentJson, Manifest, type Manifest as ManifestT } from '../src/schema.js';

// Permission checks mean nothing to root: run the CLI as "nobody" then.
const root = process.getuid?.() === 0;
const as = root ? { uid: 65534, gid: 65534 } : {};
const CLI = path.resolve('bin/rectrace.js');
// Not spawnSync: a run of a minute or more must not block this test worker's own messages.
const cli = (args: string[]) =>
  new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], ...as });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr });
    });
  });
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'rectrace-hostile-'));
  if (root) chownSync(d, 65534, 65534);
  return d;
};
const readManifest = (out: string): ManifestT => Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));

const GOOD = [
  'fixtures/seeds/000_2f423a773bf542d4.txt',
  'fixtures/docx/seed-2022.docx',
  'fixtures/pdf/seed-2023-ruled.pdf',
  'fixtures/html/seed-2023.html',
];

// What each hostile fixture must give (ok: read, with this many recommendations).
const HOSTILE: Record<string, string | number> = {
  'deep-nesting.html': 3,
  'encrypted.docx': 'docx/encrypted',
  'flate-bomb.pdf': 'input/too-large',
  'gridspan-1e9.docx': 3,
  'gridspan-401-digits.docx': 3,
  'gridspan-abc.docx': 3,
  'huge-length.pdf': 0,
  'lying-sizes.docx': 'docx/too-large',
  'mentions-pdf.docx': 3,
  'mentions-pdf.html': 3,
  'mentions-pdf.txt': 3,
  'numbering-2pow53.docx': 0,
  'shift-jis.html': 4,
  'text-escapes.html': 3,
  'text-named.docx': 'input/format-mismatch',
  'utf16.html': 3,
  'windows-1252.html': 4,
};

describe('a batch of hostile inputs beside good documents', () => {
  let out: string;
  let clean: string;
  let special: string;
  let run: Awaited<ReturnType<typeof cli>>;
  let manifest: ManifestT;
  const latin1Name = Buffer.from('caf\xe9 notes.txt', 'latin1'); // not UTF-8
  const controlName = 'evil\n\x1b[31mred\r name.docx';

  beforeAll(async () => {
    const work = tmp();
    out = path.join(work, 'out');
    clean = path.join(work, 'clean');
    special = path.join(work, 'special');
    mkdirSync(special);
    // A FIFO nobody writes to: reading it would block forever.
    expect(spawnSync('mkfifo', [path.join(special, 'pipe.pdf')]).status).toBe(0);
    // A sub-folder that cannot be listed, and a file that cannot be read.
    mkdirSync(path.join(special, 'locked'));
    writeFileSync(path.join(special, 'locked', 'inside.txt'), 'never read');
    chmodSync(path.join(special, 'locked'), 0o000);
    writeFileSync(path.join(special, 'secret.txt'), 'Recommendation 1: keep this private.\n');
    chmodSync(path.join(special, 'secret.txt'), 0o000);
    // A name in Latin-1 (a report copied from an old system) holding a good text export.
    copyFileSync(GOOD[0], Buffer.concat([Buffer.from(special + path.sep), latin1Name]));
    // A name with a newline, a terminal escape and a carriage return, holding plain text.
    writeFileSync(path.join(special, controlName), 'plain text, not Word\n');

    run = await cli(['extract', ...GOOD, 'fixtures/hostile', special, '/dev/zero', '--out', out, '--timeout', '60', '--verbose']);
    manifest = readManifest(out);
    expect((await cli(['extract', ...GOOD, '--out', clean, '--quiet'])).status).toBe(0);
  }, 400_000);

  it('ends normally (exit 1), with a complete manifest listing every input', () => {
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(manifest.run.complete).toBe(true);
    const sources = manifest.documents.map((d) => d.source);
    expect(sources.slice(0, GOOD.length)).toEqual(GOOD);
    expect(sources.filter((s) => s.startsWith('fixtures/hostile/')).map((s) => path.basename(s))).toEqual(Object.keys(HOSTILE).sort());
    expect(sources[sources.length - 1]).toBe('/dev/zero');
    expect(manifest.documents).toHaveLength(GOOD.length + Object.keys(HOSTILE).length + 5 + 1);
  });

  it('writes the good documents exactly as a clean run does', () => {
    const good = readManifest(clean);
    for (const g of good.documents) {
      const m = manifest.documents.find((d) => d.source === g.source)!;
      expect(m).toEqual(g);
      expect(readFileSync(path.join(out, m.output!), 'utf8')).toBe(readFileSync(path.join(clean, g.output!), 'utf8'));
    }
  });

  it('gives each hostile fixture its outcome', () => {
    for (const [name, want] of Object.entries(HOSTILE)) {
      const d = manifest.documents.find((e) => e.source === `fixtures/hostile/${name}`)!;
      if (typeof want === 'number') {
        expect([name, d.status, d.error?.code]).toEqual([name, 'ok', undefined]);
        const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8')));
        expect([name, doc.recommendations.length]).toEqual([name, want]);
      } else {
        expect([name, d.error?.code]).toEqual([name, want]);
      }
    }
  });

  it('fails FIFOs, devices, unreadable folders and files with their own codes, and reads non-UTF-8 names', () => {
    const bySource = (s: string) => manifest.documents.find((d) => d.source === s);
    expect(bySource(path.join(special, 'pipe.pdf'))?.error?.code).toBe('input/not-a-file');
    expect(bySource('/dev/zero')?.error?.code).toBe('input/not-a-file');
    expect(bySource(path.join(special, 'locked'))?.error?.code).toBe('input/unreadable');
    expect(bySource(path.join(special, 'secret.txt'))?.error?.code).toBe('input/unreadable');
    const latin1 = bySource(path.join(special, 'caf\\xe9 notes.txt'));
    expect(latin1?.status).toBe('ok');
    expect(latin1?.recommendations).toBe(19);
    expect(bySource(path.join(special, controlName))?.error?.code).toBe('input/format-mismatch');
    expect(manifest.documents.some((d) => d.error?.code === 'internal/error')).toBe(false);
  });

  it('prints one line per failure, with control characters in names escaped', () => {
    expect(run.stderr).not.toMatch(/[\x1b\r]/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const failed = manifest.documents.filter((d) => d.status === 'failed');
    const lines = run.stderr.split('\n').filter((l) => / (input|pdf|docx|html|text|internal)\/[a-z-]+: /.test(l));
    expect(lines).toHaveLength(failed.length);
    expect(run.stderr).toContain('evil\\n\\x1b[31mred\\r name.docx: input/format-mismatch: ');
  });

  it('--verbose writes no stack into manifest.json', () => {
    const raw = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    expect(raw).not.toMatch(/"stack"/);
    for (const d of JSON.parse(raw).documents) expect(Object.keys(d).sort()).toEqual(expect.arrayContaining(['output', 'source', 'status']));
  });
});
